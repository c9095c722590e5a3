// sources/http-api-batch-limits: Segment's HTTP API takes at most 2,500 events and 500 KB per
// batch (32 KB per event). A client that cuts its batches larger than that, where the size is
// written in the code, gets every oversized batch rejected with 400.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, walkNodes } from '../security/support/code-files.js'
import { sourceModelOf } from './support/source-calls.js'

const MAX_EVENTS_PER_BATCH = 2500

/** The chunk size a call cuts with, when it is a numeric literal or a module constant. */
function chunkSize(node: ts.CallExpression, evaluate: (expression: ts.Expression) => unknown): { size: number; at: ts.Node } | undefined {
  const callee = node.expression
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined
  let sizeNode: ts.Expression | undefined
  if (name === 'chunk' && node.arguments.length === 2) sizeNode = node.arguments[1]
  if (name === 'splice' && ts.isPropertyAccessExpression(callee) && node.arguments.length === 2) sizeNode = node.arguments[1]
  if (name === 'slice' && ts.isPropertyAccessExpression(callee) && node.arguments.length === 2) {
    // `events.slice(i, i + SIZE)`: the size is the added term.
    const end = node.arguments[1]
    if (ts.isBinaryExpression(end) && end.operatorToken.kind === ts.SyntaxKind.PlusToken) sizeNode = end.right
  }
  if (!sizeNode) return undefined
  const size = evaluate(sizeNode)
  return typeof size === 'number' && Number.isFinite(size) ? { size, at: sizeNode } : undefined
}

export const httpApiBatchLimits = defineRule({
  id: 'sources/http-api-batch-limits',
  category: 'sources',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'HTTP API batches stay within Segment limits',
  docs: {
    why: "Segment's HTTP API rejects a batch of more than 2,500 events or 500 KB (and any event over 32 KB) with 400: every event of the batch is lost.",
    fix: 'Cut batches at 2,500 events or fewer (and under 500 KB); Segment suggests staying well below, e.g. 100 events per batch.',
    bad: 'for (const part of _.chunk(events, 5000)) await post(`${base}/batch`, { batch: part })',
    good: 'for (const part of _.chunk(events, 100)) await post(`${base}/batch`, { batch: part })'
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model || !model.endpoints.some((endpoint) => /\/batch\/?$/.test(endpoint.url))) return []
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      walkNodes(sourceFile, (node) => {
        if (!ts.isCallExpression(node)) return
        const found = chunkSize(node, (expression) => context.head.evaluator.evaluate(expression, file.parsed))
        if (!found || found.size <= MAX_EVENTS_PER_BATCH) return
        const { line, column } = positionOf(sourceFile, found.at)
        findings.push({
          path: file.path,
          line,
          column,
          key: `batch-size@${file.path}#${found.size}`,
          message: `Batches are cut at ${found.size} events, but Segment's HTTP API accepts at most ${MAX_EVENTS_PER_BATCH} events (and 500 KB) per batch: larger batches are rejected whole. Cut at ${MAX_EVENTS_PER_BATCH} or fewer.`
        })
      })
    }
    return findings
  }
})
