// security/unencoded-path-segment: an event value placed in a request URL path without
// `encodeURIComponent`, a numeric cast or a validation — `../admin` reaches another endpoint.
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf } from './support/code-files.js'
import { requestSinksOf } from './support/request-sinks.js'
import { describeOrigin } from './support/taint.js'

export const unencodedPathSegment = defineRule({
  id: 'security/unencoded-path-segment',
  category: 'security',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Event values in URL paths are encoded',
  docs: {
    why: 'An event value like `../admin` or `a/b?x=1` in a URL path changes which partner endpoint is called, or breaks the request for legitimate IDs containing `/`, `?` or `#`.',
    fix: 'Wrap the value in `encodeURIComponent(...)` (or validate it, e.g. numeric IDs with `Number(...)`).',
    bad: 'request(`https://api.partner.com/v1/users/${payload.userId}`)',
    good: 'request(`https://api.partner.com/v1/users/${encodeURIComponent(payload.userId)}`)'
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    const seen = new Set<string>()
    for (const sink of requestSinksOf(context).sinks) {
      for (const part of sink.parts) {
        if (part.position !== 'path') continue
        const origin = part.origins.find((candidate) => candidate.kind === 'payload')
        if (!origin) continue
        const sourceFile = part.at.file.sourceFile
        const { line, column } = positionOf(sourceFile, part.at.node)
        const id = `${part.at.file.path}:${line}`
        if (seen.has(id)) continue
        seen.add(id)
        findings.push({
          message: `${describeOrigin(origin)} is placed in the URL path unencoded; a value such as \`../admin\` or one containing \`/\`, \`?\` or \`#\` changes which endpoint is called. Wrap it in \`encodeURIComponent(...)\`.`,
          path: part.at.file.path,
          line,
          column,
          key: `${part.at.file.path}#${part.at.node.getText(sourceFile)}`
        })
      }
    }
    return findings
  }
})
