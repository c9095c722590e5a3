// A source function's handler, as the taint rules see it: `onRequest(request, settings)` is called
// by Segment's runtime with the partner's webhook request (untrusted: body, headers, URL) and the
// customer's settings. Its globals (`fetch`, `crypto`, `_`, `Segment`) are the runtime's own.
import { ts } from '../../../model/typescript.js'

const SOURCE_HANDLER = 'onRequest'

/** Methods of the request (a WHATWG `Request`) that return its body. */
export const REQUEST_BODY_METHODS = new Set(['json', 'text', 'formData', 'arrayBuffer', 'blob'])
/** Methods of `request.headers` / `request.url.searchParams` that return one value by name. */
export const REQUEST_LOOKUP_METHODS = new Set(['get', 'getAll'])

/** Whether a function is a source handler: `function onRequest`, `const onRequest = …`, `exports.onRequest = …`. */
function isSourceHandler(fn: ts.Node): boolean {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text === SOURCE_HANDLER && ts.isSourceFile(fn.parent)
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false
  const parent = fn.parent
  if (ts.isVariableDeclaration(parent))
    return ts.isIdentifier(parent.name) && parent.name.text === SOURCE_HANDLER && ts.isSourceFile(parent.parent.parent.parent)
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === fn) {
    const left = parent.left
    return (
      ts.isPropertyAccessExpression(left) &&
      left.name.text === SOURCE_HANDLER &&
      ts.isExpressionStatement(parent.parent) &&
      ts.isSourceFile(parent.parent.parent)
    )
  }
  return false
}

/** Methods of a web framework's app or router that register a route handler (Express, Koa router, Fastify). */
const ROUTE_METHODS = new Set(['post', 'put', 'patch', 'get', 'all', 'use', 'route'])
/** Members of a web framework's request holding what the sender wrote: each is a whole body, like `request.json()`. */
export const SERVER_REQUEST_BODY_MEMBERS = new Set(['body', 'query', 'params', 'rawBody'])

/** Whether a function is a route handler passed to `app.post(path, handler)` (an HTTP API client receiving the partner's webhooks). */
function isRouteHandler(fn: ts.Node): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false
  const call = fn.parent
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn) || call.arguments[0] === fn) return false
  const callee = call.expression
  const path = call.arguments[0]
  return (
    ts.isPropertyAccessExpression(callee) &&
    ROUTE_METHODS.has(callee.name.text) &&
    (ts.isStringLiteralLike(path) || ts.isRegularExpressionLiteral(path))
  )
}

/**
 * `request` or `settings` when the parameter is the first or second of a source handler; `request`
 * for the first parameter of a route handler (`app.post('/hook', (req, res) => …)`).
 */
export function sourceHandlerRole(parameter: ts.ParameterDeclaration): 'request' | 'settings' | undefined {
  const fn = parameter.parent
  if (isRouteHandler(fn)) return (fn as ts.FunctionLikeDeclaration).parameters.indexOf(parameter) === 0 ? 'request' : undefined
  if (!isSourceHandler(fn)) return undefined
  const index = (fn as ts.FunctionLikeDeclaration).parameters.indexOf(parameter)
  return index === 0 ? 'request' : index === 1 ? 'settings' : undefined
}
