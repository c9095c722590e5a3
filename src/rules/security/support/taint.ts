// Taint-lite (research/security-checks.md §3): where a value comes from — `payload`, `settings`
// or `auth` — followed through const bindings, destructuring, templates, `+`, string methods,
// ternaries and `??`, inside one function plus one hop into helpers of the same integration.
// Sanitisers (encodeURIComponent, numeric casts, allowlist lookups) end a flow; anything else
// unknown yields no origin, so it can never produce a finding.
import { ts } from '../../../model/typescript.js'
import type { ParsedFile } from '../../../model/source-program.js'
import type { IntegrationRuleContext } from '../../rule.js'
import { codeFilesOf, memberName, staticPropertyName, unwrapExpression, walkNodes, type CodeFile } from './code-files.js'
import { hasPrimitiveType, isExecutionParameter } from './entry-points.js'
import { secretNameOf } from './secret-names.js'
import { settingsOf, type SettingView } from './settings-model.js'
import { REQUEST_BODY_METHODS, REQUEST_LOOKUP_METHODS, SERVER_REQUEST_BODY_MEMBERS, sourceHandlerRole } from './source-handler.js'
import { nodesOfKinds } from '../../../model/syntax-index.js'
import { DerivedFact } from '../../../model/derived-facts.js'

type OriginKind = 'payload' | 'settings' | 'auth' | 'execution'

export interface Origin {
  kind: OriginKind
  /** The first member read below the root (`settings.region` → `region`); undefined for the whole object. */
  key?: string
  /** True once the value passed a RegExp escape helper. */
  regexEscaped?: boolean
  /**
   * True when the origin rests on a naming convention only (a `payload` parameter of a helper
   * no entry point was seen to call): likely, not shown — rules report it as a warning at most.
   */
  guessed?: boolean
  /**
   * Set on a source function's incoming request (`request`, `request.headers`, `request.url`):
   * its body and header values are read through methods (`json()`, `headers.get(name)`).
   */
  sourceRequest?: boolean
  /** True for data read from a source function's request (named so in messages). */
  fromRequest?: boolean
}

/** Origins of the parameters of a helper analysed from a call site. */
type Environment = Map<ts.Node, Origin[]>

export interface Scope {
  file: ParsedFile
  env: Environment
  /** Helper hops taken so far (at most one). */
  hops: number
}

const ROOT_NAMES: Record<string, OriginKind> = {
  payload: 'payload',
  rawData: 'payload',
  settings: 'settings',
  audienceSettings: 'settings',
  auth: 'auth'
}
const EXECUTION_NAMES = new Set(['data', 'input', 'executeInput', 'context', 'ctx', 'options'])
const PROPAGATING_METHODS = new Set([
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'toString',
  'concat',
  'slice',
  'substring',
  'substr',
  'padStart',
  'padEnd',
  'normalize',
  'join',
  'replace',
  'replaceAll',
  'at',
  'valueOf',
  'flat',
  'map'
])
/** Calls whose result carries no attacker-controlled text. */
const SANITISERS = new Set([
  'encodeURIComponent',
  'encodeURI',
  'escape',
  'Number',
  'parseInt',
  'parseFloat',
  'Boolean',
  'isNaN',
  'isFinite'
])
const SANITISER_OBJECTS = new Set(['Math'])
const ARRAY_CALLBACK_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'flatMap',
  'some',
  'every',
  'find',
  'findIndex',
  'reduce',
  'reduceRight'
])
const MAX_DEPTH = 40
const MAX_HOPS = 1

