// Turns the writes load-time code makes into marks on the objects they may change. A write to
// an object created inside the running call (a fresh local, a reduce accumulator that starts
// as a literal) changes nothing the module declared and is ignored; a write through a
// parameter changes what the callers passed; anything not traced marks every object the
// module declares or imports.
import { ts } from './typescript.js'
import type { LoadTimeCall, LoadTimeWalk, LoadTimeWrite } from './load-time-code.js'
import { freshness, isFreshLocalPath, memberPath, resolveLocal, skipWrappers, type LocalBinding } from './local-bindings.js'
import type { ParsedFile } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { StaticCollection, Unresolved, isPlainObject, markMutated, type StaticObject, type StaticValue } from './static-values.js'

/** How far a value is traced back through locals, parameters and call sites. */
const MAX_TRACE_DEPTH = 8

export class WriteMarker {
  constructor(
    private readonly evaluator: StaticEvaluator,
    private readonly walk: Pick<LoadTimeWalk, 'callSites'>
  ) {}

  mark(write: LoadTimeWrite): void {
    const { target, site, file } = write
    const at = this.evaluator.at(file, site)
    const why = new Unresolved(`modified after its declaration at ${at.path}:${at.line}`, at)
    const path = memberPath(target)
    const root = path?.root ?? rootIdentifier(target)
    const local = root ? resolveLocal(root.text, root) : undefined
    if (!local) {
      this.markModuleTarget(target, root, file, why)
      return
    }
    if (path && this.isFresh(local, path.path)) {
      if (runsWithinDeclaringCall(local, site)) return
      // A closure writes to an object its creator made, maybe after it became a module value: which one is not known.
      markEverythingIn(file, this.evaluator, `${why.reason} (by a function that may run after the object became a module value)`)
      return
    }
    // The written object came from elsewhere: whatever the local was made from may change.
    this.markBindingSources(local, file, why, 0)
  }

  /** A write whose root is a module-level name: the exact object when known, else all below the root. */
  private markModuleTarget(target: ts.Expression, root: ts.Identifier | undefined, file: ParsedFile, why: Unresolved): void {
    // A key that is a local (`fields[key]` in a loop) must not be read as a module-level name of the same spelling.
    const value = referencesLocals(target) ? undefined : this.evaluator.evaluate(target, file)
    if (isObjectValue(value)) {
      markMutated(value, why, false)
      return
    }
    // The written object is not known exactly (`fields[key].hidden = true`): everything reachable
    // from the root of the expression may have changed.
    const rootValue = root ? this.evaluator.evaluate(root, file) : undefined
    if (isObjectValue(rootValue)) markMutated(rootValue, why, true)
    else markEverythingIn(file, this.evaluator, `${why.reason} (the object written is not known)`)
  }

  private isFresh(local: LocalBinding, path: string[]): boolean {
    if (local.kind === 'variable') return isFreshLocalPath(local.declaration, local.scope, path)
    if (local.kind === 'parameter') return path.length === 0 && isFreshAccumulator(local.fn, local.index)
    return local.kind === 'function' || local.kind === 'other'
  }

  /** Marks, deeply, everything a local binding's value may have come from. */
  private markBindingSources(local: LocalBinding, file: ParsedFile, why: Unresolved, depth: number): void {
    switch (local.kind) {
      case 'variable': {
        const { declaration } = local
        const isConst = (declaration.parent.flags & ts.NodeFlags.Const) !== 0
        if (!declaration.initializer || !isConst) {
          markEverythingIn(file, this.evaluator, `${why.reason} (through a variable that is not traced)`)
        } else {
          this.markSources(declaration.initializer, file, why, depth + 1)
        }
        return
      }
      case 'loop':
        this.markSources(local.iterable, file, why, depth + 1)
        return
      case 'parameter':
        this.markParameterSources(local.fn, local.index, file, why, depth + 1)
        return
      default:
        return
    }
  }

