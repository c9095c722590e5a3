// The spec rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const SPEC_RULES: Rule[] = []
