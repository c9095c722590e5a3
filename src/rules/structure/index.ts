// The structure rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const STRUCTURE_RULES: Rule[] = []