  /** What a parameter may hold: the arguments of the calls that run its function. */
  private markParameterSources(fn: ts.SignatureDeclaration, index: number, file: ParsedFile, why: Unresolved, depth: number): void {
    const parameter = fn.parameters[index]
    if (parameter.initializer) this.markSources(parameter.initializer, file, why, depth)
    const parent = skipParentWrappers(fn)
    if (ts.isCallExpression(parent) && skipWrappers(parent.expression) === fn) {
      // An IIFE: its own arguments.
      this.markArguments(parent, index, parameter, file, why, depth)
      return
    }
    if (
      (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
      parent.arguments?.some((argument) => skipWrappers(argument) === fn)
    ) {
      // A callback: it is given the receiver's elements and the other arguments.
      if (ts.isPropertyAccessExpression(parent.expression)) this.markSources(parent.expression.expression, file, why, depth)
      for (const argument of parent.arguments ?? []) if (skipWrappers(argument) !== fn) this.markSources(argument, file, why, depth)
      return
    }
    const sites = this.walk.callSites.get(fn)
    if (!sites || sites.length === 0) {
      markEverythingIn(file, this.evaluator, `${why.reason} (through a parameter whose callers are not known)`)
      return
    }
    for (const site of sites) this.markArguments(site.call, index, parameter, site.file, why, depth)
  }

  private markArguments(
    call: LoadTimeCall['call'],
    index: number,
    parameter: ts.ParameterDeclaration,
    file: ParsedFile,
    why: Unresolved,
    depth: number
  ): void {
    const passed = parameter.dotDotDotToken ? call.arguments.slice(index) : call.arguments.slice(index, index + 1)
    for (const argument of call.arguments.slice(0, index + 1)) {
      if (ts.isSpreadElement(argument)) {
        this.markSources(argument.expression, file, why, depth)
        return
      }
    }
    for (const argument of passed) this.markSources(argument, file, why, depth)
  }

  /** Marks, deeply, every object an expression's value may be or reach. */
  private markSources(expression: ts.Expression, file: ParsedFile, why: Unresolved, depth: number): void {
    if (depth > MAX_TRACE_DEPTH) {
      markEverythingIn(file, this.evaluator, `${why.reason} (traced too far)`)
      return
    }
    const node = skipWrappers(expression)
    if (
      ts.isLiteralExpression(node) ||
      node.kind === ts.SyntaxKind.TrueKeyword ||
      node.kind === ts.SyntaxKind.FalseKeyword ||
      node.kind === ts.SyntaxKind.NullKeyword
    )
      return
    if (ts.isTemplateExpression(node) || ts.isFunctionLike(node) || ts.isTypeOfExpression(node) || ts.isPrefixUnaryExpression(node)) return
    if (freshness(node) === 'deep') return
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) this.markSources(property.initializer, file, why, depth + 1)
        else if (ts.isShorthandPropertyAssignment(property)) this.markSources(property.name, file, why, depth + 1)
        else if (ts.isSpreadAssignment(property)) this.markSources(property.expression, file, why, depth + 1)
      }
      return
    }
    if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements)
        this.markSources(ts.isSpreadElement(element) ? element.expression : element, file, why, depth + 1)
      return
    }
    if (ts.isConditionalExpression(node)) {
      this.markSources(node.whenTrue, file, why, depth + 1)
      this.markSources(node.whenFalse, file, why, depth + 1)
      return
    }
    if (ts.isBinaryExpression(node) && isLogicalOperator(node.operatorToken.kind)) {
      this.markSources(node.left, file, why, depth + 1)
      this.markSources(node.right, file, why, depth + 1)
      return
    }
    if (ts.isIdentifier(node)) {
      const local = resolveLocal(node.text, node)
      if (local) this.markBindingSources(local, file, why, depth)
      else this.markModuleValue(node, file, why)
      return
    }
    if (!referencesLocals(node)) {
      this.markModuleValue(node, file, why)
      return
    }
    const path = memberPath(node)
    if (path) {
      this.markSources(path.root, file, why, depth + 1)
      return
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      // The result may be the receiver, an argument, or something reachable from them.
      if (ts.isPropertyAccessExpression(node.expression)) this.markSources(node.expression.expression, file, why, depth + 1)
      for (const argument of node.arguments ?? [])
        this.markSources(ts.isSpreadElement(argument) ? argument.expression : argument, file, why, depth + 1)
      if (!ts.isPropertyAccessExpression(node.expression))
        markEverythingIn(file, this.evaluator, `${why.reason} (through the result of a call that is not traced)`)
      return
    }
    markEverythingIn(file, this.evaluator, `${why.reason} (the object written is not known)`)
  }

  /** An expression of module-level names only: its value (and all below it) may change. */
  private markModuleValue(node: ts.Expression, file: ParsedFile, why: Unresolved): void {
    const value = this.evaluator.evaluate(node, file)
    if (isObjectValue(value)) markMutated(value, why, true)
    else if (value instanceof Unresolved) markEverythingIn(file, this.evaluator, `${why.reason} (the object written is not known)`)
  }
}

/** Methods that call their callback before they return (so the callback runs inside the caller's call). */
const SYNCHRONOUS_CALLBACK_METHODS = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'flatMap',
  'sort'
])

/**
 * Whether a write runs while the call that created its object is still running: in that
 * function itself, or in callbacks of array methods called there. A closure that outlives the
 * call (returned, stored) may write to the object after it became a module value.
 */
