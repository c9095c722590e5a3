// Which rules run on which kind of integration. A cloud source has no destination definition,
// so the destination rules (structure, spec, docs, tests, compat of metadata) say nothing true
// about it; its own rules and the security rules (code is code) do.
import type { IntegrationKind } from '../discover/integration-layouts.js'
import type { Rule } from './rule.js'

/**
 * Security rules whose premise is the Actions framework: a source has no framework `request`
 * client (a source function's `fetch` is the runtime's own, and an HTTP API client must post
 * with something).
 */
const DESTINATION_ONLY_SECURITY_RULES = new Set(['security/bypass-request-client'])

/** Structure rules about code in general: a file that does not parse fails a source's review too. */
const KIND_NEUTRAL_RULES = new Set(['structure/parse-error'])

export function ruleAppliesToKind(rule: Rule, kind: IntegrationKind): boolean {
  if (kind === 'cloud-source') {
    return (
      rule.category === 'sources' ||
      KIND_NEUTRAL_RULES.has(rule.id) ||
      (rule.category === 'security' && !DESTINATION_ONLY_SECURITY_RULES.has(rule.id))
    )
  }
  return rule.category !== 'sources'
}
