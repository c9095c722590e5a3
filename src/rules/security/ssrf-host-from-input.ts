// security/ssrf-host-from-input: the scheme or host of a request URL built from `payload`
// (error when the code shows it: an entry point's execution data, or a helper it calls) or from
// a free-text setting or a value only named like event data (warning). The host position is
// followed through `let` and `+=`, branches and a helper's returned `{ url }`. Settings with
// `choices`, allowlist lookups, pattern checks and encodeURIComponent make it safe; unknown
// values are never reported.
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf } from './support/code-files.js'
import { requestSinksOf } from './support/request-sinks.js'
import { describeOrigin } from './support/taint.js'

export const ssrfHostFromInput = defineRule({
  id: 'security/ssrf-host-from-input',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Request hosts do not come from event data',
  docs: {
    why: "The request runs on Segment's infrastructure. When event data (or a free-text setting) chooses the host, anyone who can send an event can make Segment call internal addresses or a server of their choice. `https://${sub}.partner.com` is not safe either: `evil.com#` moves the host.",
    fix: 'Keep the scheme and host constant (a literal `https://host/` prefix fixes the host; appending with `+=` afterwards is fine). For regional endpoints add a setting with `choices`, or look the value up in a constant map (`REGION_HOSTS[settings.region]`); put event values only in the path (with `encodeURIComponent`) or the query.',
    bad: 'request(`https://${payload.domain}/v1/events`)',
    good: 'request(`https://${REGION_HOSTS[settings.region]}/v1/events`)'
  },
  scope: 'integration',
  check(context) {
    // One finding per line, the most certain one: a helper reached from several actions is one finding.
    const byLine = new Map<string, RawFinding>()
    for (const sink of requestSinksOf(context).sinks) {
      for (const part of sink.parts) {
        if (part.position !== 'host') continue
        const payloadOrigins = part.origins.filter((origin) => origin.kind === 'payload')
        const fromPayload = payloadOrigins.find((origin) => !origin.guessed) ?? payloadOrigins[0]
        const fromSettings = part.origins.find((origin) => origin.kind === 'settings' && origin.key !== undefined)
        const origin = fromPayload ?? fromSettings
        if (!origin) continue
        const sourceFile = part.at.file.sourceFile
        const { line, column } = positionOf(sourceFile, part.at.node)
        const id = `${part.at.file.path}:${line}`
        // Event data shown to reach the host is an error; a value only named like event data, or a free-text setting, needs a human.
        const severity = fromPayload && !fromPayload.guessed && !part.uncertain ? 'error' : 'warning'
        const known = byLine.get(id)
        if (known && (known.severity === 'error' || severity === 'warning')) continue
        byLine.set(id, {
          message: fromPayload
            ? `The host of this request comes from ${describeOrigin(origin)}${fromPayload.guessed ? ' (a parameter named like the event data; the bot did not see the call that fills it)' : ''}, which anyone sending events controls: Segment could be made to call internal or arbitrary servers. Keep the scheme and host constant and put event values only in the path (with \`encodeURIComponent\`) or the query.`
            : `The host of this request comes from the free-text setting ${describeOrigin(origin)}; a value like \`evil.com#\` sends the request (and its credentials) elsewhere. Give the setting \`choices\`, or map it through a constant lookup of allowed hosts.`,
          path: part.at.file.path,
          line,
          column,
          severity,
          key: `${part.at.file.path}#${part.at.node.getText(sourceFile)}`
        })
      }
    }
    return [...byLine.values()]
  }
})