export class TaintAnalysis {
  readonly settings: Map<string, SettingView>
  readonly files: CodeFile[]
  private readonly integrationPrefix: string
  /** True for a cloud source: its `onRequest(request, settings)` parameters are where data comes from. */
  readonly isSource: boolean
  private readonly helpers = new Map<
    ts.CallExpression,
    { file: ParsedFile; helper: { fn: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined }
  >()

  /** What visitCalls visits, in order, once a visit has gone through (see visitCalls). */
  private visitedCalls: Array<{ call: ts.CallExpression | ts.NewExpression; scope: Scope }> | undefined

  constructor(private readonly context: IntegrationRuleContext) {
    this.isSource = context.integration.kind === 'cloud-source'
    this.settings = new Map(settingsOf(context.head).map((setting) => [setting.key, setting]))
    this.files = codeFilesOf(context).filter((file) => !file.isTest)
    this.integrationPrefix = `${context.integration.path}/`
  }

  /** Where the value of an expression may come from. */
  originsOf(expression: ts.Expression, scope: Scope, depth = 0): Origin[] {
    if (depth > MAX_DEPTH) return []
    const node = unwrapExpression(expression)
    if (ts.isAwaitExpression(node)) return this.originsOf(node.expression, scope, depth + 1)
    if (ts.isIdentifier(node)) return this.originsOfIdentifier(node, scope, depth)
    if (ts.isPropertyAccessExpression(node)) return this.originsOfPath(node.expression, [node.name.text], scope, depth + 1)
    if (ts.isElementAccessExpression(node)) {
      if (this.isAllowlistLookup(node)) return []
      const name = memberName(node)
      return name === undefined
        ? this.originsOf(node.expression, scope, depth + 1)
        : this.originsOfPath(node.expression, [name], scope, depth + 1)
    }
    if (ts.isTemplateExpression(node)) return node.templateSpans.flatMap((span) => this.originsOf(span.expression, scope, depth + 1))
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind
      if (
        operator === ts.SyntaxKind.PlusToken ||
        operator === ts.SyntaxKind.QuestionQuestionToken ||
        operator === ts.SyntaxKind.BarBarToken
      ) {
        return [...this.originsOf(node.left, scope, depth + 1), ...this.originsOf(node.right, scope, depth + 1)]
      }
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return this.originsOf(node.right, scope, depth + 1)
      return []
    }
    if (ts.isConditionalExpression(node))
      return [...this.originsOf(node.whenTrue, scope, depth + 1), ...this.originsOf(node.whenFalse, scope, depth + 1)]
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.flatMap((property) => {
        if (ts.isPropertyAssignment(property)) return this.originsOf(property.initializer, scope, depth + 1)
        if (ts.isShorthandPropertyAssignment(property)) return this.originsOf(property.name, scope, depth + 1)
        if (ts.isSpreadAssignment(property)) return this.originsOf(property.expression, scope, depth + 1)
        return []
      })
    }
    if (ts.isArrayLiteralExpression(node))
      return node.elements.flatMap((element) =>
        this.originsOf(ts.isSpreadElement(element) ? element.expression : element, scope, depth + 1)
      )
    if (ts.isNewExpression(node)) {
      // new URL(x, base) carries both parts.
      if (ts.isIdentifier(node.expression) && (node.expression.text === 'URL' || node.expression.text === 'String'))
        return (node.arguments ?? []).flatMap((argument) => this.originsOf(argument, scope, depth + 1))
      return []
    }
    if (ts.isCallExpression(node)) return this.originsOfCall(node, scope, depth)
    return []
  }

  /**
   * Where `expression.a.b` may come from, property by property: of an object literal only the
   * property read counts (`{ url, options }` where only `options.json` holds event data leaves
   * `url` clean), through const bindings, spreads, branches and a helper's returned object.
   */
  originsOfPath(expression: ts.Expression, path: readonly string[], scope: Scope, depth = 0): Origin[] {
    if (path.length === 0) return this.originsOf(expression, scope, depth)
    if (depth > MAX_DEPTH) return []
    const node = unwrapExpression(expression)
    const [head, ...rest] = path
    if (ts.isAwaitExpression(node)) return this.originsOfPath(node.expression, path, scope, depth + 1)
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.flatMap((property) => {
        if (ts.isSpreadAssignment(property)) return this.originsOfPath(property.expression, path, scope, depth + 1)
        if (ts.isPropertyAssignment(property) && staticPropertyName(property.name) === head)
          return this.originsOfPath(property.initializer, rest, scope, depth + 1)
        if (ts.isShorthandPropertyAssignment(property) && property.name.text === head)
          return this.originsOfPath(property.name, rest, scope, depth + 1)
        return []
      })
    }
    if (ts.isPropertyAccessExpression(node)) return this.originsOfPath(node.expression, [node.name.text, ...path], scope, depth + 1)
    if (ts.isElementAccessExpression(node) && !this.isAllowlistLookup(node)) {
      const name = memberName(node)
      if (name !== undefined) return this.originsOfPath(node.expression, [name, ...path], scope, depth + 1)
    }
    if (ts.isIdentifier(node)) {
      const declaration = declarationOf(node)
      if (declaration && ts.isVariableDeclaration(declaration.node) && declaration.node.initializer && !scope.env.has(declaration.node)) {
        return this.originsOfPath(declaration.node.initializer, [...declaration.path, ...path], scope, depth + 1)
      }
    }
    if (ts.isConditionalExpression(node))
      return [...this.originsOfPath(node.whenTrue, path, scope, depth + 1), ...this.originsOfPath(node.whenFalse, path, scope, depth + 1)]
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      return [...this.originsOfPath(node.left, path, scope, depth + 1), ...this.originsOfPath(node.right, path, scope, depth + 1)]
    }
    if (ts.isCallExpression(node) && scope.hops < MAX_HOPS) {
      const helper = this.resolveHelper(node, scope.file)
      if (helper) {
        const helperScope = this.scopeForCall(helper, node, scope, depth)
        return returnedExpressions(helper.fn).flatMap((returned) => this.originsOfPath(returned, path, helperScope, depth + 1))
      }
    }
    return followPath(this.originsOf(node, scope, depth + 1), path)
  }

  /**
   * The expressions a value is spelled with, when the code shows them: const bindings,
   * destructuring, properties of object literals, branches, a helper's returned value (one hop).
   * Undefined when it cannot tell.
   */
  valuesOf(
    expression: ts.Expression,
    scope: Scope,
    path: readonly string[] = [],
    depth = 0
  ): Array<{ expression: ts.Expression; scope: Scope }> | undefined {
    if (depth > MAX_DEPTH) return undefined
    const node = unwrapExpression(expression)
    if (ts.isAwaitExpression(node)) return this.valuesOf(node.expression, scope, path, depth + 1)
    if (ts.isIdentifier(node)) {
      const declaration = declarationOf(node)
      if (!declaration) return path.length === 0 ? [{ expression: node, scope }] : undefined
      if (ts.isVariableDeclaration(declaration.node) && declaration.node.initializer && !scope.env.has(declaration.node)) {
        return this.valuesOf(declaration.node.initializer, scope, [...declaration.path, ...path], depth + 1)
      }
      return path.length === 0 ? [{ expression: node, scope }] : undefined
    }
    if (ts.isPropertyAccessExpression(node)) {
      const inner = this.valuesOf(node.expression, scope, [node.name.text, ...path], depth + 1)
      return inner ?? (path.length === 0 ? [{ expression: node, scope }] : undefined)
    }
    if (ts.isConditionalExpression(node) && path.length > 0) {
      const whenTrue = this.valuesOf(node.whenTrue, scope, path, depth + 1)
      const whenFalse = this.valuesOf(node.whenFalse, scope, path, depth + 1)
      return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : undefined
    }
    if (ts.isObjectLiteralExpression(node) && path.length > 0) {
      const [head, ...rest] = path
      let found: Array<{ expression: ts.Expression; scope: Scope }> | undefined
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property) && staticPropertyName(property.name) === head)
          found = this.valuesOf(property.initializer, scope, rest, depth + 1)
        else if (ts.isShorthandPropertyAssignment(property) && property.name.text === head)
          found = this.valuesOf(property.name, scope, rest, depth + 1)
        else if (ts.isSpreadAssignment(property)) {
          // A spread may or may not carry the key: only a spread known to lack it is harmless.
          const spread = this.valuesOf(property.expression, scope, path, depth + 1)
          if (!spread) return undefined
          found = [...(found ?? []), ...spread]
        } else if (
          !ts.isPropertyAssignment(property) &&
          !ts.isShorthandPropertyAssignment(property) &&
          staticPropertyName(property.name) === undefined
        )
          return undefined
      }
      return found
    }
    if (ts.isCallExpression(node)) {
      if (scope.hops >= MAX_HOPS) return path.length === 0 ? [{ expression: node, scope }] : undefined
      const helper = this.resolveHelper(node, scope.file)
      if (!helper) return path.length === 0 ? [{ expression: node, scope }] : undefined
      const helperScope = this.scopeForCall(helper, node, scope, depth)
      const values: Array<{ expression: ts.Expression; scope: Scope }> = []
      for (const returned of returnedExpressions(helper.fn)) {
        const inner = this.valuesOf(returned, helperScope, path, depth + 1)
        if (!inner) return undefined
        values.push(...inner)
      }
      return values.length > 0 ? values : undefined
    }
    return path.length === 0 ? [{ expression: node, scope }] : undefined
  }

  private originsOfCall(call: ts.CallExpression, scope: Scope, depth: number): Origin[] {
    const callee = unwrapExpression(call.expression)
    if (ts.isIdentifier(callee)) {
      if (SANITISERS.has(callee.text)) return []
      if (callee.text === 'String') return call.arguments[0] ? this.originsOf(call.arguments[0], scope, depth + 1) : []
      if (callee.text.toLowerCase().includes('escape'))
        return (call.arguments[0] ? this.originsOf(call.arguments[0], scope, depth + 1) : []).map((origin) => ({
          ...origin,
          regexEscaped: true
        }))
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text
      const receiver = unwrapExpression(callee.expression)
      if (ts.isIdentifier(receiver) && SANITISER_OBJECTS.has(receiver.text)) return []
      // JSON text and the value parsed from it carry the same data.
      if (ts.isIdentifier(receiver) && receiver.text === 'JSON' && (method === 'stringify' || method === 'parse'))
        return call.arguments[0] ? this.originsOf(call.arguments[0], scope, depth + 1) : []
      if (REQUEST_BODY_METHODS.has(method) || REQUEST_LOOKUP_METHODS.has(method)) {
        const read = requestRead(method, call, this.originsOf(callee.expression, scope, depth + 1))
        if (read) return read
      }
      if (method.toLowerCase().includes('escape'))
        return (call.arguments[0] ? this.originsOf(call.arguments[0], scope, depth + 1) : []).map((origin) => ({
          ...origin,
          regexEscaped: true
        }))
      if (PROPAGATING_METHODS.has(method)) {
        const origins = this.originsOf(callee.expression, scope, depth + 1)
        if ((method === 'replace' || method === 'replaceAll') && isRegExpEscape(call))
          return origins.map((origin) => ({ ...origin, regexEscaped: true }))
        if (method === 'concat') return [...origins, ...call.arguments.flatMap((argument) => this.originsOf(argument, scope, depth + 1))]
        return origins
      }
    }
    // One hop into a helper of the same integration: its return value, with parameters bound to the arguments.
    if (scope.hops < MAX_HOPS) {
      const helper = this.resolveHelper(call, scope.file)
      if (helper) {
        const helperScope = this.scopeForCall(helper, call, scope, depth)
        return returnedExpressions(helper.fn).flatMap((expression) => this.originsOf(expression, helperScope, depth + 1))
      }
    }
    return []
  }

  private originsOfIdentifier(identifier: ts.Identifier, scope: Scope, depth: number): Origin[] {
    const declaration = declarationOf(identifier)
    if (!declaration) return []
    const bound = scope.env.get(declaration.node)
    if (ts.isParameter(declaration.node)) {
      const parameter = declaration.node
      if (bound) return followPath(bound, declaration.path)
      const role = this.isSource ? sourceHandlerRole(parameter) : undefined
      // A source function's request is the partner's webhook: its body, headers and URL are untrusted input.
      if (role === 'request') return followPath([{ kind: 'payload', sourceRequest: true, fromRequest: true }], declaration.path)
      if (role === 'settings') return followPath([{ kind: 'settings' }], declaration.path)
      const element = this.arrayCallbackElement(parameter, scope, depth)
      if (element) return followPath(element, declaration.path)
      return originsFromParameterName(parameter, declaration.path)
    }
    if (ts.isForOfStatement(declaration.node)) {
      // `for (const event of payload)`: each element comes from the iterable.
      return followPath(this.originsOf(declaration.node.expression, scope, depth + 1), declaration.path)
    }
    if (ts.isVariableDeclaration(declaration.node) && declaration.node.initializer) {
      // Destructuring a `for…of` or `let` reassigned later stays simple: the initializer decides.
      return this.originsOfPath(declaration.node.initializer, declaration.path, scope, depth + 1)
    }
    return []
  }

  /** `payload.map((event) => …)`: the element parameter of an array callback carries the array's origins. */
  private arrayCallbackElement(parameter: ts.ParameterDeclaration, scope: Scope, depth: number): Origin[] | undefined {
    const fn = parameter.parent
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined
    const call = fn.parent
    if (!ts.isCallExpression(call) || !call.arguments.includes(fn) || !ts.isPropertyAccessExpression(call.expression)) return undefined
    const method = call.expression.name.text
    const elementIndex = method === 'reduce' || method === 'reduceRight' ? 1 : 0
    if (!ARRAY_CALLBACK_METHODS.has(method) || fn.parameters.indexOf(parameter) !== elementIndex) return undefined
    const origins = this.originsOf(call.expression.expression, scope, depth + 1)
    return origins.length > 0 ? origins : undefined
  }

  /** `ALLOWED_HOSTS[x]` on a constant object, Map or array: the result is one of the code's own values. */
  private isAllowlistLookup(node: ts.ElementAccessExpression): boolean {
    const object = unwrapExpression(node.expression)
    if (ts.isObjectLiteralExpression(object) || ts.isArrayLiteralExpression(object)) return true
    if (!ts.isIdentifier(object) && !ts.isPropertyAccessExpression(object)) return false
    const root = ts.isIdentifier(object) ? object : rootIdentifier(object)
    if (!root) return false
    const declaration = declarationOf(root)
    if (!declaration || !ts.isVariableDeclaration(declaration.node) || !declaration.node.initializer) return false
    const list = declaration.node.parent
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return false
    const initializer = unwrapExpression(declaration.node.initializer)
    return (
      ts.isObjectLiteralExpression(initializer) ||
      ts.isArrayLiteralExpression(initializer) ||
      (ts.isNewExpression(initializer) &&
        ts.isIdentifier(initializer.expression) &&
        (initializer.expression.text === 'Map' || initializer.expression.text === 'Set'))
    )
  }

  /**
   * A function of the same integration that a call invokes, when it is written there. Each call is
   * resolved once: the visits of every rule and the origins of its results ask about the same calls.
   */
  resolveHelper(call: ts.CallExpression, file: ParsedFile): { fn: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined {
    const known = this.helpers.get(call)
    if (known && known.file === file) return known.helper
    const helper = this.resolveHelperUncached(call, file)
    this.helpers.set(call, { file, helper })
    return helper
  }

  private resolveHelperUncached(
    call: ts.CallExpression,
    file: ParsedFile
  ): { fn: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined {
    const callee = unwrapExpression(call.expression)
    if (!ts.isIdentifier(callee)) return undefined
    return this.resolveFunction(callee.text, callee, file, 0)
  }

  private resolveFunction(
    name: string,
    at: ts.Identifier | undefined,
    file: ParsedFile,
    depth: number
  ): { fn: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined {
    if (depth > 4) return undefined
    const declaration = at ? declarationOf(at) : topLevelDeclaration(file.sourceFile, name)
    if (!declaration) return undefined
    const node = declaration.node
    if (ts.isFunctionDeclaration(node) && node.body) return { fn: node, file }
    if (ts.isVariableDeclaration(node) && node.initializer && declaration.path.length === 0) {
      const initializer = unwrapExpression(node.initializer)
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return { fn: initializer, file }
      return undefined
    }
    if (ts.isImportSpecifier(node) || ts.isImportClause(node)) {
      const importDeclaration = ts.isImportSpecifier(node) ? node.parent.parent.parent : node.parent
      if (!ts.isStringLiteral(importDeclaration.moduleSpecifier)) return undefined
      const resolution = this.context.head.program.resolveModule(file.path, importDeclaration.moduleSpecifier.text)
      if (resolution.kind !== 'file' || !resolution.path.startsWith(this.integrationPrefix)) return undefined
      const target = this.context.parse(resolution.path)
      if (!target) return undefined
      const exported = ts.isImportClause(node)
        ? 'default'
        : node.propertyName
          ? (staticPropertyName(node.propertyName) ?? node.name.text)
          : node.name.text
      return this.resolveExportedFunction(target, exported, depth + 1)
    }
    return undefined
  }

  private resolveExportedFunction(
    file: ParsedFile,
    name: string,
    depth: number
  ): { fn: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined {
    for (const statement of file.sourceFile.statements) {
      if (name === 'default') {
        if (ts.isFunctionDeclaration(statement) && statement.body && hasModifier(statement, ts.SyntaxKind.DefaultKeyword))
          return { fn: statement, file }
        if (ts.isExportAssignment(statement)) {
          const expression = unwrapExpression(statement.expression)
          if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) return { fn: expression, file }
          if (ts.isIdentifier(expression)) return this.resolveFunction(expression.text, undefined, file, depth + 1)
        }
        continue
      }
      if (
        ts.isExportDeclaration(statement) &&
        statement.exportClause &&
        ts.isNamedExports(statement.exportClause) &&
        !statement.moduleSpecifier
      ) {
        const element = statement.exportClause.elements.find((candidate) => candidate.name.text === name)
        if (element)
          return this.resolveFunction(
            element.propertyName ? (staticPropertyName(element.propertyName) ?? name) : name,
            undefined,
            file,
            depth + 1
          )
      }
    }
    const local = topLevelDeclaration(file.sourceFile, name)
    if (!local) return undefined
    const exported = ts.isFunctionDeclaration(local.node)
      ? hasModifier(local.node, ts.SyntaxKind.ExportKeyword)
      : ts.isVariableDeclaration(local.node) && hasModifier(local.node.parent.parent, ts.SyntaxKind.ExportKeyword)
    return exported ? this.resolveFunction(name, undefined, file, depth + 1) : undefined
  }

  /** The scope of a helper body entered from a call: parameter i is bound to argument i. */
  scopeForCall(helper: { fn: ts.FunctionLikeDeclaration; file: ParsedFile }, call: ts.CallExpression, scope: Scope, depth = 0): Scope {
    const env: Environment = new Map()
    helper.fn.parameters.forEach((parameter, index) => {
      const argument = call.arguments[index]
      if (argument) env.set(parameter, this.originsOf(argument, scope, depth + 1))
    })
    return { file: helper.file, env, hops: scope.hops + 1 }
  }

  /**
   * Visits every call and `new` of the integration's non-test code, then — once — the calls
   * inside local helpers invoked with tainted arguments, in the caller's scope.
   */
  visitCalls(visit: (call: ts.CallExpression | ts.NewExpression, scope: Scope) => void): void {
    // Several rules visit the same calls (request sinks, logging, regexps): the first visit
    // records them with their scopes (nothing a visitor does changes them), the others replay it.
    if (this.visitedCalls) {
      for (const { call, scope } of this.visitedCalls) visit(call, scope)
      return
    }
    const visited: Array<{ call: ts.CallExpression | ts.NewExpression; scope: Scope }> = []
    const record = (call: ts.CallExpression | ts.NewExpression, scope: Scope) => {
      visited.push({ call, scope })
      visit(call, scope)
    }
    for (const file of this.files) {
      const scope: Scope = { file: file.parsed, env: new Map(), hops: 0 }
      for (const node of nodesOfKinds<ts.CallExpression | ts.NewExpression>(file.parsed.sourceFile, CALL_KINDS)) {
        record(node, scope)
        if (!ts.isCallExpression(node)) continue
        const helper = this.resolveHelper(node, scope.file)
        if (!helper || !helper.fn.body) continue
        const helperScope = this.scopeForCall(helper, node, scope)
        if (!hasAnyOrigin(helperScope.env)) continue
        walkNodes(helper.fn.body, (inner) => {
          if (ts.isCallExpression(inner) || ts.isNewExpression(inner)) record(inner, helperScope)
        })
      }
    }
    this.visitedCalls = visited
  }

  /** True for origins that carry a credential: `auth.*` tokens and password or secret-named settings. */
  isSecret(origin: Origin): boolean {
    if (origin.kind === 'auth') return origin.key === undefined || origin.key !== 'clientId'
    if (origin.kind !== 'settings' || origin.key === undefined) return false
    const setting = this.settings.get(origin.key)
    return setting?.type === 'password' || secretNameOf(origin.key) !== undefined
  }

  /**
   * Settings restricted to `choices` cannot carry arbitrary text; neither can a setting the model
   * does not know (unresolved or undeclared): unknown is never reported.
   */
  isRestrictedSetting(origin: Origin): boolean {
    if (origin.kind !== 'settings' || origin.key === undefined) return false
    const setting = this.settings.get(origin.key)
    return setting === undefined || setting.hasChoices
  }
}

/** Whether a call is the framework's request client: the first parameter of an entry point or a `request` parameter. */
export function isRequestClientCall(call: ts.CallExpression): boolean {
  const callee = unwrapExpression(call.expression)
  if (!ts.isIdentifier(callee)) return false
  const declaration = declarationOf(callee)
  if (!declaration || !ts.isParameter(declaration.node) || declaration.path.length > 0) return false
  const parameter = declaration.node
  const fn = parameter.parent
  if (callee.text === 'request' || (parameter.type?.getText() ?? '').includes('RequestClient')) return true
  return (
    ts.isFunctionLike(fn) &&
    fn.parameters.indexOf(parameter) === 0 &&
    fn.parameters.length >= 2 &&
    !(ts.isCallExpression(fn.parent) && fn.parent.arguments.includes(fn as unknown as ts.Expression))
  )
}

function hasAnyOrigin(env: Environment): boolean {
  for (const origins of env.values()) if (origins.length > 0) return true
  return false
}

function isRegExpEscape(call: ts.CallExpression): boolean {
  const pattern = call.arguments[0]
  if (!pattern || !ts.isRegularExpressionLiteral(pattern)) return false
  const text = pattern.text
  return text.includes('*') && text.includes('+') && text.includes('?') && text.includes('\\')
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind)
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current = unwrapExpression(expression)
  for (let guard = 0; guard < 50; guard++) {
    if (ts.isIdentifier(current)) return current
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = unwrapExpression(current.expression)
    else return undefined
  }
  return undefined
}

/** Applies a member read to origins: `data.payload` → payload; `settings.region` → settings key region. */
function applyMember(origins: Origin[], name: string): Origin[] {
  const result: Origin[] = []
  for (const origin of origins) {
    if (origin.kind === 'execution') {
      const kind = ROOT_NAMES[name]
      if (kind) result.push(origin.guessed ? { kind, guessed: true } : { kind })
    } else if (origin.sourceRequest && origin.key === undefined && SERVER_REQUEST_BODY_MEMBERS.has(name))
      result.push({ kind: origin.kind, fromRequest: true })
    else if (origin.sourceRequest && (origin.key === undefined || (origin.key === 'url' && name === 'searchParams')))
      result.push(origin.key === undefined ? { ...origin, key: name } : origin)
    // Below `request.headers` or `request.url`, a member is no longer the request itself.
    // `req.headers['authorization']`: a header read as a member is named by the header.
    else if (origin.sourceRequest)
      result.push({ kind: origin.kind, key: origin.key === 'headers' ? name.toLowerCase() : origin.key, fromRequest: true })
    // A webhook body nests its fields (`body.contact.email`): the field read last names the data, not the first.
    else if (origin.fromRequest && !/^\d+$/.test(name)) result.push({ ...origin, key: name })
    else result.push(origin.key === undefined ? { ...origin, key: name } : origin)
  }
  return result
}

/**
 * A read of a source function's request through a method: `request.json()` / `request.text()` is
 * the whole body (event data, like a whole `payload`); `request.headers.get('x-sig')` and
 * `request.url.searchParams.get('id')` are the one value named. Undefined for any other receiver.
 */
function requestRead(method: string, call: ts.CallExpression, receiver: Origin[]): Origin[] | undefined {
  const request = receiver.filter((origin) => origin.sourceRequest)
  if (request.length === 0) return undefined
  if (REQUEST_BODY_METHODS.has(method))
    return request.some((origin) => origin.key === undefined) ? [{ kind: 'payload', fromRequest: true }] : undefined
  const name = call.arguments[0]
  const key = name && (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) ? name.text.toLowerCase() : undefined
  const from = request.filter((origin) => origin.key === 'headers' || origin.key === 'url')
  return from.length > 0 ? from.map((origin) => ({ kind: 'payload' as const, key: key ?? origin.key, fromRequest: true })) : undefined
}

function followPath(origins: Origin[], path: readonly string[]): Origin[] {
  let current = origins
  for (const segment of path) current = applyMember(current, segment)
  return current
}

/**
 * Where a parameter's value comes from when no call site bound it. The execution data of a
 * framework entry point (or a parameter typed `ExecuteInput`) is shown; a `payload`, `settings`
 * or `auth` parameter typed as such is shown; the same names in any other function are only the
 * naming convention of Actions code, so those origins are `guessed`.
 */
function originsFromParameterName(parameter: ts.ParameterDeclaration, path: readonly string[]): Origin[] {
  if (hasPrimitiveType(parameter)) return []
  const execution = isExecutionParameter(parameter)
  const typeText = parameter.type?.getText() ?? ''
  if (ts.isIdentifier(parameter.name)) {
    const kind = ROOT_NAMES[parameter.name.text]
    if (kind) return followPath([{ kind, ...(execution || TYPE_WORDS[kind].test(typeText) ? {} : { guessed: true }) }], path)
    if (execution) return followPath([{ kind: 'execution' }], path)
    const fn = parameter.parent
    const index = ts.isFunctionLike(fn) ? fn.parameters.indexOf(parameter) : -1
    // An untyped `data` / `input` second parameter of a helper usually carries the execution data: a guess.
    if (index === 1 && EXECUTION_NAMES.has(parameter.name.text) && !parameter.type)
      return followPath([{ kind: 'execution', guessed: true }], path)
    return []
  }
  if (path.length === 0) return []
  if (execution || /\b(?:Payload|Settings|ExecuteInput)\b/.test(typeText)) return followPath([{ kind: 'execution' }], path)
  return followPath([{ kind: 'execution', guessed: true }], path)
}

/** Type names that show what a `payload`, `settings` or `auth` parameter holds. */
const TYPE_WORDS: Record<OriginKind, RegExp> = {
  payload: /Payload\b/,
  settings: /Settings\b/,
  auth: /\bAuth/,
  execution: /\bExecuteInput\b/
}

/** The return values of a function: its expression body or its `return` statements (not nested functions). */
function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body
  if (!body) return []
  if (!ts.isBlock(body)) return [body]
  const returned: ts.Expression[] = []
  walkNodes(body, (node) => {
    if (node !== body && ts.isFunctionLike(node)) return false
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression)
    return undefined
  })
  return returned
}

