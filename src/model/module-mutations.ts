// Module top-level code runs when a definition is loaded, so it can change objects after
// they are declared (`fields.email.required = true`, `LIST.push(x)`, `delete fields.tmp`).
// A static model that ignored those writes would report the declared value: wrong, not
// unknown. This finds every module the entry loads, and marks each object such code may write
// as unresolved, so whatever reads it says so.
import { ts } from './typescript.js'
import type { ParsedFile, SourceProgram } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { Unresolved, isPlainObject, markMutated, type StaticObject, type StaticValue } from './static-values.js'

const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'])
const OBJECT_MUTATORS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf'])
const REFLECT_MUTATORS = new Set(['set', 'deleteProperty', 'defineProperty', 'setPrototypeOf'])
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
/** Bounds the walk of hostile input; past it the file's objects are all treated as modified. */
const MAX_NODES_PER_FILE = 200_000

/** Every repository module the entry loads: static imports and re-exports, transitively. */
export function loadedModules(program: SourceProgram, entryPath: string): ParsedFile[] {
  const seen = new Set<string>([entryPath])
  const queue = [entryPath]
  const files: ParsedFile[] = []
  while (queue.length > 0) {
    const file = program.getFile(queue.shift() as string)
    if (!file) continue
    files.push(file)
    for (const statement of file.sourceFile.statements) {
      let specifier: ts.Expression | undefined
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier
      if (!specifier || !ts.isStringLiteral(specifier)) continue
      const resolution = program.resolveModule(file.path, specifier.text)
      if (resolution.kind === 'file' && !seen.has(resolution.path)) {
        seen.add(resolution.path)
        queue.push(resolution.path)
      }
    }
  }
  return files
}

/**
 * A cheap text test that rules out most files: a write needs an assignment to a member, a
 * `delete`, an increment, or a mutating method. Linear-time patterns only.
 */
const POSSIBLE_WRITE = new RegExp(
  [
    '[\\])]\\s*(?:[-+*/%|&^]|\\|\\||&&|\\?\\?|<<|>>>?)?=(?![=>])',
    '\\.\\s*[A-Za-z_$][\\w$]*\\s*(?:[-+*/%|&^]|\\|\\||&&|\\?\\?|<<|>>>?)?=(?![=>])',
    '\\bdelete\\b',
    '\\+\\+|--',
    '\\.\\s*(?:push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin)\\s*\\(',
    '\\b(?:Object|Reflect)\\s*\\.\\s*(?:assign|defineProperty|defineProperties|setPrototypeOf|set|deleteProperty)\\b'
  ].join('|')
)

/** Marks the objects that top-level code of `file` may modify. */
export function markModuleMutations(file: ParsedFile, evaluator: StaticEvaluator): void {
  if (!POSSIBLE_WRITE.test(file.text)) return
  const pending: Array<{ node: ts.Node; runs: boolean }> = []
  for (const statement of file.sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer) pending.push({ node: declaration.initializer, runs: false })
      }
    } else if (ts.isExportAssignment(statement)) {
      pending.push({ node: statement.expression, runs: false })
    } else if (isExecutableStatement(statement)) {
      pending.push({ node: statement, runs: true })
    }
  }
  let visited = 0
  while (pending.length > 0) {
    const { node, runs } = pending.pop() as { node: ts.Node; runs: boolean }
    if (++visited > MAX_NODES_PER_FILE) {
      markEverythingIn(file, evaluator, 'the module is too large to check for changes to its objects')
      return
    }
    const target = mutationTarget(node)
    if (target) markTarget(target, node, file, evaluator)
    ts.forEachChild(node, (child) => {
      if (ts.isFunctionLike(child)) {
        // Functions only run at load when called there: IIFEs and callbacks passed to a call
        // run; functions stored as values (perform, helpers) do not. In top-level statements
        // any function may run, so be conservative there.
        const called = ts.isCallExpression(node) && (node.expression === child || node.arguments.includes(child as ts.Expression))
        const parenthesizedIife = ts.isParenthesizedExpression(node) && ts.isCallExpression(node.parent) && node.parent.expression === node
        if (!runs && !called && !parenthesizedIife) return
      }
      pending.push({ node: child, runs })
    })
  }
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

/** The expression whose object a node writes to, if the node is a write. */
function mutationTarget(node: ts.Node): ts.Expression | undefined {
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
    if (ARRAY_MUTATORS.has(method)) return receiver
  }
  return undefined
}

function isMemberAccess(node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)
}

function isUpdate(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken
}

function markTarget(target: ts.Expression, site: ts.Node, file: ParsedFile, evaluator: StaticEvaluator): void {
  const at = evaluator.at(file, site)
  const why = new Unresolved(`modified after its declaration at ${at.path}:${at.line}`, at)
  const value = evaluator.evaluate(target, file)
  if (isObjectValue(value)) {
    markMutated(value, why, false)
    return
  }
  // The written object is not known exactly (`fields[key].hidden = true`): everything reachable
  // from the root of the expression may have changed.
  const root = rootIdentifier(target)
  const rootValue = root ? evaluator.evaluate(root, file) : undefined
  if (isObjectValue(rootValue)) markMutated(rootValue, why, true)
  else markEverythingIn(file, evaluator, `modified after its declaration at ${at.path}:${at.line} (the object written is not known)`)
}

function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let current: ts.Expression = expression
  for (;;) {
    if (ts.isIdentifier(current)) return current
    if (isMemberAccess(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current)) {
      current = current.expression
    } else if (ts.isCallExpression(current)) {
      current = current.expression
    } else {
      return undefined
    }
  }
}

/** The last resort: every object a module declares or imports may have been modified. */
function markEverythingIn(file: ParsedFile, evaluator: StaticEvaluator, reason: string): void {
  const why = new Unresolved(reason, { path: file.path, line: 1, column: 1 })
  for (const statement of file.sourceFile.statements) {
    const names: ts.Identifier[] = []
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name)
    } else if (ts.isImportDeclaration(statement) && statement.importClause && !statement.importClause.isTypeOnly) {
      const clause = statement.importClause
      if (clause.name) names.push(clause.name)
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) names.push(...clause.namedBindings.elements.map((element) => element.name))
    }
    for (const name of names) {
      const value = evaluator.evaluate(name, file)
      if (isObjectValue(value)) markMutated(value, why, true)
    }
  }
}

function isObjectValue(value: StaticValue): value is StaticObject | StaticValue[] {
  return isPlainObject(value) || Array.isArray(value)
}
