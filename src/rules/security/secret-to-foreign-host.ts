// security/secret-to-foreign-host: a credential (auth token, password or secret setting) sent
// on a request whose host comes from event data — directly in the request, or on every
// request through extendRequest — or sent to a hard-coded host that is not the destination's
// own API host.
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf } from './support/code-files.js'
import { ts } from '../../model/typescript.js'
import type { IntegrationRuleContext } from '../rule.js'
import { extendRequestAddsSecret, requestSinksOf, type RequestSink } from './support/request-sinks.js'
import { describeOrigin, type Origin, type TaintAnalysis } from './support/taint.js'
import { registrableDomain } from './support/url-parts.js'

export const secretToForeignHost = defineRule({
  id: 'security/secret-to-foreign-host',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Credentials go only to the partner host',
  docs: {
    why: "When the host comes from event data, whoever sends the event chooses where the customer's token or API key is sent: it is credential exfiltration. The same holds for a hard-coded host that is not the destination's own API (the domains its other requests call): an error when the same credential also goes to the own API, a warning otherwise (it may be that service's own credential).",
    fix: 'Send credentials only to a constant partner host. If the target must vary, validate it against an allowlist first and do not attach the credential otherwise.',
    bad: 'request(payload.callbackUrl, { headers: { Authorization: `Bearer ${auth.accessToken}` } })',
    good: 'request(`https://api.partner.com/v1/callbacks/${encodeURIComponent(payload.callbackId)}`, { headers: { Authorization: `Bearer ${auth.accessToken}` } })'
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
      const hostOrigin =
        hostPart.origins.find((origin) => origin.kind === 'payload' && !origin.guessed) ??
        hostPart.origins.find((origin) => origin.kind === 'payload')!
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
      const severity = !hostOrigin.guessed && !secret?.guessed && !hostPart.uncertain ? 'error' : 'warning'
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
    for (const finding of foreignHostFindings(context, analysis, sinks)) {
      const id = `${finding.path}:${finding.line}`
      if (!byLine.has(id)) byLine.set(id, finding)
    }
    return [...byLine.values()]
  }
})

/**
 * A credential sent, inline or through a helper, to a hard-coded host outside the destination's
 * own API (the domains its other requests call, or that carry its name). Shown (error) when the
 * same credential also goes to the own API: it is that API's credential, sent elsewhere. Otherwise
 * it may be a credential of that other service: a warning for a human.
 */
function foreignHostFindings(context: IntegrationRuleContext, analysis: TaintAnalysis, sinks: RequestSink[]): RawFinding[] {
  // Asked up to three times per sink below: worked out once.
  const secretsBySink = new Map<RequestSink, Origin[]>()
  const explicitSecrets = (sink: RequestSink) => {
    let secrets = secretsBySink.get(sink)
    if (!secrets) {
      secrets = [...sink.optionOrigins, ...sink.parts.flatMap((part) => part.origins)].filter((origin) => analysis.isSecret(origin))
      secretsBySink.set(sink, secrets)
    }
    return secrets
  }
  const nameTokens = [context.head.metadata?.slug, context.head.metadata?.name, context.integration.path.split('/').pop()]
    .flatMap((text) => (typeof text === 'string' ? text.toLowerCase().split(/[^a-z0-9]+/) : []))
    .filter((token) => token.length >= 4 && token !== 'actions')
  // A source's own API includes Segment's: it posts the customer's write key there.
  const own = new Set<string>(analysis.isSource ? ['segment.io', 'segmentapis.com'] : [])
  const integrationWord = analysis.isSource ? 'source' : 'destination'
  for (const sink of sinks) {
    if (!sink.hosts || explicitSecrets(sink).length > 0) continue
    for (const host of sink.hosts) own.add(registrableDomain(host))
  }
  const isOwn = (domain: string) => own.has(domain) || nameTokens.some((token) => domain.split('.')[0].includes(token))
  // Credentials the code sends to its own API.
  const sentToOwn = new Set<string>()
  for (const sink of sinks) {
    if (!sink.hosts || !sink.hosts.every((host) => isOwn(registrableDomain(host)))) continue
    for (const origin of explicitSecrets(sink)) sentToOwn.add(describeOrigin(origin))
  }
  const findings: RawFinding[] = []
  const seen = new Set<string>()
  for (const sink of sinks) {
    // An OAuth token refresh sends the OAuth credentials to the identity provider, which is rarely the API host.
    const secrets = explicitSecrets(sink).filter((origin) => !(origin.kind === 'auth' && isInsideOAuthRefresh(sink.call)))
    if (!sink.hosts || secrets.length === 0) continue
    const foreign = sink.hosts.find((host) => !isOwn(registrableDomain(host)))
    if (!foreign) continue
    const shown = secrets.find((origin) => !origin.guessed && sentToOwn.has(describeOrigin(origin)))
    if (!shown && own.size === 0 && sentToOwn.size === 0) continue
    const secret = shown ?? secrets[0]
    const file = sink.scope.file
    const { line, column } = positionOf(file.sourceFile, sink.call)
    const id = `${file.path}:${line}`
    if (seen.has(id)) continue
    seen.add(id)
    findings.push({
      message: shown
        ? `This request sends ${describeOrigin(secret)} to \`${foreign}\`, but the ${integrationWord}'s own API is elsewhere (${[...own].map((domain) => `\`${domain}\``).join(', ') || 'the hosts its other requests call'}) and receives the same credential: the customer's credential leaves for another service. Send it only to the partner's API.`
        : `This request sends ${describeOrigin(secret)} to \`${foreign}\`, a hard-coded host outside the ${integrationWord}'s own API (${[...own].map((domain) => `\`${domain}\``).join(', ') || 'the hosts named after it'}). If the credential belongs to that service, say so in the setting's description; otherwise send it only to the partner's API.`,
      path: file.path,
      line,
      column,
      severity: shown ? 'error' : 'warning',
      key: `${file.path}#foreign#${foreign}`
    })
  }
  return findings
}

/** True for a call written inside `refreshAccessToken` (or a helper defined there). */
function isInsideOAuthRefresh(call: ts.Node): boolean {
  for (let node: ts.Node | undefined = call.parent, guard = 0; node && guard < 200; node = node.parent, guard++) {
    if (
      (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'refreshAccessToken'
    )
      return true
  }
  return false
}