export interface Declaration {
  /** A parameter, variable declaration, function, class or import node. */
  node: ts.Node
  /** Property keys from the declared binding down to the name (`const { a: { b } } = x` → ['a', 'b']). */
  path: string[]
}

const CALL_KINDS = [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]

const declarations = new DerivedFact<ts.Identifier, Declaration | null>('declaration')

/**
 * Finds the declaration an identifier refers to by walking its enclosing scopes. Many rules and
 * the taint analysis ask about the same identifiers; the answer depends only on the tree, so it
 * is kept as long as the tree lives (callers must not modify it).
 */
export function declarationOf(identifier: ts.Identifier): Declaration | undefined {
  const known = declarations.get(identifier)
  if (known !== undefined) return known ?? undefined
  const found = findDeclaration(identifier)
  declarations.set(identifier, found ?? null)
  return found
}

function findDeclaration(identifier: ts.Identifier): Declaration | undefined {
  const name = identifier.text
  for (let scope: ts.Node | undefined = identifier.parent, guard = 0; scope && guard < 500; scope = scope.parent, guard++) {
    if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) {
        const path = pathInBinding(parameter.name, name)
        if (path) return { node: parameter, path }
      }
      // A named function expression can call itself by name.
      if (ts.isFunctionExpression(scope) && scope.name?.text === name) return { node: scope, path: [] }
    }
    if (ts.isCatchClause(scope) && scope.variableDeclaration) {
      const path = pathInBinding(scope.variableDeclaration.name, name)
      if (path) return { node: scope.variableDeclaration, path }
    }
    if (
      (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
      scope.initializer &&
      ts.isVariableDeclarationList(scope.initializer)
    ) {
      for (const declaration of scope.initializer.declarations) {
        const path = pathInBinding(declaration.name, name)
        // The loop variable of for…of is an element, not the iterable.
        if (path) return ts.isForStatement(scope) ? { node: declaration, path } : { node: scope, path }
      }
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      const found = declarationInStatements(scope.statements, name)
      if (found) return found
    }
  }
  return undefined
}

