// sources/http-api-batch-limits: Segment's HTTP API takes at most 2,500 events and 500 KB per
// batch, and 32 KB per event. A client whose limits are larger than that, where the code writes
// them (a chunk size, a flush threshold on the queue's length, a byte threshold on a batch's or an
// event's size), gets every oversized batch or event rejected with 400.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf } from '../security/support/code-files.js'
import { nodesOfKinds } from '../../model/syntax-index.js'
import { sourceModelOf } from './support/source-calls.js'

const MAX_EVENTS_PER_BATCH = 2500
const MAX_BATCH_BYTES = 500 * 1024
const MAX_EVENT_BYTES = 32 * 1024

const COMPARISONS = new Set([
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken
])
/** A measure of size in bytes: `Buffer.byteLength(x)`, `JSON.stringify(x).length`, a `…size`/`…bytes` value. */
const BYTE_MEASURE = /Buffer\.byteLength\(|\.byteLength\b|JSON\.stringify\(.*\)\.length$|(size|bytes?)$/i
/** What a measure or threshold is about, from the names the code gives it. */
const PER_EVENT = /event|message|msg|item/i
const PER_BATCH = /batch|payload|request|body|queue|buffer|chunk/i
/** A queue's length compared with a flush threshold (`queue.length >= MAX_BATCH`). */
const QUEUE_LENGTH = /(batch|queue|buffer|pending|events|messages)\w*\.length$/i

interface Threshold {
  limit: number
  what: 'events per batch' | 'bytes per batch' | 'bytes per event'
  at: ts.Node
  value: number
}

/** A comparison with a numeric threshold larger than Segment's limit for what it measures. */
function thresholdOver(
  node: ts.BinaryExpression,
  sourceFile: ts.SourceFile,
  evaluate: (expression: ts.Expression) => unknown,
  batchEndpoint: boolean
): Threshold | undefined {
  if (!COMPARISONS.has(node.operatorToken.kind)) return undefined
  for (const [measured, threshold] of [
    [node.left, node.right],
    [node.right, node.left]
  ] as const) {
    const value = evaluate(threshold)
    if (typeof value !== 'number' || !Number.isFinite(value)) continue
    const measure = measured.getText(sourceFile)
    const names = `${measure} ${threshold.getText(sourceFile)}`
    if (BYTE_MEASURE.test(measure)) {
      // The threshold's own name says which limit it is; failing that, the measure's.
      if (PER_EVENT.test(names) && !PER_BATCH.test(threshold.getText(sourceFile)))
        return value > MAX_EVENT_BYTES ? { limit: MAX_EVENT_BYTES, what: 'bytes per event', at: threshold, value } : undefined
      if (PER_BATCH.test(names) && batchEndpoint)
        return value > MAX_BATCH_BYTES ? { limit: MAX_BATCH_BYTES, what: 'bytes per batch', at: threshold, value } : undefined
      continue
    }
    if (batchEndpoint && QUEUE_LENGTH.test(measure) && value > MAX_EVENTS_PER_BATCH)
      return { limit: MAX_EVENTS_PER_BATCH, what: 'events per batch', at: threshold, value }
  }
  return undefined
}

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
    if (!model || model.endpoints.length === 0) return []
    const batchEndpoint = model.endpoints.some((endpoint) => /\/batch\/?$/.test(endpoint.url))
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      const evaluate = (expression: ts.Expression) => context.head.evaluator.evaluate(expression, file.parsed)
      // The comparisons (and, with a batch endpoint, the calls) from the file's shared syntax index, in walk order.
      const kinds = batchEndpoint ? [ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.CallExpression] : [ts.SyntaxKind.BinaryExpression]
      for (const node of nodesOfKinds(sourceFile, kinds)) {
        if (ts.isBinaryExpression(node)) {
          const over = thresholdOver(node, sourceFile, evaluate, batchEndpoint)
          if (!over) continue
          const { line, column } = positionOf(sourceFile, over.at)
          const said = {
            'events per batch': `A batch is sent once it holds ${over.value} events, but Segment's HTTP API accepts at most ${MAX_EVENTS_PER_BATCH} events per batch`,
            'bytes per batch': `A batch may grow to ${over.value} bytes, but Segment's HTTP API accepts at most 500 KB per batch`,
            'bytes per event': `An event may be ${over.value} bytes, but Segment's HTTP API accepts at most 32 KB per event`
          }[over.what]
          findings.push({
            path: file.path,
            line,
            column,
            key: `threshold@${file.path}#${over.what}#${over.value}`,
            message: `${said}: anything larger is rejected with 400 and its events are lost. Lower the limit to Segment's.`
          })
          continue
        }
        if (!ts.isCallExpression(node) || !batchEndpoint) continue
        const found = chunkSize(node, evaluate)
        if (!found || found.size <= MAX_EVENTS_PER_BATCH) continue
        const { line, column } = positionOf(sourceFile, found.at)
        findings.push({
          path: file.path,
          line,
          column,
          key: `batch-size@${file.path}#${found.size}`,
          message: `Batches are cut at ${found.size} events, but Segment's HTTP API accepts at most ${MAX_EVENTS_PER_BATCH} events (and 500 KB) per batch: larger batches are rejected whole. Cut at ${MAX_EVENTS_PER_BATCH} or fewer.`
        })
      }
    }
    return findings
  }
})
