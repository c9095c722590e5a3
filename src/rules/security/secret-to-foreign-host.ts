// security/secret-to-foreign-host: a credential (auth token, password or secret setting) sent
// on a request whose host comes from event data — directly in the request, or on every
// request through extendRequest.
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf } from './support/code-files.js'
import { extendRequestAddsSecret, requestSinksOf } from './support/request-sinks.js'
import { describeOrigin } from './support/taint.js'

export const secretToForeignHost = defineRule({
  id: 'security/secret-to-foreign-host',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Credentials go only to the partner host',
  docs: {
    why: "When the host comes from event data, whoever sends the event chooses where the customer's token or API key is sent: it is credential exfiltration.",
    fix: 'Send credentials only to a constant partner host. If the target must vary, validate it against an allowlist first and do not attach the credential otherwise.',
    bad: "request(payload.callbackUrl, { headers: { Authorization: `Bearer ${auth.accessToken}` } })",
    good: "request(`https://api.partner.com/v1/callbacks/${encodeURIComponent(payload.callbackId)}`, { headers: { Authorization: `Bearer ${auth.accessToken}` } })"
  },
  scope: 'integration',
  check(context) {
    const { analysis, sinks } = requestSinksOf(context)
    const byLine = new Map<string, RawFinding>()
    let everyRequestCarriesSecret: boolean | undefined
    for (const sink of sinks) {
      const hostParts = sink.parts.filter((part) => part.position === 'host' && part.origins.some((origin) => origin.kind === 'payload'))
      const hostPart = hostParts.find((part) => part.origins.some((origin) => origin.kind === 'payload' && !origin.guessed)) ?? hostParts[0]
      if (!hostPart) continue
      const hostOrigin = hostPart.origins.find((origin) => origin.kind === 'payload' && !origin.guessed) ?? hostPart.origins.find((origin) => origin.kind === 'payload')!
      const secret = [...sink.optionOrigins, ...sink.parts.flatMap((part) => part.origins)].find((origin) => analysis.isSecret(origin))
      let via = ''
      if (!secret) {
        everyRequestCarriesSecret ??= extendRequestAddsSecret(analysis)
        if (!everyRequestCarriesSecret) continue
        via = ' (added to every request by `extendRequest`)'
      }
      const { line, column } = positionOf(hostPart.at.file.sourceFile, hostPart.at.node)
      const id = `${hostPart.at.file.path}:${line}`
      // Shown only when both the host's event origin and the credential are shown, not named by convention.
      const severity = !hostOrigin.guessed && !secret?.guessed ? 'error' : 'warning'
      const known = byLine.get(id)
      if (known && (known.severity === 'error' || severity === 'warning')) continue
      byLine.set(id, {
        message: `This request sends ${secret ? describeOrigin(secret) : "the integration's credentials"}${via} to a host taken from ${describeOrigin(hostOrigin)}, so whoever sends the event decides where the credential goes. Send credentials only to a constant partner host.`,
        path: hostPart.at.file.path,
        line,
        column,
        severity,
        key: `${hostPart.at.file.path}#${hostPart.at.node.getText(hostPart.at.file.sourceFile)}`
      })
    }
    return [...byLine.values()]
  }
})