function topLevelDeclaration(sourceFile: ts.SourceFile, name: string): Declaration | undefined {
  return declarationInStatements(sourceFile.statements, name)
}

/** Declarations found by name in a block's statements: every identifier below the block asks its statements again. */
const statementDeclarations = new DerivedFact<ts.NodeArray<ts.Statement>, Map<string, Declaration | null>>('declarations by name')

function declarationInStatements(statements: ts.NodeArray<ts.Statement>, name: string): Declaration | undefined {
  const byName = statementDeclarations.of(statements, () => new Map<string, Declaration | null>())
  const known = byName.get(name)
  if (known !== undefined) return known ?? undefined
  const found = findInStatements(statements, name)
  byName.set(name, found ?? null)
  return found
}

function findInStatements(statements: ts.NodeArray<ts.Statement>, name: string): Declaration | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const path = pathInBinding(declaration.name, name)
        if (path) return { node: declaration, path }
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) {
      return { node: statement, path: [] }
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause
      if (clause.name?.text === name) return { node: clause, path: [] }
      const named = clause.namedBindings
      if (named && ts.isNamespaceImport(named) && named.name.text === name) return { node: named, path: [] }
      if (named && ts.isNamedImports(named)) {
        const element = named.elements.find((candidate) => candidate.name.text === name)
        if (element) return { node: element, path: [] }
      }
    }
  }
  return undefined
}

