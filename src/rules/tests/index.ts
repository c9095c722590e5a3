// The tests rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const TESTS_RULES: Rule[] = []
