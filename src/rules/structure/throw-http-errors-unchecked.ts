// structure/throw-http-errors-unchecked: `throwHttpErrors: false` turns HTTP failures into normal
// responses; the code must then read the status, or failed deliveries look successful.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { integrationCodeFiles, nodeLocation, walkNodes } from '../support/integration-source-files.js'
import { nodesOfKind } from '../../model/syntax-index.js'

/** Properties through which code learns the outcome of a response. */
const STATUS_PROPERTIES = new Set(['status', 'statusCode', 'ok', 'statusText'])
/** Handlers the framework calls directly: what they return is not inspected by partner code. */
const FRAMEWORK_HANDLERS = new Set([
  'perform',
  'performBatch',
  'performPoll',
  'testAuthentication',
  'refreshAccessToken',
  'onDelete',
  'createAudience',
  'getAudience'
])

function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text
  return undefined
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (
      ts.isFunctionDeclaration(current) ||
      ts.isFunctionExpression(current) ||
      ts.isArrowFunction(current) ||
      ts.isMethodDeclaration(current)
    )
      return current
  }
  return undefined
}

/** The name a function is known by where it is defined: `perform: async (...) => {}`, `async perform() {}`, `function send() {}`. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isMethodDeclaration(fn) || ts.isFunctionDeclaration(fn)) return fn.name ? propertyName(fn.name) : undefined
  const parent = fn.parent
  if (ts.isPropertyAssignment(parent)) return propertyName(parent.name)
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  return undefined
}

function readsStatus(fn: ts.Node): boolean {
  let found = false
  walkNodes(fn, (node) => {
    if (found) return false
    if (ts.isPropertyAccessExpression(node) && STATUS_PROPERTIES.has(node.name.text)) found = true
    else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteral(node.argumentExpression) &&
      STATUS_PROPERTIES.has(node.argumentExpression.text)
    )
      found = true
    else if (ts.isBindingElement(node)) {
      const name = node.propertyName ? propertyName(node.propertyName) : ts.isIdentifier(node.name) ? node.name.text : undefined
      if (name && STATUS_PROPERTIES.has(name)) found = true
    }
    return !found
  })
  return found
}

/** Whether the function hands a value back to its caller (who may check the status). */
function returnsValue(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.body && !ts.isBlock(fn.body)) return true
  let found = false
  if (!fn.body) return false
  walkNodes(fn.body, (node) => {
    if (found) return false
    // Returns of nested functions are theirs, not this function's.
    if (node !== fn.body && ts.isFunctionLike(node)) return false
    if (ts.isReturnStatement(node) && node.expression) found = true
    return !found
  })
  return found
}

export const throwHttpErrorsUnchecked = defineRule({
  id: 'structure/throw-http-errors-unchecked',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: '`throwHttpErrors: false` responses have their status checked',
  docs: {
    why: 'With `throwHttpErrors: false` the request client returns 4xx and 5xx responses instead of throwing. If the code never reads `response.status`, a rejected event is reported to Segment as delivered and never retried.',
    fix: 'Read `response.status` (or `response.ok`) after the request and throw the right error (`RetryableError` for 5xx and 429, `PayloadValidationError` or `IntegrationError` for 4xx); or drop `throwHttpErrors: false`.',
    bad: "perform: async (request, { payload }) => {\n  await request(URL, { method: 'post', json: payload, throwHttpErrors: false })\n}",
    good: "perform: async (request, { payload }) => {\n  const response = await request(URL, { method: 'post', json: payload, throwHttpErrors: false })\n  if (response.status >= 500) throw new RetryableError(`Acme responded ${response.status}`)\n  return response\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of integrationCodeFiles(context)) {
      if (!file.text.includes('throwHttpErrors')) continue
      let occurrence = 0
      // The file's property assignments from its shared syntax index, in walk order (no walk of its own).
      for (const node of nodesOfKind<ts.PropertyAssignment>(file.sourceFile, ts.SyntaxKind.PropertyAssignment)) {
        if (propertyName(node.name) !== 'throwHttpErrors') continue
        if (node.initializer.kind !== ts.SyntaxKind.FalseKeyword) continue
        occurrence++
        const fn = enclosingFunction(node)
        if (!fn) continue
        if (readsStatus(fn)) continue
        const name = functionName(fn)
        // A helper that returns its response lets the caller check the status: unknown, so no finding.
        if (!(name && FRAMEWORK_HANDLERS.has(name)) && returnsValue(fn)) continue
        const location = nodeLocation(file, node)
        findings.push({
          message: `\`throwHttpErrors: false\` is set${name ? ` in \`${name}\`` : ''}, but the response status is never read. Failed requests (4xx/5xx) are then reported to Segment as successful and never retried; check \`response.status\` and throw the matching error, or remove \`throwHttpErrors: false\`.`,
          path: file.path,
          line: location.line,
          column: location.column,
          key: `throwHttpErrors:${name ?? 'anonymous'}#${occurrence}`
        })
      }
    }
    return findings
  }
})
