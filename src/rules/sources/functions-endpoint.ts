// sources/functions-endpoint: Segment's Functions runtime refuses requests to `fn.segmentapis.com`
// (a function calling a function's webhook URL, itself included, would loop through Segment). A
// source whose code calls that host fails on every such request.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf } from '../security/support/code-files.js'
import { nodesOfKinds } from '../../model/syntax-index.js'
import { sourceModelOf } from './support/source-calls.js'

/** A URL (or a bare host) on Segment's Functions host, `fn.segmentapis.com` or a subdomain of it. */
const FUNCTIONS_HOST = /^(?:https?:\/\/)?(?:[\w-]+\.)*fn\.segmentapis\.com(?:[:/?#]|$)/i

/** The kinds `literalText` reads. */
const LITERAL_KINDS = [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateExpression]

function isInside(node: ts.Node, ancestor: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true
  return false
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node)) return node.head.text
  return undefined
}

export const functionsEndpoint = defineRule({
  id: 'sources/functions-endpoint',
  category: 'sources',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No requests to Segment Functions endpoints',
  docs: {
    why: "Segment's Functions runtime refuses requests to `fn.segmentapis.com`: a function may not call a function's webhook URL (its own included), so every such request fails and what it should have done is lost.",
    fix: 'Emit the events with `Segment.track(...)` and the other `Segment` calls, or post them to the HTTP API (`api.segment.io/v1`), instead of calling a function URL.',
    bad: "await fetch('https://fn.segmentapis.com/?b=' + settings.functionKey, { method: 'POST', body })",
    good: "Segment.track({ event: 'Ticket Created', userId, properties })"
  },
  scope: 'integration',
  check(context) {
    if (!sourceModelOf(context)) return []
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      // The literals from the file's shared syntax index, in walk order; a template already reported
      // speaks for the literals inside it (its subtree follows it in walk order).
      let reported: ts.Node | undefined
      for (const node of nodesOfKinds(sourceFile, LITERAL_KINDS)) {
        if (reported && isInside(node, reported)) continue
        reported = undefined
        const text = literalText(node)
        if (text === undefined || !FUNCTIONS_HOST.test(text.trim())) continue
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          path: file.path,
          line,
          column,
          key: `functions-host@${file.path}#${text.slice(0, 80)}`,
          message:
            "This URL is on `fn.segmentapis.com`, Segment's Functions host, which the Functions runtime refuses to call: the request fails every time. Emit the events with the `Segment` calls, or post them to the HTTP API (`api.segment.io/v1`)."
        })
        reported = node
      }
    }
    return findings
  }
})
