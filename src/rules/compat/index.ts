// The compat rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const COMPAT_RULES: Rule[] = []