/** The property path to `name` inside a binding name, or undefined when it does not bind it. */
function pathInBinding(binding: ts.BindingName, name: string, depth = 0): string[] | undefined {
  if (ts.isIdentifier(binding)) return binding.text === name ? [] : undefined
  if (depth > 20) return undefined
  for (const element of binding.elements) {
    if (ts.isOmittedExpression(element)) continue
    const inner = pathInBinding(element.name, name, depth + 1)
    if (!inner) continue
    if (ts.isArrayBindingPattern(binding) || element.dotDotDotToken) return inner
    const key = element.propertyName
      ? staticPropertyName(element.propertyName)
      : ts.isIdentifier(element.name)
        ? element.name.text
        : undefined
    return key === undefined ? inner : [key, ...inner]
  }
  return undefined
}

/** How a message names an origin: `payload.email`, `settings.region`, `auth.accessToken`. */
export function describeOrigin(origin: Origin): string {
  if (origin.fromRequest) return origin.key === undefined ? 'the whole incoming request body' : `\`${origin.key}\` of the incoming request`
  const root = origin.kind === 'execution' ? 'the execution data' : origin.kind
  return origin.key === undefined ? (origin.kind === 'execution' ? root : `the whole \`${root}\``) : `\`${root}.${origin.key}\``
}
