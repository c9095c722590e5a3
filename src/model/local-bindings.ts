// Scopes inside functions, read from the syntax tree alone: which declaration a name refers to,
// and whether a local holds an object created by that very call (so writing to it changes
// nothing the module declared). Conservative: when unsure, a binding is not fresh.
import { ts } from './typescript.js'

export type LocalBinding =
  | { kind: 'variable'; declaration: ts.VariableDeclaration; scope: ts.Node }
  | { kind: 'parameter'; fn: ts.SignatureDeclaration; index: number }
  | { kind: 'loop'; iterable: ts.Expression }
  | { kind: 'function'; fn: ts.FunctionLikeDeclaration }
  | { kind: 'other' }

/** The local declaration `name` refers to at `site`, or undefined when it is a module-level (or global) name. */
export function resolveLocal(name: string, site: ts.Node): LocalBinding | undefined {
  let child: ts.Node = site
  for (let scope = site.parent; scope && !ts.isSourceFile(scope); child = scope, scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const index = scope.parameters.findIndex((parameter) => bindsName(parameter.name, name))
      if (index >= 0 && scope.parameters[index] !== child) return { kind: 'parameter', fn: scope, index }
      if (
        (ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) &&
        scope.name?.text === name &&
        ts.isFunctionExpression(scope)
      ) {
        return { kind: 'function', fn: scope }
      }
      const body = (scope as ts.FunctionLikeDeclaration).body
      const hoisted = body && ts.isBlock(body) ? findVar(body, name) : undefined
      if (hoisted) return { kind: 'variable', declaration: hoisted, scope: body as ts.Block }
    } else if (ts.isBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope) || ts.isModuleBlock(scope)) {
      const found = declaredIn(scope.statements, name)
      if (found) return found.kind === 'variable' ? { ...found, scope } : found
    } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
      const list = scope.initializer
      if (list && ts.isVariableDeclarationList(list)) {
        const declaration = list.declarations.find((candidate) => bindsName(candidate.name, name))
        if (declaration) {
          if (ts.isForStatement(scope)) return { kind: 'variable', declaration, scope }
          return { kind: 'loop', iterable: scope.expression }
        }
      }
    } else if (ts.isCatchClause(scope)) {
      if (scope.variableDeclaration && bindsName(scope.variableDeclaration.name, name)) return { kind: 'other' }
    } else if (ts.isClassLike(scope) && scope.name?.text === name && ts.isClassExpression(scope)) {
      return { kind: 'other' }
    }
  }
  return undefined
}

function declaredIn(statements: ts.NodeArray<ts.Statement>, name: string): LocalBinding | undefined {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const declaration = statement.declarationList.declarations.find((candidate) => bindsName(candidate.name, name))
      if (declaration) return { kind: 'variable', declaration, scope: statement.parent }
    } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return { kind: 'function', fn: statement }
    } else if ((ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) {
      return { kind: 'other' }
    }
  }
  return undefined
}

/** A `var` declared anywhere in a function body (not in nested functions): it is scoped to the function. */
function findVar(body: ts.Block, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return
    if (ts.isVariableDeclarationList(node) && !(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      found = node.declarations.find((candidate) => bindsName(candidate.name, name))
      if (found) return
    }
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(body, visit)
  return found
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue
    if (bindsName(element.name, wanted)) return true
  }
  return false
}

/** Strips what does not change a value: parentheses, type assertions, non-null marks. */
export function skipWrappers(expression: ts.Expression): ts.Expression {
  let current = expression
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression
  }
  return current
}

/** The member names from a root identifier to an expression (`p.a['b']` → root p, path [a, b]); undefined when a key is not constant. */
export function memberPath(expression: ts.Expression): { root: ts.Identifier; path: string[] } | undefined {
  const path: string[] = []
  let current = skipWrappers(expression)
  for (;;) {
    if (ts.isIdentifier(current)) return { root: current, path: path.reverse() }
    if (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.name)) {
      path.push(current.name.text)
    } else if (
      ts.isElementAccessExpression(current) &&
      (ts.isStringLiteral(current.argumentExpression) || ts.isNumericLiteral(current.argumentExpression))
    ) {
      path.push(current.argumentExpression.text)
    } else if (ts.isElementAccessExpression(current)) {
      path.push('\0unknown')
    } else {
      return undefined
    }
    current = skipWrappers(current.expression)
  }
}

