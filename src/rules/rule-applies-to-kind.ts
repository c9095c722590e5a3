// Which rules run on which kind of integration. A cloud source has no destination definition,
// so the destination rules (structure, spec, docs, tests, compat of metadata) say nothing true
// about it; its own rules and the security rules (code is code) do.
import type { IntegrationKind } from '../discover/integration-layouts.js'
import type { Rule } from './rule.js'

export function ruleAppliesToKind(rule: Rule, kind: IntegrationKind): boolean {
  if (kind === 'cloud-source') return rule.category === 'sources' || rule.category === 'security'
  return rule.category !== 'sources'
}
