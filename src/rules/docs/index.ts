// The docs rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const DOCS_RULES: Rule[] = []
