// Which code runs while a module is evaluated: its top-level statements and initializers,
// functions called there (IIFEs, callbacks passed to calls, named helpers called at load,
// transitively), and nothing else. A helper's body that only runs from `perform` is not load-time
// code, so its writes cannot change what the module declares.
import { ts } from './typescript.js'
import { resolveLocal, skipWrappers } from './local-bindings.js'
import type { ParsedFile } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { FunctionValue } from './static-values.js'

const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'])
/** Methods that change a Set or Map (on any other object they count as writes too: unknown beats wrong). */
const COLLECTION_MUTATORS = new Set(['add', 'set', 'delete', 'clear'])
const OBJECT_MUTATORS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf'])
const REFLECT_MUTATORS = new Set(['set', 'deleteProperty', 'defineProperty', 'setPrototypeOf'])
/** Methods of built-in values: a call to one never runs repository code other than its callbacks (walked as arguments). */
const BUILTIN_METHODS = new Set([
  ...ARRAY_MUTATORS,
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'forEach',
  'flatMap',
  'some',
  'every',
  'find',
  'findIndex',
  'includes',
  'indexOf',
  'join',
  'concat',
  'slice',
  'flat',
  'keys',
  'values',
  'entries',
  'fromEntries',
  'assign',
  'freeze',
  'isArray',
  'from',
  'of',
  'toUpperCase',
  'toLowerCase',
  'trim',
  'split',
  'replace',
  'replaceAll',
  'startsWith',
  'endsWith',
  'stringify',
  'parse',
  'toString'
])
/** Bounds the walk of hostile input; past it the module's objects are all treated as modified. */
const MAX_LOAD_TIME_NODES = 200_000
/** Bounds how many distinct helper bodies one module's load may pull in. */
const MAX_CALLED_FUNCTIONS = 500

/** A write to a member of `target` (an assignment, delete, increment or mutating call) at `site`. */
export interface LoadTimeWrite {
  target: ts.Expression
  site: ts.Node
  file: ParsedFile
}

/** A call made at load time to a function of the repository. */
export interface LoadTimeCall {
  call: ts.CallExpression
  file: ParsedFile
}

export class LoadTimeWalk {
  readonly writes: LoadTimeWrite[] = []
  /** By function node, the load-time calls that run it. */
  readonly callSites = new Map<ts.Node, LoadTimeCall[]>()
  /** Function nodes whose body runs at load, with the file they are in. */
  private readonly walkedFunctions = new Set<ts.Node>()
  private readonly pending: Array<{ node: ts.Node; file: ParsedFile; writes: boolean }> = []
  private visited = 0

  constructor(
    private readonly evaluator: StaticEvaluator,
    /** A cheap test ruling out files that cannot contain a write. */
    private readonly mayWrite: (file: ParsedFile) => boolean
  ) {}

