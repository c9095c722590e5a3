// structure/refresh-token-scheme: `refreshAccessToken` belongs to OAuth schemes only, and an OAuth
// scheme without it cannot renew expired tokens.
import { Unresolved, isPlainObject, locationOf, propertyLocationOf, readProperty } from '../../model/static-values.js'
import { defineRule } from '../rule.js'
import { definitionOf, findingAtLocation, isFunctionValue } from '../support/destination-entries.js'

const OAUTH_SCHEMES = ['oauth2', 'oauth-managed']

export const refreshTokenScheme = defineRule({
  id: 'structure/refresh-token-scheme',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: '`refreshAccessToken` only with OAuth, and OAuth 2 with it',
  docs: {
    why: 'The framework only calls `refreshAccessToken` for `oauth2` and `oauth-managed` schemes and throws "refreshAccessToken is only valid with oauth2 authentication scheme" otherwise. An OAuth scheme without it keeps failing once the access token expires.',
    fix: "Use `scheme: 'oauth2'` (or 'oauth-managed') when the API needs token refresh, and define `refreshAccessToken` there; remove it from `custom` and `basic` schemes.",
    bad: "authentication: {\n  scheme: 'custom',\n  fields: { apiKey: { label: 'API Key', description: 'Your API key.', type: 'password' } },\n  refreshAccessToken: async (request, { auth }) => { ... }\n}",
    good: "authentication: {\n  scheme: 'oauth2',\n  fields: {},\n  refreshAccessToken: async (request, { auth }) => {\n    const res = await request<TokenResponse>(TOKEN_URL, { method: 'post', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.refreshToken }) })\n    return { accessToken: res.data.access_token }\n  }\n}"
  },
  scope: 'integration',
  check(context) {
    const definition = definitionOf(context)
    if (!definition) return []
    const authentication = readProperty(definition, 'authentication')
    if (!isPlainObject(authentication)) return []
    const scheme = readProperty(authentication, 'scheme') ?? 'custom'
    const refresh = readProperty(authentication, 'refreshAccessToken')
    if (scheme instanceof Unresolved || refresh instanceof Unresolved) return []
    const isOAuth = typeof scheme === 'string' && OAUTH_SCHEMES.includes(scheme)
    if (!isOAuth && isFunctionValue(refresh)) {
      return [
        findingAtLocation(
          context,
          propertyLocationOf(authentication, 'refreshAccessToken'),
          '/authentication/refreshAccessToken',
          `\`authentication.refreshAccessToken\` is defined on the ${JSON.stringify(scheme)} scheme. The framework only supports it with 'oauth2' or 'oauth-managed' and throws otherwise; switch the scheme to OAuth or remove \`refreshAccessToken\`.`
        )
      ]
    }
    // Only for oauth2 is the refresh certainly the code's job; an oauth-managed refresh may be set up outside the code.
    if (scheme === 'oauth2' && refresh === undefined) {
      return [
        findingAtLocation(
          context,
          locationOf(authentication),
          '/authentication/refreshAccessToken',
          `The ${JSON.stringify(scheme)} authentication scheme has no \`refreshAccessToken\`. When the access token expires every request fails with 401 until the customer reconnects; define \`refreshAccessToken\` to exchange the refresh token for a new access token.`,
          'warning'
        )
      ]
    }
    return []
  }
})
