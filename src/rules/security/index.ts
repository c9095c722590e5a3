// The security rules, in the order the catalog lists them.
import type { Rule } from '../rule.js'

export const SECURITY_RULES: Rule[] = []
import { suppressionAdded } from './suppression-added.js'; SECURITY_RULES.push(suppressionAdded)