  /** Walks the load-time code of `file`; false when it is too large to walk. */
  run(file: ParsedFile): boolean {
    const writes = this.mayWrite(file)
    for (const statement of file.sourceFile.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          // `const helper = (payload) => { ... }` declares a function; its body runs only when called.
          if (declaration.initializer && !ts.isFunctionLike(skipWrappers(declaration.initializer)))
            this.pending.push({ node: declaration.initializer, file, writes })
        }
      } else if (ts.isExportAssignment(statement)) {
        if (!ts.isFunctionLike(skipWrappers(statement.expression))) this.pending.push({ node: statement.expression, file, writes })
      } else if (ts.isClassDeclaration(statement)) {
        this.pending.push({ node: statement, file, writes })
      } else if (isExecutableStatement(statement)) {
        this.pending.push({ node: statement, file, writes })
      }
    }
    while (this.pending.length > 0) {
      const { node, file: current, writes: recordWrites } = this.pending.pop() as { node: ts.Node; file: ParsedFile; writes: boolean }
      if (++this.visited > MAX_LOAD_TIME_NODES) return false
      if (recordWrites) {
        const target = mutationTarget(node)
        if (target) this.writes.push({ target, site: node, file: current })
      }
      if (ts.isCallExpression(node)) this.followCall(node, current)
      ts.forEachChild(node, (child) => {
        if (!runsWithParent(child, node)) return
        this.pending.push({ node: child, file: current, writes: recordWrites })
      })
    }
    return true
  }

  /** A call to a named helper of the repository runs its body at load time. */
  private followCall(call: ts.CallExpression, file: ParsedFile): void {
    const callee = skipWrappers(call.expression)
    if (ts.isFunctionLike(callee)) return // an IIFE: walked as a child
    if (ts.isPropertyAccessExpression(callee) && BUILTIN_METHODS.has(callee.name.text)) return
    const target = this.calledFunction(callee, file)
    if (!target) return
    const sites = this.callSites.get(target.node)
    if (sites) sites.push({ call, file })
    else this.callSites.set(target.node, [{ call, file }])
    if (this.walkedFunctions.has(target.node) || this.walkedFunctions.size >= MAX_CALLED_FUNCTIONS) return
    this.walkedFunctions.add(target.node)
    const body = target.node.body
    if (body) this.pending.push({ node: body, file: target.file, writes: this.mayWrite(target.file) })
    for (const parameter of target.node.parameters) {
      if (parameter.initializer) this.pending.push({ node: parameter.initializer, file: target.file, writes: this.mayWrite(target.file) })
    }
  }

  private calledFunction(callee: ts.Expression, file: ParsedFile): { node: ts.FunctionLikeDeclaration; file: ParsedFile } | undefined {
    if (ts.isIdentifier(callee)) {
      const local = resolveLocal(callee.text, callee)
      if (local?.kind === 'function') return { node: local.fn, file }
      if (local?.kind === 'variable') {
        const initializer = local.declaration.initializer && skipWrappers(local.declaration.initializer)
        return initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))
          ? { node: initializer, file }
          : undefined
      }
      if (local) return undefined
    } else if (ts.isPropertyAccessExpression(callee)) {
      let root: ts.Expression = callee.expression
      while (ts.isPropertyAccessExpression(root)) root = root.expression
      if (!ts.isIdentifier(root) || resolveLocal(root.text, root)) return undefined
    } else {
      return undefined
    }
    const value = this.evaluator.evaluate(callee, file)
    if (!(value instanceof FunctionValue)) return undefined
    const target = this.evaluator.program.getFile(value.path)
    return target ? { node: value.node, file: target } : undefined
  }
}

/**
 * Whether a child node runs when its parent runs. A function runs only when called on the
 * spot (an IIFE) or passed to a call (a callback); instance members of a class run only when
 * it is instantiated.
 */
function runsWithParent(child: ts.Node, parent: ts.Node): boolean {
  if (ts.isFunctionLike(child)) {
    if (ts.isClassStaticBlockDeclaration(child)) return true
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      return parent.expression === child || (parent.arguments?.includes(child as ts.Expression) ?? false)
    }
    return ts.isParenthesizedExpression(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent
  }
  if (ts.isPropertyDeclaration(child) && ts.isClassLike(parent)) {
    return (ts.getModifiers(child) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)
  }
  return true
}

function isExecutableStatement(statement: ts.Statement): boolean {
  return (
    ts.isExpressionStatement(statement) ||
    ts.isIfStatement(statement) ||
    ts.isIterationStatement(statement, false) ||
    ts.isBlock(statement) ||
    ts.isTryStatement(statement) ||
    ts.isSwitchStatement(statement) ||
    ts.isLabeledStatement(statement)
  )
}

const ASSIGNMENT_OPERATORS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken
])

/** The expression whose object a node writes to, if the node is a write. */
export function mutationTarget(node: ts.Node): ts.Expression | undefined {
  if (ts.isBinaryExpression(node) && ASSIGNMENT_OPERATORS.has(node.operatorToken.kind)) {
    return isMemberAccess(node.left) ? node.left.expression : undefined
  }
  if (ts.isDeleteExpression(node)) return isMemberAccess(node.expression) ? node.expression.expression : undefined
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && isUpdate(node.operator)) {
    return isMemberAccess(node.operand) ? node.operand.expression : undefined
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text
    const receiver = node.expression.expression
    if (ts.isIdentifier(receiver) && receiver.text === 'Object' && OBJECT_MUTATORS.has(method)) return node.arguments[0]
    if (ts.isIdentifier(receiver) && receiver.text === 'Reflect' && REFLECT_MUTATORS.has(method)) return node.arguments[0]
    if (ARRAY_MUTATORS.has(method) || COLLECTION_MUTATORS.has(method)) return receiver
  }
  return undefined
}

function isMemberAccess(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
}

function isUpdate(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken
}