function runsWithinDeclaringCall(local: LocalBinding, site: ts.Node): boolean {
  if (local.kind !== 'variable') return true
  const declaringFunction = enclosingFunction(local.declaration)
  for (let fn = enclosingFunction(site); fn !== declaringFunction; fn = enclosingFunction(fn)) {
    if (!fn) return false
    const call = skipParentWrappers(fn)
    const isSynchronousCallback =
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      SYNCHRONOUS_CALLBACK_METHODS.has(call.expression.name.text) &&
      call.arguments.some((argument) => skipWrappers(argument) === fn)
    if (!isSynchronousCallback) return false
  }
  return true
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current
  return undefined
}

function isLogicalOperator(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.AmpersandAmpersandToken ||
    kind === ts.SyntaxKind.QuestionQuestionToken ||
    kind === ts.SyntaxKind.CommaToken
  )
}

function skipParentWrappers(node: ts.Node): ts.Node {
  let parent = node.parent
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)))
    parent = parent.parent
  return parent
}

/**
 * The first parameter of a `.reduce` callback whose initial value is a fresh literal and which
 * always returns that parameter: it is the same new object throughout.
 */
function isFreshAccumulator(fn: ts.SignatureDeclaration, index: number): boolean {
  if (index !== 0) return false
  const call = skipParentWrappers(fn)
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false
  if (call.expression.name.text !== 'reduce' && call.expression.name.text !== 'reduceRight') return false
  if (call.arguments.length < 2 || skipWrappers(call.arguments[0]) !== fn || !freshness(call.arguments[1])) return false
  const parameter = fn.parameters[0]
  if (!parameter || !ts.isIdentifier(parameter.name)) return false
  const name = parameter.name.text
  const body = (fn as ts.FunctionLikeDeclaration).body
  if (!body) return false
  if (!ts.isBlock(body)) return returnsName(body, name)
  let onlyAccumulator = true
  let returns = 0
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return
    if (ts.isReturnStatement(node)) {
      returns++
      if (!node.expression || !returnsName(node.expression, name)) onlyAccumulator = false
    }
    // Reassigning the accumulator could make it anything.
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(skipWrappers(node.left)) &&
      (skipWrappers(node.left) as ts.Identifier).text === name
    ) {
      onlyAccumulator = false
    }
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(body, visit)
  return onlyAccumulator && returns > 0
}

function returnsName(expression: ts.Expression, name: string): boolean {
  const node = skipWrappers(expression)
  if (ts.isIdentifier(node)) return node.text === name
  // `(acc[k] = v, acc)`
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken && returnsName(node.right, name)
}

/** Whether an expression mentions a name bound inside a function (rather than at module level). */
/**
 * Whether `node` reads a local of the code around it. Locals bound inside `node` itself (the
 * parameters of a callback in `list.map((x) => ...).sort(...)`) do not count: evaluating the
 * expression binds them.
 */
function referencesLocals(node: ts.Node, within: ts.Node = node): boolean {
  if (ts.isIdentifier(node)) {
    const parent = node.parent
    if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node))
      return false
    const local = resolveLocal(node.text, node)
    return local !== undefined && !isBoundWithin(local, within)
  }
  return ts.forEachChild(node, (child) => (referencesLocals(child, within) ? true : undefined)) ?? false
}

function isBoundWithin(local: LocalBinding, within: ts.Node): boolean {
  const binder =
    local.kind === 'parameter' || local.kind === 'function' ? local.fn : local.kind === 'variable' ? local.declaration : undefined
  if (!binder) return false
  for (let current: ts.Node | undefined = binder; current; current = current.parent) if (current === within) return true
  return false
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current: ts.Expression = expression
  for (;;) {
    if (ts.isIdentifier(current)) return current
    if (
      ts.isPropertyAccessExpression(current) ||
      ts.isElementAccessExpression(current) ||
      ts.isParenthesizedExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isCallExpression(current)
    ) {
      current = current.expression
    } else {
      return undefined
    }
  }
}

/** The last resort: every object a module declares or imports may have been modified. */
export function markEverythingIn(file: ParsedFile, evaluator: StaticEvaluator, reason: string): void {
  const why = new Unresolved(reason, { path: file.path, line: 1, column: 1 })
  for (const statement of file.sourceFile.statements) {
    const names: ts.Identifier[] = []
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name)
    } else if (ts.isImportDeclaration(statement) && statement.importClause && !statement.importClause.isTypeOnly) {
      const clause = statement.importClause
      if (clause.name) names.push(clause.name)
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings))
        names.push(...clause.namedBindings.elements.map((element) => element.name))
    }
    for (const name of names) {
      const value = evaluator.evaluate(name, file)
      if (isObjectValue(value)) markMutated(value, why, true)
    }
  }
}

function isObjectValue(value: StaticValue): value is StaticObject | StaticValue[] | StaticCollection {
  return isPlainObject(value) || Array.isArray(value) || value instanceof StaticCollection
}
