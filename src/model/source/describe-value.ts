// What a value in a cloud source's code is, statically: a literal, something taken from the
// incoming request (or the sending function's parameters), a setting, an object with known keys,
// or unknown with the reason. Module-level constants go through the shared static evaluator;
// this layer adds what the evaluator leaves alone on purpose: a handler's local constants and
// parameters. Nothing is run.
import { ts } from '../typescript.js'
import type { ParsedFile } from '../source-program.js'
import type { StaticEvaluator } from '../static-evaluator.js'
import { FunctionValue, isPlainObject, isUnresolved, propertyLocationOf, type StaticValue } from '../static-values.js'

export interface ValueEntry {
  key: string
  value: SourceValue
  /** Set when the key was written in another file than the call (a helper's module). */
  path?: string
  line: number
  column: number
  /** The name the value is read from, when written as one (`email` in `userId: contact.email`). */
  readName?: string
}

export type SourceValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  /** Derived from the handler's request or the sending function's parameters. */
  | { kind: 'input'; from: string }
  | { kind: 'setting'; name: string | undefined }
  /** `open` says why keys may exist beyond `entries` (a spread of something unknown, a later write). */
  | { kind: 'object'; entries: ValueEntry[]; open?: string }
  | { kind: 'array'; items: SourceValue[] | undefined }
  /** Computed, with a type the syntax shows (`Number(x)`, a template literal). */
  | { kind: 'typed'; type: 'string' | 'number' | 'boolean' }
  | { kind: 'unknown'; reason: string }

export type StaticType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array'

/** The value's type when it is known; undefined when it is not. */
export function staticTypeOf(value: SourceValue): StaticType | undefined {
  switch (value.kind) {
    case 'literal':
      return value.value === null ? 'null' : (typeof value.value as StaticType)
    case 'typed':
      return value.type
    case 'object':
      return 'object'
    case 'array':
      return 'array'
    default:
      return undefined
  }
}

const MAX_DEPTH = 40
const NUMBER_FUNCTIONS = new Set(['Number', 'parseFloat', 'parseInt'])
const STRING_METHODS = new Set([
  'toString',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'toFixed',
  'toISOString',
  'join',
  'slice',
  'substring',
  'replace'
])
const MUTATING_HELPERS = new Set(['Object.assign', '_.set', '_.assign', '_.merge', '_.defaults', '_.extend', 'lodash.set', 'lodash.merge'])

export interface HandlerRoles {
  /** The function whose first parameter is the incoming request, and second the settings. */
  handler: ts.FunctionLikeDeclaration | undefined
}

export class SourceValueDescriber {
  constructor(
    private readonly evaluator: StaticEvaluator,
    private readonly file: ParsedFile,
    private readonly roles: HandlerRoles
  ) {}

  describe(node: ts.Expression, depth = 0): SourceValue {
    if (depth > MAX_DEPTH) return { kind: 'unknown', reason: 'expression nested too deeply to follow' }
    const next = depth + 1
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isAwaitExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isTypeAssertionExpression(node)
    ) {
      return this.describe(node.expression, next)
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { kind: 'literal', value: node.text }
    if (ts.isNumericLiteral(node)) return { kind: 'literal', value: Number(node.text) }
    if (node.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'literal', value: true }
    if (node.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'literal', value: false }
    if (node.kind === ts.SyntaxKind.NullKeyword) return { kind: 'literal', value: null }
    if (ts.isObjectLiteralExpression(node)) return this.describeObject(node, next)
    if (ts.isArrayLiteralExpression(node)) {
      const spread = node.elements.some((element) => ts.isSpreadElement(element))
      return { kind: 'array', items: spread ? undefined : node.elements.map((element) => this.describe(element, next)) }
    }
    if (ts.isTemplateExpression(node)) {
      const parts = node.templateSpans.map((span) => this.describe(span.expression, next))
      if (parts.every((part) => part.kind === 'literal')) {
        return {
          kind: 'literal',
          value:
            node.head.text +
            node.templateSpans.map((span, index) => String((parts[index] as { value: unknown }).value) + span.literal.text).join('')
        }
      }
      return { kind: 'typed', type: 'string' }
    }
    if (ts.isPrefixUnaryExpression(node)) {
      if (node.operator === ts.SyntaxKind.ExclamationToken) return { kind: 'typed', type: 'boolean' }
      if (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken) {
        const operand = this.describe(node.operand, next)
        if (operand.kind === 'literal' && typeof operand.value === 'number')
          return { kind: 'literal', value: node.operator === ts.SyntaxKind.MinusToken ? -operand.value : operand.value }
        return { kind: 'typed', type: 'number' }
      }
    }
    if (ts.isBinaryExpression(node)) return this.describeBinary(node, next)
    if (ts.isIdentifier(node)) return this.describeIdentifier(node, next)
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return this.describeMember(node, next)
    if (ts.isCallExpression(node)) return this.describeCall(node, next)
    if (ts.isConditionalExpression(node)) {
      const whenTrue = this.describe(node.whenTrue, next)
      const whenFalse = this.describe(node.whenFalse, next)
      const type = staticTypeOf(whenTrue)
      if (type && type === staticTypeOf(whenFalse) && (type === 'string' || type === 'number' || type === 'boolean'))
        return { kind: 'typed', type }
      return { kind: 'unknown', reason: 'a conditional whose branches differ' }
    }
    return this.fromEvaluator(node)
  }