const FRESH_CONSTRUCTORS = new Set(['Set', 'Map', 'Array', 'Object'])
/** Methods whose result is a new array or object (its elements may still be shared). */
const FRESH_METHODS = new Set([
  'map',
  'filter',
  'slice',
  'concat',
  'flatMap',
  'flat',
  'keys',
  'values',
  'entries',
  'fromEntries',
  'from',
  'of',
  'split',
  'toSorted',
  'toReversed'
])
/** Calls whose result shares nothing with their arguments. */
const DEEP_FRESH_CALLS = new Set(['JSON.parse', 'structuredClone', 'cloneDeep', '_.cloneDeep'])

/** Whether an expression always makes a new container; 'deep' when nothing inside it is shared either. */
export function freshness(expression: ts.Expression): 'deep' | 'shallow' | undefined {
  const node = skipWrappers(expression)
  if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) return 'shallow'
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && FRESH_CONSTRUCTORS.has(node.expression.text)) return 'shallow'
  if (ts.isCallExpression(node)) {
    const callee = node.expression
    const text = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
        ? `${callee.expression.text}.${callee.name.text}`
        : undefined
    if (text && DEEP_FRESH_CALLS.has(text)) return 'deep'
    if (ts.isPropertyAccessExpression(callee) && FRESH_METHODS.has(callee.name.text)) return 'shallow'
  }
  return undefined
}

/**
 * Whether the object at `path` below a local variable was created by the enclosing call: the
 * variable is initialised with a fresh container, every container along the path is an object
 * or array literal written in that initializer, and nothing in the function replaces the
 * variable or a container along the path with something else.
 */
export function isFreshLocalPath(declaration: ts.VariableDeclaration, scope: ts.Node, path: string[]): boolean {
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return false
  const name = declaration.name.text
  const kind = freshness(declaration.initializer)
  if (!kind) return false
  if (path.includes('\0unknown') && kind !== 'deep' && path.length > 0) return false
  if (kind === 'shallow' && path.length > 0) {
    let container = skipWrappers(declaration.initializer)
    for (const key of path) {
      if (!ts.isObjectLiteralExpression(container)) return false
      const property = lastDefinition(container, key)
      if (!property || !freshness(property)) return false
      container = skipWrappers(property)
    }
  }
  return !isReplacedIn(scope, name, path)
}

/** The initializer of the last definition of `key` in an object literal, undefined when a later spread or computed key may override it. */
function lastDefinition(literal: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  let found: ts.Expression | undefined
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) {
      found = undefined
      continue
    }
    const name = property.name
    if (!name) continue
    if (ts.isComputedPropertyName(name)) {
      found = undefined
      continue
    }
    const text = ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined
    if (text !== key) continue
    found = ts.isPropertyAssignment(property) ? property.initializer : undefined
  }
  return found
}

/**
 * Whether code in the scope may put a foreign object where the path expects a fresh one: the
 * variable is reassigned, a container along the path is assigned, or the variable is passed
 * whole to a call (which could do either).
 */
function isReplacedIn(scope: ts.Node, name: string, path: string[]): boolean {
  let replaced = false
  const visit = (node: ts.Node): void => {
    if (replaced) return
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      const left = skipWrappers(node.left)
      const written = memberPath(left)
      if (
        written &&
        written.root.text === name &&
        written.path.length <= path.length &&
        isPrefix(written.path, path) &&
        !freshness(node.right)
      )
        replaced = true
      if ((ts.isArrayLiteralExpression(left) || ts.isObjectLiteralExpression(left)) && mentions(left, name)) replaced = true
      // `q = p` makes an alias that could be written through.
      if (isBareName(node.right, name)) replaced = true
    }
    if (ts.isVariableDeclaration(node) && node.initializer && isBareName(node.initializer, name)) replaced = true
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      for (const argument of node.arguments ?? []) {
        const passed = memberPath(argument)
        if (passed && passed.root.text === name && passed.path.length < path.length && isPrefix(passed.path, path) && !isReadOnlyCall(node))
          replaced = true
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(scope)
  return replaced
}

function isBareName(expression: ts.Expression, name: string): boolean {
  const node = skipWrappers(expression)
  return ts.isIdentifier(node) && node.text === name
}

function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name
  return ts.forEachChild(node, (child) => (mentions(child, name) ? true : undefined)) ?? false
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.every((key, index) => path[index] === key || key === '\0unknown' || path[index] === '\0unknown')
}

const READ_ONLY_CALLS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'JSON.stringify', 'Array.isArray', 'structuredClone'])

function isReadOnlyCall(call: ts.CallExpression | ts.NewExpression): boolean {
  const callee = call.expression
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    READ_ONLY_CALLS.has(`${callee.expression.text}.${callee.name.text}`)
  )
}
