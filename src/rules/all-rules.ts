// Every rule the bot knows, by category. Each category's index lists its rule files.
import type { Rule } from './rule.js'
import { STRUCTURE_RULES } from './structure/index.js'
import { SPEC_RULES } from './spec/index.js'
import { SECURITY_RULES } from './security/index.js'
import { DOCS_RULES } from './docs/index.js'
import { TESTS_RULES } from './tests/index.js'
import { COMPAT_RULES } from './compat/index.js'
import { SOURCES_RULES } from './sources/index.js'

export const ALL_RULES: readonly Rule[] = [
  ...STRUCTURE_RULES,
  ...SPEC_RULES,
  ...SECURITY_RULES,
  ...DOCS_RULES,
  ...TESTS_RULES,
  ...COMPAT_RULES,
  ...SOURCES_RULES
]

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id)
}
