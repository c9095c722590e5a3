// The request calls of an integration with their URL parts and origins, shared by the
// SSRF, path-segment and secret-to-foreign-host rules.
import { ts } from '../../../model/typescript.js'
import type { IntegrationRuleContext } from '../../rule.js'
import { unwrapExpression, walkNodes } from './code-files.js'
import { declarationOf, isRequestClientCall, TaintAnalysis, type Origin, type Scope } from './taint.js'
import { urlPartsAndHosts, type DynamicUrlPart } from './url-parts.js'
import { DerivedFact } from '../../../model/derived-facts.js'

interface TaintedUrlPart extends DynamicUrlPart {
  origins: Origin[]
}

export interface RequestSink {
  call: ts.CallExpression
  scope: Scope
  parts: TaintedUrlPart[]
  /** Origins of the options argument (headers, body, searchParams…). */
  optionOrigins: Origin[]
  /** The hosts the code fixes for this request, when it does (see urlPartsAndHosts). */
  hosts: string[] | undefined
}

const analyses = new DerivedFact<IntegrationRuleContext['head'], { analysis: TaintAnalysis; sinks: RequestSink[] }>('request sinks')

/** Taint analysis and request sinks of an integration, computed once per model. */
export function requestSinksOf(context: IntegrationRuleContext): { analysis: TaintAnalysis; sinks: RequestSink[] } {
  const cached = analyses.get(context.head)
  if (cached) return cached
  const analysis = new TaintAnalysis(context)
  const sinks: RequestSink[] = []
  analysis.visitCalls((call, scope) => {
    if (!ts.isCallExpression(call) || call.arguments.length === 0) return
    // A source function has no framework client: it calls the runtime's global `fetch`.
    if (!(analysis.isSource ? isGlobalFetchCall(call) || isRequestClientCall(call) : isRequestClientCall(call))) return
    const url = urlPartsAndHosts(call.arguments[0], scope, context.head, analysis)
    const parts = url.parts.map((part) => {
      const origins = analysis.originsOf(part.expression, part.scope).filter((origin) => !analysis.isRestrictedSetting(origin))
      return { ...part, origins: origins.length > 0 && isValidatedInFunction(part.expression) ? [] : origins }
    })
    const optionOrigins = call.arguments[1] ? analysis.originsOf(call.arguments[1], scope) : []
    sinks.push({ call, scope, parts, optionOrigins, hosts: url.hosts })
  })
  const result = { analysis, sinks }
  analyses.set(context.head, result)
  return result
}

/**
 * True when the function around `expression` checks that very expression against a pattern or
 * an allowlist (`/^[a-z0-9-]+$/.test(x)`, `ALLOWED.includes(x)`, `x.startsWith('https://api.')`).
 */
function isValidatedInFunction(expression: ts.Expression): boolean {
  const text = unwrapExpression(expression).getText()
  let body: ts.Node | undefined
  for (let node: ts.Node | undefined = expression.parent; node; node = node.parent) {
    if (ts.isFunctionLike(node)) {
      body = (node as ts.FunctionLikeDeclaration).body
      break
    }
  }
  if (!body) return false
  let validated = false
  walkNodes(body, (node) => {
    if (validated) return false
    if (!ts.isCallExpression(node)) return undefined
    const argumentTexts = node.arguments.map((argument) => unwrapExpression(argument).getText())
    const callee = unwrapExpression(node.expression)
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text
      // A pattern test validates only with a pattern of the code's own (`/^[a-z]+$/.test(x)`, `HOST_PATTERN.test(x)`).
      const receiver = unwrapExpression(callee.expression)
      const ownPattern =
        method !== 'test' || ts.isRegularExpressionLiteral(receiver) || ts.isIdentifier(receiver) || ts.isPropertyAccessExpression(receiver)
      if ((method === 'test' || method === 'includes' || method === 'has') && ownPattern && argumentTexts.includes(text)) validated = true
      else if (
        (method === 'startsWith' || method === 'endsWith' || method === 'match') &&
        unwrapExpression(callee.expression).getText() === text
      )
        validated = true
    }
    if (!validated && argumentTexts.includes(text)) {
      // `if (isRestrictedUrl(x)) throw …` or a `validateHost(x)` / `assertAllowed(x)` statement.
      const name = (ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '').toLowerCase()
      if (GUARD_PREFIXES.some((prefix) => name.startsWith(prefix)) && ts.isExpressionStatement(node.parent)) validated = true
      else if (isInGuardingIf(node)) validated = true
    }
    return undefined
  })
  return validated
}

const GUARD_PREFIXES = ['validate', 'assert', 'ensure', 'verify', 'check']

/** True when a call sits in the condition of an `if` whose branch throws or returns. */
function isInGuardingIf(call: ts.Node): boolean {
  for (let node: ts.Node = call, parent = call.parent, guard = 0; parent && guard < 20; node = parent, parent = parent.parent, guard++) {
    if (ts.isIfStatement(parent)) {
      if (parent.expression !== node) return false
      let exits = false
      walkNodes(parent.thenStatement, (inner) => {
        if (ts.isThrowStatement(inner) || ts.isReturnStatement(inner)) exits = true
        return exits ? false : undefined
      })
      return exits
    }
    if (ts.isStatement(parent) || ts.isFunctionLike(parent)) return false
  }
  return false
}

/** True when the integration's extendRequest puts a credential on every request (auth headers, basic auth). */
export function extendRequestAddsSecret(analysis: TaintAnalysis): boolean {
  for (const file of analysis.files) {
    let found = false
    walkNodes(file.parsed.sourceFile, (node) => {
      if (found) return false
      let fn: ts.FunctionLikeDeclaration | undefined
      if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'extendRequest') fn = node
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'extendRequest') {
        const initializer = unwrapExpression(node.initializer)
        if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) fn = initializer
      }
      if (!fn?.body) return undefined
      const scope: Scope = { file: file.parsed, env: new Map(), hops: 0 }
      const returned: ts.Expression[] = ts.isBlock(fn.body) ? [] : [fn.body]
      if (ts.isBlock(fn.body))
        walkNodes(fn.body, (inner) => {
          if (ts.isReturnStatement(inner) && inner.expression) returned.push(inner.expression)
        })
      found = returned.some((expression) => analysis.originsOf(expression, scope).some((origin) => analysis.isSecret(origin)))
      return false
    })
    if (found) return true
  }
  return false
}

/**
 * A request through the source runtime's globals, declared and imported nowhere in the code:
 * `fetch(url)`, or `https.get(url)` / `https.request(url)` with a URL (not an options object).
 */
function isGlobalFetchCall(call: ts.CallExpression): boolean {
  const callee = unwrapExpression(call.expression)
  if (ts.isIdentifier(callee)) return callee.text === 'fetch' && declarationOf(callee) === undefined
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !/^https?$/.test(callee.expression.text))
    return false
  const first = call.arguments[0]
  return (
    (callee.name.text === 'get' || callee.name.text === 'request') &&
    declarationOf(callee.expression) === undefined &&
    first !== undefined &&
    !ts.isObjectLiteralExpression(unwrapExpression(first))
  )
}
