// The sources rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const SOURCES_RULES: Rule[] = []
