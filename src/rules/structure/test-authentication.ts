// structure/test-authentication: an authentication scheme should define `testAuthentication`, so that
// customers learn about wrong credentials when they enter them.
import { Unresolved, isPlainObject, locationOf, readProperty } from '../../model/static-values.js'
import { defineRule } from '../rule.js'
import { definitionOf, findingAtLocation } from '../support/destination-entries.js'

export const testAuthentication = defineRule({
  id: 'structure/test-authentication',
  category: 'structure',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'everyone',
  title: 'Authentication has `testAuthentication`',
  docs: {
    why: 'Segment calls `testAuthentication` when a customer saves the destination settings and shows "Credentials are invalid" if it throws. Without it wrong credentials are accepted silently and every event fails later.',
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
    return [
      findingAtLocation(
        context,
        locationOf(authentication),
        '/authentication/testAuthentication',
        '`authentication` has no `testAuthentication`. Add one that makes a cheap authenticated request (e.g. "who am I") so customers see "Credentials are invalid" when they save wrong settings, instead of failing events later.'
      )
    ]
  }
})
