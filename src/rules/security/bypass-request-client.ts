// security/bypass-request-client: HTTP libraries and the global `fetch`/`XMLHttpRequest` used
// instead of the framework's `request` client. Tests and browser destinations are exempt.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, fileLabel } from './support/code-files.js'
import { findModuleLoads } from './support/module-rule.js'
import { globalPath, moduleReferencesFor } from './support/module-references.js'
import { nodesOfKinds } from '../../model/syntax-index.js'

const HTTP_CLIENT_MODULES = [
  'axios',
  'got',
  'node-fetch',
  'superagent',
  'request',
  'cross-fetch',
  'isomorphic-fetch',
  'ky',
  'needle',
  'phin',
  'make-fetch-happen'
] as const
const GLOBAL_CLIENTS = new Set(['fetch', 'XMLHttpRequest'])

const advice =
  "Use the `request` function the framework passes to `perform`: it applies Segment's timeouts, retries, error handling and instrumentation."

/** The node kinds this rule reads (one constant list: the syntax index keys its merged lists by list). */
const CALL_AND_NEW_KINDS = [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]

export const bypassRequestClient = defineRule({
  id: 'security/bypass-request-client',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: "HTTP calls use the framework's request client",
  docs: {
    why: "Other HTTP clients lose the framework's timeouts, retries, error mapping and observability, and are a common route for sending data somewhere it should not go.",
    fix: 'Call the `request` function passed to `perform`/`performBatch`/hooks; in helpers, take it as a parameter.',
    bad: 'const res = await fetch(`https://api.partner.com/v1/users/${id}`)',
    good: 'const res = await request(`https://api.partner.com/v1/users/${encodeURIComponent(id)}`)'
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'browser-destination') return []
    const findings: RawFinding[] = findModuleLoads(context, {
      modules: HTTP_CLIENT_MODULES,
      includeTests: false,
      reason: `It is an HTTP client other than the framework's \`request\`. ${advice}`
    })
    const references = moduleReferencesFor(context.head.program)
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      for (const node of nodesOfKinds(sourceFile, CALL_AND_NEW_KINDS)) {
        if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue
        const path = globalPath(references.resolve(file.parsed, node.expression))
        if (!path || path.length !== 1 || !GLOBAL_CLIENTS.has(path[0])) continue
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          message: `\`${path[0]}\` is called directly in \`${fileLabel(file.path)}\`, bypassing the framework's \`request\` client. ${advice}`,
          path: file.path,
          line,
          column,
          key: `${path[0]}@${file.path}`
        })
      }
    }
    return findings
  }
})