  private describeObject(node: ts.ObjectLiteralExpression, depth: number): SourceValue {
    const entries: ValueEntry[] = []
    let open: string | undefined
    const put = (entry: ValueEntry) => {
      const index = entries.findIndex((existing) => existing.key === entry.key)
      if (index >= 0) entries.splice(index, 1)
      entries.push(entry)
    }
    for (const property of node.properties) {
      const at = this.position(property)
      if (ts.isSpreadAssignment(property)) {
        const spread = this.describe(property.expression, depth)
        if (spread.kind === 'object') {
          for (const entry of spread.entries) put(entry)
          if (spread.open) open = spread.open
        } else if (!(spread.kind === 'literal' && spread.value === null)) {
          open = `a spread of ${spread.kind === 'input' ? `request data (${spread.from})` : 'a value not known statically'} at line ${at.line}`
        }
        continue
      }
      const key = this.keyOf(property)
      if (key === undefined) {
        open = `a computed key at line ${at.line}`
        continue
      }
      let value: SourceValue
      let readName: string | undefined
      if (ts.isPropertyAssignment(property)) {
        value = this.describe(property.initializer, depth)
        readName = nameReadBy(property.initializer)
      } else if (ts.isShorthandPropertyAssignment(property)) {
        value = this.describeIdentifier(property.name, depth)
        readName = property.name.text
      } else value = { kind: 'unknown', reason: 'a method or accessor' }
      put(readName === undefined ? { key, value, ...at } : { key, value, ...at, readName })
    }
    return open ? { kind: 'object', entries, open } : { kind: 'object', entries }
  }

  private keyOf(property: ts.ObjectLiteralElementLike): string | undefined {
    const name = property.name
    if (!name) return undefined
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
      return name.text
    if (ts.isComputedPropertyName(name)) {
      const computed = this.describe(name.expression)
      return computed.kind === 'literal' && (typeof computed.value === 'string' || typeof computed.value === 'number')
        ? String(computed.value)
        : undefined
    }
    return undefined
  }

