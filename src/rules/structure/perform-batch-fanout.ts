// structure/perform-batch-fanout: a `performBatch` that only sends one request per event inside a loop
// is not a batch; it multiplies requests and hides per-event failures.
import { ts } from '../../model/typescript.js'
import { FunctionValue, propertyLocationOf, readProperty } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { definitionActions, findingAtLocation } from '../support/destination-entries.js'
import { walkNodes } from '../support/integration-source-files.js'

const ITERATING_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every'])

/** How the handler refers to its events: `payload` from `(request, { payload })`, or `data.payload`. */
function payloadReferences(fn: ts.FunctionLikeDeclaration): Set<string> {
  const references = new Set<string>()
  const second = fn.parameters[1]
  if (!second) return references
  if (ts.isIdentifier(second.name)) references.add(`${second.name.text}.payload`)
  else if (ts.isObjectBindingPattern(second.name)) {
    for (const element of second.name.elements) {
      const property =
        element.propertyName && ts.isIdentifier(element.propertyName)
          ? element.propertyName.text
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined
      if (property === 'payload' && ts.isIdentifier(element.name)) references.add(element.name.text)
    }
  }
  return references
}

function isPayload(expression: ts.Expression, payload: Set<string>, sourceFile: ts.SourceFile): boolean {
  let inner = expression
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression
  return payload.has(inner.getText(sourceFile))
}

/** A loop or an iteration callback that runs once per event of the batch (not per chunk of events). */
function iteratesEvents(node: ts.Node, payload: Set<string>, sourceFile: ts.SourceFile): boolean {
  if (ts.isForOfStatement(node) || ts.isForInStatement(node)) return isPayload(node.expression, payload, sourceFile)
  if (ts.isForStatement(node)) {
    const condition = node.condition?.getText(sourceFile) ?? ''
    return [...payload].some((reference) => condition.includes(`${reference}.length`))
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const call = node.parent
    return (
      ts.isCallExpression(call) &&
      call.arguments.includes(node) &&
      ts.isPropertyAccessExpression(call.expression) &&
      ITERATING_METHODS.has(call.expression.name.text) &&
      isPayload(call.expression.expression, payload, sourceFile)
    )
  }
  return false
}

/** Whether a node runs once per event: inside a loop or an iteration callback over the payload, below `root`. */
function isPerEvent(node: ts.Node, root: ts.Node, payload: Set<string>, sourceFile: ts.SourceFile): boolean {
  for (let current = node.parent; current && current !== root; current = current.parent) {
    if (iteratesEvents(current, payload, sourceFile)) return true
  }
  return false
}

/** The name the handler gives its request client (first parameter), `request` by convention. */
function requestParameterName(fn: ts.FunctionLikeDeclaration): string | undefined {
  const first = fn.parameters[0]
  return first && ts.isIdentifier(first.name) ? first.name.text : undefined
}

/** Calls that send (or may send) requests: the client itself, or a helper it is passed to. */
function requestCalls(fn: ts.FunctionLikeDeclaration, client: string): ts.CallExpression[] {
  const calls: ts.CallExpression[] = []
  if (!fn.body) return calls
  walkNodes(fn.body, (node) => {
    if (!ts.isCallExpression(node)) return
    const direct = ts.isIdentifier(node.expression) && node.expression.text === client
    const passesClient = node.arguments.some((argument) => ts.isIdentifier(argument) && argument.text === client)
    if (direct || passesClient) calls.push(node)
  })
  return calls
}

export const performBatchFanout = defineRule({
  id: 'structure/perform-batch-fanout',
  category: 'structure',
  stages: { public: 'warning' },
  who: 'everyone',
  title: '`performBatch` sends batches, not one request per event',
  docs: {
    why: 'Segment hands `performBatch` up to `batch_size` events so that they can go out in one request. Looping over them with one request each multiplies API calls (and rate-limit failures) and a single failure fails the whole batch; a dedicated batch endpoint is preferred, or no `performBatch` at all.',
    fix: "Send the whole `payload` array to the API's batch endpoint in one request and return a `MultiStatusResponse`; if the API has no batch endpoint, remove `performBatch`.",
    bad: "performBatch: async (request, { payload }) => {\n  for (const event of payload) {\n    await request(EVENTS_URL, { method: 'post', json: event })\n  }\n}",
    good: "performBatch: (request, { payload }) =>\n  request(BATCH_URL, { method: 'post', json: { events: payload.map(toAcmeEvent) } })"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const { key, action } of definitionActions(context, 'actions')) {
      const handler = readProperty(action, 'performBatch')
      if (!(handler instanceof FunctionValue)) continue
      const client = requestParameterName(handler.node)
      if (!client) continue
      const calls = requestCalls(handler.node, client)
      if (calls.length === 0) continue
      const payload = payloadReferences(handler.node)
      const sourceFile = handler.node.getSourceFile()
      if (!calls.every((call) => isPerEvent(call, handler.node, payload, sourceFile))) continue
      findings.push(
        findingAtLocation(
          context,
          propertyLocationOf(action, 'performBatch'),
          `/actions/${key}/performBatch`,
          `\`performBatch\` of action "${key}" only sends requests one event at a time inside a loop. That is not batching: it multiplies API calls and one failure fails the whole batch. Send the events in one request to a batch endpoint (returning a \`MultiStatusResponse\`), or remove \`performBatch\` if the API has none.`
        )
      )
    }
    return findings
  }
})
