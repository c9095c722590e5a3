// The structure rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const STRUCTURE_RULES: Rule[] = []
import { unresolvedDefinition } from './unresolved-definition.js'; STRUCTURE_RULES.unshift(unresolvedDefinition)
import { parseError } from './parse-error.js'; STRUCTURE_RULES.unshift(parseError)