  private describeBinary(node: ts.BinaryExpression, depth: number): SourceValue {
    const operator = node.operatorToken.kind
    if (operator === ts.SyntaxKind.PlusToken) {
      const left = this.describe(node.left, depth)
      const right = this.describe(node.right, depth)
      if (left.kind === 'literal' && right.kind === 'literal' && left.value !== null && right.value !== null) {
        return { kind: 'literal', value: (left.value as string) + (right.value as string) }
      }
      if (staticTypeOf(left) === 'string' || staticTypeOf(right) === 'string') return { kind: 'typed', type: 'string' }
      if (staticTypeOf(left) === 'number' && staticTypeOf(right) === 'number') return { kind: 'typed', type: 'number' }
      return { kind: 'unknown', reason: 'a sum of values not known statically' }
    }
    if ([ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken].includes(operator))
      return { kind: 'typed', type: 'number' }
    if (
      [
        ts.SyntaxKind.EqualsEqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsEqualsToken,
        ts.SyntaxKind.EqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsToken,
        ts.SyntaxKind.LessThanToken,
        ts.SyntaxKind.GreaterThanToken
      ].includes(operator)
    ) {
      return { kind: 'typed', type: 'boolean' }
    }
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      const left = this.describe(node.left, depth)
      // `body.user_id || body.email`: whatever wins, it came from the request.
      if (left.kind === 'input') return left
      const right = this.describe(node.right, depth)
      const type = staticTypeOf(left)
      if (type && type === staticTypeOf(right) && type !== 'null')
        return type === 'object' || type === 'array' ? right : { kind: 'typed', type }
      return { kind: 'unknown', reason: 'a fallback between values not known statically' }
    }
    return this.fromEvaluator(node)
  }

  private describeIdentifier(node: ts.Identifier, depth: number): SourceValue {
    const name = node.text
    if (name === 'undefined') return { kind: 'unknown', reason: 'undefined' }
    const binding = findLocalBinding(node, name)
    if (binding?.kind === 'parameter') {
      const fn = binding.fn
      const index = fn.parameters.indexOf(binding.parameter)
      if (fn === this.roles.handler && index === 1) return { kind: 'setting', name: undefined }
      return { kind: 'input', from: fn === this.roles.handler && index === 0 ? 'the request' : `parameter "${name}"` }
    }
    if (binding?.kind === 'variable') {
      const { declaration } = binding
      if (!binding.constant) return { kind: 'unknown', reason: `"${name}" is reassignable` }
      if (!declaration.initializer) return { kind: 'unknown', reason: `"${name}" has no initializer` }
      if (!ts.isIdentifier(declaration.name)) {
        const from = this.describe(declaration.initializer, depth)
        if (from.kind === 'input' || from.kind === 'setting') return from.kind === 'setting' ? { kind: 'setting', name } : from
        if (from.kind === 'object') {
          const entry = from.entries.find((candidate) => candidate.key === bindingPropertyName(declaration.name, name))
          if (entry) return entry.value
        }
        return { kind: 'unknown', reason: `"${name}" is destructured from a value not known statically` }
      }
      const value = this.describe(declaration.initializer, depth)
      if (value.kind === 'object') {
        const mutated = mutationOfLocal(binding.scope, name)
        if (mutated) return { ...value, open: `"${name}" is written to after it is built (line ${lineOf(mutated)})` }
      }
      return value
    }
    if (binding?.kind === 'other') return { kind: 'unknown', reason: `"${name}" is not a constant` }
    return this.fromEvaluator(node)
  }

  private describeMember(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): SourceValue {
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : this.literalKey(node.argumentExpression)
    const target = this.describe(node.expression, depth)
    if (target.kind === 'input') return { kind: 'input', from: target.from }
    if (target.kind === 'setting') return { kind: 'setting', name: target.name ? `${target.name}.${key ?? '?'}` : key }
    if (target.kind === 'object' && key !== undefined) {
      const entry = target.entries.find((candidate) => candidate.key === key)
      if (entry) return entry.value
      if (target.open) return { kind: 'unknown', reason: `"${key}" may come from ${target.open}` }
      return { kind: 'unknown', reason: `"${key}" is not a key of the object` }
    }
    if (target.kind === 'array' && key === 'length') return { kind: 'typed', type: 'number' }
    if (target.kind === 'unknown') return this.fromEvaluator(node)
    return { kind: 'unknown', reason: `a member of a value not known statically` }
  }

  private literalKey(node: ts.Expression): string | undefined {
    const key = this.describe(node)
    return key.kind === 'literal' && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined
  }

  private describeCall(node: ts.CallExpression, depth: number): SourceValue {
    const callee = node.expression
    const calleeText = callee.getText(this.file.sourceFile)
    if (ts.isIdentifier(callee) && NUMBER_FUNCTIONS.has(callee.text)) return { kind: 'typed', type: 'number' }
    if (ts.isIdentifier(callee) && callee.text === 'String') return { kind: 'typed', type: 'string' }
    if (ts.isIdentifier(callee) && callee.text === 'Boolean') return { kind: 'typed', type: 'boolean' }
    // Parsing or decoding request data leaves it request data.
    if ((calleeText === 'JSON.parse' || calleeText === 'decodeURIComponent' || calleeText === 'atob') && node.arguments[0]) {
      const parsed = this.describe(node.arguments[0], depth)
      if (parsed.kind === 'input') return parsed
    }
    if (calleeText === 'Date.now' || calleeText === 'Math.round' || calleeText === 'Math.floor' || calleeText === 'Math.ceil')
      return { kind: 'typed', type: 'number' }
    if (ts.isPropertyAccessExpression(callee)) {
      const target = this.describe(callee.expression, depth)
      // `request.json()`, `body.items.map(...)`: still the request's data.
      if (target.kind === 'input' && (callee.name.text === 'map' || callee.name.text === 'filter'))
        return { kind: 'array', items: undefined }
      if (target.kind === 'input') return STRING_METHODS.has(callee.name.text) ? { kind: 'typed', type: 'string' } : target
      if (target.kind === 'setting') return target
      if (STRING_METHODS.has(callee.name.text) && callee.name.text !== 'slice') return { kind: 'typed', type: 'string' }
      if (['map', 'filter', 'concat', 'slice'].includes(callee.name.text) && target.kind === 'array')
        return { kind: 'array', items: undefined }
    }
    return this.fromEvaluator(node)
  }

  private fromEvaluator(node: ts.Expression): SourceValue {
    return fromStaticValue(this.evaluator.evaluate(node, this.file), 0)
  }

  private position(node: ts.Node): { line: number; column: number } {
    const { line, character } = this.file.sourceFile.getLineAndCharacterOfPosition(node.getStart(this.file.sourceFile))
    return { line: line + 1, column: character + 1 }
  }
}

