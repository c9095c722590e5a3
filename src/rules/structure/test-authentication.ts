// structure/test-authentication: an authentication scheme should define `testAuthentication`, so that
// customers learn about wrong credentials when they enter them.
import { Unresolved, isPlainObject, locationOf, partialReason, readProperty, type StaticObject } from '../../model/static-values.js'
import { defineRule } from '../rule.js'
import { definitionOf, findingAtLocation } from '../support/destination-entries.js'

/** Setting keys that name a secret a customer types in. */
const CREDENTIAL_KEY =
  /(api|access|secret|private|auth|client|app|bearer|refresh)[-_ ]?(key|token|secret)|token|secret|password|passwd|apikey|credential/i

/** Settings of a destination that Segment reaches through an IAM role the customer grants it. */
const IAM_ROLE_KEY = /role[-_ ]?arn|iam[-_ ]?role/i

/**
 * Whether the customer must type a credential into the settings: a required `password` field, or a
 * required field whose key names a secret. OAuth schemes (Segment runs the flow), IAM-role and
 * credential-free destinations have none, and an optional secret (a webhook's signing secret, the
 * password of an alternative login) may be absent; undefined when the fields cannot be read.
 */
function hasCustomerCredential(authentication: StaticObject): boolean | undefined {
  const fields = readProperty(authentication, 'fields')
  if (fields === undefined || fields === null) return false
  if (!isPlainObject(fields) || partialReason(fields) !== undefined) return undefined
  if (Object.keys(fields).some((key) => IAM_ROLE_KEY.test(key))) return false
  for (const key of Object.keys(fields)) {
    const field = fields[key]
    if (!isPlainObject(field)) return undefined
    const type = readProperty(field, 'type')
    const required = readProperty(field, 'required')
    if (type instanceof Unresolved || required instanceof Unresolved) return undefined
    if (required === true && (type === 'password' || CREDENTIAL_KEY.test(key))) return true
  }
  return false
}

export const testAuthentication = defineRule({
  id: 'structure/test-authentication',
  category: 'structure',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'everyone',
  title: 'Authentication has `testAuthentication`',
  docs: {
    why: 'Segment calls `testAuthentication` when a customer saves the destination settings and shows "Credentials are invalid" if it throws. Without it wrong credentials are accepted silently and every event fails later. When customers type no credential (OAuth, where Segment runs the flow; an IAM role; no authentication) it is only a note.',
    fix: 'Add `testAuthentication: (request, { settings }) => request(<a cheap authenticated endpoint>)` to `authentication`.',
    bad: "authentication: {\n  scheme: 'custom',\n  fields: { apiKey: { label: 'API Key', description: 'Your API key.', type: 'password', required: true } }\n}",
    good: "authentication: {\n  scheme: 'custom',\n  fields: { apiKey: { label: 'API Key', description: 'Your API key.', type: 'password', required: true } },\n  testAuthentication: (request) => request('https://api.acme.com/v1/me')\n}"
  },
  scope: 'integration',
  check(context) {
    const definition = definitionOf(context)
    if (!definition) return []
    const authentication = readProperty(definition, 'authentication')
    if (!isPlainObject(authentication)) return []
    const test = readProperty(authentication, 'testAuthentication')
    if (test instanceof Unresolved || (test !== undefined && test !== null)) return []
    if (hasCustomerCredential(authentication) === false) {
      const scheme = readProperty(authentication, 'scheme')
      return [
        findingAtLocation(
          context,
          locationOf(authentication),
          '/authentication/testAuthentication',
          `\`authentication\`${typeof scheme === 'string' ? ` (scheme "${scheme}")` : ''} has no \`testAuthentication\`, and customers need not type a credential into its settings (OAuth, an IAM role, or only optional secrets), so there is little to check when they save. If a setting can still be wrong (an account ID, a region, a role), a \`testAuthentication\` that reads it would tell them at once.`,
          'info'
        )
      ]
    }
    return [
      findingAtLocation(
        context,
        locationOf(authentication),
        '/authentication/testAuthentication',
        '`authentication` has no `testAuthentication`, and customers must type a credential into its settings. Add one that makes a cheap authenticated request (e.g. "who am I") so customers see "Credentials are invalid" when they save wrong settings, instead of failing events later.'
      )
    ]
  }
})