function fromStaticValue(value: StaticValue, depth: number): SourceValue {
  if (value === undefined) return { kind: 'unknown', reason: 'undefined' }
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { kind: 'literal', value }
  if (isUnresolved(value)) return { kind: 'unknown', reason: value.reason }
  if (Array.isArray(value)) return { kind: 'array', items: depth > 8 ? undefined : value.map((item) => fromStaticValue(item, depth + 1)) }
  if (isPlainObject(value) && depth <= 8) {
    return {
      kind: 'object',
      entries: Object.entries(value).map(([key, member]) => {
        // The evaluator remembers where each property of an object it built was written.
        const written = propertyLocationOf(value, key)
        return {
          key,
          value: fromStaticValue(member, depth + 1),
          ...(written ? { path: written.path, line: written.line, column: written.column } : { line: 0, column: 0 })
        }
      })
    }
  }
  if (value instanceof FunctionValue) return { kind: 'unknown', reason: 'a function' }
  return { kind: 'unknown', reason: 'a value not known statically' }
}

type LocalBinding =
  | { kind: 'parameter'; fn: ts.FunctionLikeDeclaration; parameter: ts.ParameterDeclaration }
  | { kind: 'variable'; declaration: ts.VariableDeclaration; constant: boolean; scope: ts.Node }
  | { kind: 'other' }

/** The innermost function-local declaration of a name that a use can see; undefined at module level. */
export function findLocalBinding(use: ts.Node, name: string): LocalBinding | undefined {
  for (let scope: ts.Node | undefined = use.parent; scope && !ts.isSourceFile(scope); scope = scope.parent) {
    if (ts.isFunctionLike(scope) && 'parameters' in scope) {
      const fn = scope as ts.FunctionLikeDeclaration
      for (const parameter of fn.parameters) {
        if (bindsName(parameter.name, name)) return { kind: 'parameter', fn, parameter }
      }
    }
    const statements = ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) ? scope.statements : undefined
    if (!statements) continue
    for (const statement of statements) {
      if (ts.isVariableStatement(statement)) {
        const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0
        for (const declaration of statement.declarationList.declarations) {
          if (bindsName(declaration.name, name)) return { kind: 'variable', declaration, constant, scope }
        }
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) {
        return { kind: 'other' }
      }
    }
  }
  return undefined
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name))
}

function bindingPropertyName(pattern: ts.BindingName, name: string): string | undefined {
  if (!ts.isObjectBindingPattern(pattern)) return undefined
  for (const element of pattern.elements) {
    if (ts.isIdentifier(element.name) && element.name.text === name) {
      const property = element.propertyName
      return property && (ts.isIdentifier(property) || ts.isStringLiteral(property)) ? property.text : name
    }
  }
  return undefined
}

/** A write to a member of a local object after it is built (`payload.userId = x`, `Object.assign(payload, …)`). */
function mutationOfLocal(scope: ts.Node, name: string): ts.Node | undefined {
  let found: ts.Node | undefined
  const rootName = (node: ts.Expression): string | undefined => {
    while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression
    return ts.isIdentifier(node) ? node.text : undefined
  }
  const visit = (node: ts.Node): void => {
    if (found) return
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      if ((ts.isPropertyAccessExpression(node.left) || ts.isElementAccessExpression(node.left)) && rootName(node.left) === name)
        found = node
    }
    if (ts.isDeleteExpression(node) && rootName(node.expression) === name) found = node
    if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isIdentifier(node.arguments[0]) && node.arguments[0].text === name) {
      if (MUTATING_HELPERS.has(node.expression.getText())) found = node
    }
    ts.forEachChild(node, visit)
  }
  visit(scope)
  return found
}

function lineOf(node: ts.Node): number {
  const sourceFile = node.getSourceFile()
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1
}

/** The last name an expression reads (`contact.email` → `email`, `body['user_email'] || null` → `user_email`), if it is one. */
function nameReadBy(expression: ts.Expression, depth = 0): string | undefined {
  if (depth > 5) return undefined
  let node = expression
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node))
    node = node.expression
  if (ts.isIdentifier(node)) return node.text
  if (ts.isPropertyAccessExpression(node)) return node.name.text
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  )
    return nameReadBy(node.left, depth + 1)
  // `String(x)`, `x.toLowerCase()`: the same value in another form.
  if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isIdentifier(node.expression) && node.expression.text === 'String')
    return nameReadBy(node.arguments[0], depth + 1)
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression) &&
    /^(toLowerCase|trim|toString)$/.test(node.expression.name.text)
  )
    return nameReadBy(node.expression.expression, depth + 1)
  return undefined
}
