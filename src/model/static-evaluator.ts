// Computes the values of expressions in integration code without running it: literals,
// object and array literals with spreads, constants across imports and re-exports,
// template literals, simple operators, enum members, and calls of small helpers whose
// body is a single return. Anything else is an `Unresolved` with the reason.
import { ts } from './typescript.js'
import { NOT_A_GLOBAL, callBuiltinMethod, externalModuleExport, globalValue } from './static-builtins.js'
import type { ParsedFile, SourceProgram } from './source-program.js'
import {
  BuiltinFunction,
  FunctionValue,
  ModuleNamespace,
  Unresolved,
  defineProperty,
  isPlainObject,
  markPartial,
  mutationOf,
  overrideAllKeys,
  readProperty,
  setLocation,
  setPropertyLocation,
  spreadInto,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from './static-values.js'

/** Local bindings of a helper being evaluated (its parameters and local constants). */
class Environment {
  private readonly bindings = new Map<string, StaticValue>()
  constructor(readonly parent?: Environment) {}

  lookup(name: string): { value: StaticValue } | undefined {
    if (this.bindings.has(name)) return { value: this.bindings.get(name) }
    return this.parent?.lookup(name)
  }

  bind(name: string, value: StaticValue): void {
    this.bindings.set(name, value)
  }
}

const MAX_CALL_DEPTH = 12
/** Bounds on what constant folding may build, so hostile code cannot exhaust memory by doubling. */
export const MAX_ARRAY_LENGTH = 100_000
export const MAX_STRING_LENGTH = 1_000_000

export class StaticEvaluator {
  private readonly declarationValues = new Map<ts.Node, StaticValue>()
  private readonly exportValues = new Map<string, StaticValue>()
  private readonly topLevelIndexes = new Map<ts.SourceFile, Map<string, ts.Statement[]>>()
  private readonly inProgress = new Set<ts.Node>()
  private depth = 0
  private callDepth = 0

  constructor(private readonly program: SourceProgram) {}

  /** The value a module exports under `name` ('default' for the default export). */
  evaluateExport(path: string, name: string, seen = new Set<string>()): StaticValue {
    const key = `${path}#${name}`
    if (this.exportValues.has(key)) return this.exportValues.get(key)
    if (seen.has(key)) return new Unresolved(`circular re-export of "${name}" in ${path}`)
    seen.add(key)
    const file = this.program.getFile(path)
    if (!file) return new Unresolved(`${path} could not be read or parsed`)
    const found = this.findExport(file, name, seen)
    const value = found ?? new Unresolved(`${path} has no export "${name}"`, { path, line: 1, column: 1 })
    // Exports do not depend on the caller, so each is computed once.
    this.exportValues.set(key, value)
    return value
  }

  /** The export's value, or undefined when the module has no such export. */
  evaluateExportIfPresent(path: string, name: string): StaticValue | undefined {
    const file = this.program.getFile(path)
    return file ? this.findExport(file, name, new Set([`${path}#${name}`])) : undefined
  }

  evaluate(node: ts.Expression, file: ParsedFile, env?: Environment): StaticValue {
    if (this.depth >= this.program.limits.maxEvaluationDepth) {
      return new Unresolved(`expression nested deeper than ${this.program.limits.maxEvaluationDepth} levels`, this.at(file, node))
    }
    this.depth++
    try {
      return this.evaluateNode(node, file, env)
    } finally {
      this.depth--
    }
  }

  at(file: ParsedFile, node: ts.Node): SourceLocation {
    return this.program.locate(file.sourceFile, node)
  }

  private evaluateNode(node: ts.Expression, file: ParsedFile, env?: Environment): StaticValue {
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return (node as ts.StringLiteral).text
      case ts.SyntaxKind.NumericLiteral:
        return Number((node as ts.NumericLiteral).text)
      case ts.SyntaxKind.BigIntLiteral:
        return BigInt((node as ts.BigIntLiteral).text.replace(/n$/, ''))
      case ts.SyntaxKind.TrueKeyword:
        return true
      case ts.SyntaxKind.FalseKeyword:
        return false
      case ts.SyntaxKind.NullKeyword:
        return null
      case ts.SyntaxKind.RegularExpressionLiteral:
        return new Unresolved('regular expression literal', this.at(file, node))
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.NonNullExpression:
        return this.evaluate((node as ts.ParenthesizedExpression).expression, file, env)
      case ts.SyntaxKind.Identifier:
        return this.evaluateIdentifier(node as ts.Identifier, file, env)
      case ts.SyntaxKind.TemplateExpression:
        return this.evaluateTemplate(node as ts.TemplateExpression, file, env)
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.evaluateObject(node as ts.ObjectLiteralExpression, file, env)
      case ts.SyntaxKind.ArrayLiteralExpression:
        return this.evaluateArray(node as ts.ArrayLiteralExpression, file, env)
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression: {
        const fn = node as ts.ArrowFunction | ts.FunctionExpression
        return new FunctionValue(fn, file.path, ts.isFunctionExpression(fn) ? fn.name?.text : undefined, env)
      }
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        return this.evaluateMemberAccess(node as ts.PropertyAccessExpression | ts.ElementAccessExpression, file, env)
      case ts.SyntaxKind.CallExpression:
        return this.evaluateCall(node as ts.CallExpression, file, env)
      case ts.SyntaxKind.PrefixUnaryExpression:
        return this.evaluatePrefixUnary(node as ts.PrefixUnaryExpression, file, env)
      case ts.SyntaxKind.BinaryExpression:
        return this.evaluateBinary(node as ts.BinaryExpression, file, env)
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression
        const condition = this.evaluate(conditional.condition, file, env)
        const truth = truthiness(condition)
        if (truth === undefined) return unresolvedFrom(condition, 'condition could not be evaluated', this.at(file, node))
        return this.evaluate(truth ? conditional.whenTrue : conditional.whenFalse, file, env)
      }
      case ts.SyntaxKind.TypeOfExpression: {
        const value = this.evaluate((node as ts.TypeOfExpression).expression, file, env)
        return typeOf(value) ?? unresolvedFrom(value, 'typeof of an unknown value', this.at(file, node))
      }
      case ts.SyntaxKind.VoidExpression:
        return undefined
      default:
        return new Unresolved(`${describeKind(node.kind)} is not evaluated statically`, this.at(file, node))
    }
  }

  private evaluateTemplate(node: ts.TemplateExpression, file: ParsedFile, env?: Environment): StaticValue {
    let text = node.head.text
    for (const span of node.templateSpans) {
      const value = this.evaluate(span.expression, file, env)
      if (!isPrimitive(value)) return unresolvedFrom(value, 'template literal part is not a constant', this.at(file, span.expression))
      text += String(value) + span.literal.text
      if (text.length > MAX_STRING_LENGTH) return new Unresolved('string too long to model', this.at(file, node))
    }
    return text
  }

  private evaluateObject(node: ts.ObjectLiteralExpression, file: ParsedFile, env?: Environment): StaticValue {
    const object: StaticObject = {}
    setLocation(object, node)
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.evaluate(property.expression, file, env)
        if (isPlainObject(spread)) spreadInto(object, spread)
        else if (spread === undefined || spread === null || typeof spread === 'boolean' || typeof spread === 'number') continue
        else if (Array.isArray(spread) || typeof spread === 'string') {
          Object.entries(spread).forEach(([key, value]) => defineProperty(object, key, value))
        } else {
          overrideAllKeys(object, unresolvedFrom(spread, 'spread of a value that is not a known object', this.at(file, property)))
        }
        continue
      }
      const key = this.propertyKey(property.name, file, env)
      if (key instanceof Unresolved) {
        overrideAllKeys(object, key)
        continue
      }
      let value: StaticValue
      if (ts.isPropertyAssignment(property)) value = this.evaluate(property.initializer, file, env)
      else if (ts.isShorthandPropertyAssignment(property)) value = this.evaluateIdentifier(property.name, file, env)
      else if (ts.isMethodDeclaration(property)) value = new FunctionValue(property, file.path, key, env)
      else value = new Unresolved(`accessor "${key}" is not evaluated statically`, this.at(file, property))
      defineProperty(object, key, value)
      setPropertyLocation(object, key, property)
    }
    return object
  }

  private propertyKey(name: ts.PropertyName, file: ParsedFile, env?: Environment): string | Unresolved {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text
    if (ts.isNumericLiteral(name)) return String(Number(name.text))
    if (ts.isPrivateIdentifier(name)) return new Unresolved('private name', this.at(file, name))
    if (ts.isComputedPropertyName(name)) {
      const key = this.evaluate(name.expression, file, env)
      if (typeof key === 'string' || typeof key === 'number') return String(key)
      return unresolvedFrom(key, 'computed property key is not a constant', this.at(file, name))
    }
    return new Unresolved('unsupported property name', this.at(file, name))
  }

  private evaluateArray(node: ts.ArrayLiteralExpression, file: ParsedFile, env?: Environment): StaticValue {
    const array: StaticValue[] = []
    setLocation(array, node)
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const spread = this.evaluate(element.expression, file, env)
        if (mutationOf(spread)) return mutationOf(spread) as Unresolved
        if (Array.isArray(spread) || typeof spread === 'string') {
          if (array.length + spread.length > MAX_ARRAY_LENGTH) return new Unresolved('array too large to model', this.at(file, element))
          array.push(...spread)
        }
        else return unresolvedFrom(spread, 'spread of a value that is not a known array', this.at(file, element))
      } else if (ts.isOmittedExpression(element)) {
        array.push(undefined)
      } else {
        array.push(this.evaluate(element, file, env))
      }
    }
    return array
  }

  private evaluateMemberAccess(
    node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
    file: ParsedFile,
    env?: Environment
  ): StaticValue {
    const target = this.evaluate(node.expression, file, env)
    let key: StaticValue
    if (ts.isPropertyAccessExpression(node)) {
      if (ts.isPrivateIdentifier(node.name)) return new Unresolved('private member', this.at(file, node))
      key = node.name.text
    } else {
      key = this.evaluate(node.argumentExpression, file, env)
    }
    if (key instanceof Unresolved) return key
    if (typeof key !== 'string' && typeof key !== 'number') {
      return new Unresolved('member key is not a constant', this.at(file, node))
    }
    if ((target === undefined || target === null) && node.questionDotToken) return undefined
    return this.readMember(target, String(key), () => this.at(file, node))
  }

  /** Reads a member; `where` is only computed when the read is unknown. */
  readMember(target: StaticValue, key: string, where: SourceLocation | (() => SourceLocation)): StaticValue {
    if (target instanceof Unresolved) return target
    const mutated = mutationOf(target)
    if (mutated) return mutated
    if (isPlainObject(target)) return readProperty(target, key)
    if (target instanceof ModuleNamespace) return this.evaluateExport(target.path, key)
    const at = typeof where === 'function' ? where() : where
    if (Array.isArray(target) || typeof target === 'string') {
      if (key === 'length') return target.length
      if (/^(0|[1-9]\d*)$/.test(key)) return target[Number(key)]
      return new Unresolved(`.${key} of ${Array.isArray(target) ? 'an array' : 'a string'} is only modelled when called`, at)
    }
    if (target === undefined || target === null) return new Unresolved(`reading "${key}" of ${String(target)}`, at)
    return new Unresolved(`member "${key}" of a ${typeOf(target) ?? 'value'} is not evaluated statically`, at)
  }

  private evaluatePrefixUnary(node: ts.PrefixUnaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    const operand = this.evaluate(node.operand, file, env)
    if (node.operator === ts.SyntaxKind.ExclamationToken) {
      const truth = truthiness(operand)
      return truth === undefined ? unresolvedFrom(operand, 'negation of an unknown value', this.at(file, node)) : !truth
    }
    if (!isPrimitive(operand) || typeof operand === 'bigint') {
      return unresolvedFrom(operand, 'unary operator on a non-constant', this.at(file, node))
    }
    switch (node.operator) {
      case ts.SyntaxKind.MinusToken:
        return -Number(operand)
      case ts.SyntaxKind.PlusToken:
        return Number(operand)
      case ts.SyntaxKind.TildeToken:
        return ~Number(operand)
      default:
        return new Unresolved('increment or decrement is not evaluated statically', this.at(file, node))
    }
  }

  private evaluateBinary(node: ts.BinaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    const operator = node.operatorToken.kind
    const left = this.evaluate(node.left, file, env)
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
      const truth = truthiness(left)
      if (truth === undefined) return unresolvedFrom(left, 'logical operator on an unknown value', this.at(file, node))
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return truth ? this.evaluate(node.right, file, env) : left
      return truth ? left : this.evaluate(node.right, file, env)
    }
    if (operator === ts.SyntaxKind.QuestionQuestionToken) {
      if (left instanceof Unresolved) return left
      return left === undefined || left === null ? this.evaluate(node.right, file, env) : left
    }
    const right = this.evaluate(node.right, file, env)
    if (!isPrimitive(left)) return unresolvedFrom(left, 'operator on a non-constant', this.at(file, node))
    if (!isPrimitive(right)) return unresolvedFrom(right, 'operator on a non-constant', this.at(file, node))
    const result = applyBinaryOperator(operator, left, right)
    if (typeof result === 'string' && result.length > MAX_STRING_LENGTH) return new Unresolved('string too long to model', this.at(file, node))
    return result === NOT_MODELLED ? new Unresolved(`operator ${ts.tokenToString(operator) ?? operator} is not evaluated statically`, this.at(file, node)) : result
  }

  private evaluateCall(node: ts.CallExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = this.at(file, node)
    const args: StaticValue[] = []
    for (const argument of node.arguments) {
      if (ts.isSpreadElement(argument)) {
        const spread = this.evaluate(argument.expression, file, env)
        if (!Array.isArray(spread)) return unresolvedFrom(spread, 'spread argument is not a known array', at)
        args.push(...spread)
      } else {
        args.push(this.evaluate(argument, file, env))
      }
    }
    const callee = node.expression
    if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name)) {
      const target = this.evaluate(callee.expression, file, env)
      if ((target === undefined || target === null) && callee.questionDotToken) return undefined
      if (!(target instanceof ModuleNamespace) && !isPlainObject(target)) {
        if (target instanceof Unresolved) return target
        return callBuiltinMethod(target, callee.name.text, args, at, (fn, fnArgs) => this.callFunction(fn, fnArgs, at))
      }
    }
    const fn = this.evaluate(callee, file, env)
    return this.callFunction(fn, args, at, describeCallee(callee, file))
  }

  /** Calls a helper written in the integration, or a modelled built-in, with constant arguments. */
  callFunction(fn: StaticValue, args: StaticValue[], at: SourceLocation, name?: string): StaticValue {
    if (fn instanceof BuiltinFunction) return fn.call(args, at)
    if (fn instanceof Unresolved) return fn
    if (!(fn instanceof FunctionValue)) return new Unresolved(`${name ?? 'callee'} is not a known function`, at)
    const label = name ?? fn.name ?? 'an anonymous function'
    const node = fn.node
    const file = this.program.getFile(fn.path)
    if (!file) return new Unresolved(`call to ${label}: its file could not be read`, at)
    if (node.asteriskToken || hasModifier(node, ts.SyntaxKind.AsyncKeyword)) {
      return new Unresolved(`call to ${label}: async or generator functions are not evaluated`, at)
    }
    if (this.callDepth >= MAX_CALL_DEPTH) return new Unresolved(`call to ${label}: helpers nested too deeply`, at)
    const body = node.body
    if (!body) return new Unresolved(`call to ${label}: function has no body`, at)
    const env = new Environment(fn.closure instanceof Environment ? fn.closure : undefined)
    for (let index = 0; index < node.parameters.length; index++) {
      const parameter = node.parameters[index]
      let value: StaticValue = parameter.dotDotDotToken ? args.slice(index) : args[index]
      if (value === undefined && parameter.initializer) value = this.evaluate(parameter.initializer, file, env)
      const bound = this.bindPattern(parameter.name, value, file, env)
      if (bound) return new Unresolved(`call to ${label}: ${bound.reason}`, at)
    }
    this.callDepth++
    try {
      if (!ts.isBlock(body)) return this.evaluate(body, file, env)
      return this.evaluateFunctionBlock(body, file, env, label, at)
    } finally {
      this.callDepth--
    }
  }

  /** A block of `const` declarations and one final `return` is evaluated; anything else is not. */
  private evaluateFunctionBlock(body: ts.Block, file: ParsedFile, env: Environment, label: string, at: SourceLocation): StaticValue {
    for (const statement of body.statements) {
      if (ts.isReturnStatement(statement)) {
        return statement.expression ? this.evaluate(statement.expression, file, env) : undefined
      }
      if (ts.isVariableStatement(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
        for (const declaration of statement.declarationList.declarations) {
          if (!declaration.initializer) return new Unresolved(`call to ${label}: constant without initializer`, at)
          const bound = this.bindPattern(declaration.name, this.evaluate(declaration.initializer, file, env), file, env)
          if (bound) return new Unresolved(`call to ${label}: ${bound.reason}`, at)
        }
        continue
      }
      if (ts.isEmptyStatement(statement)) continue
      return new Unresolved(`call to ${label}: its body has control flow that is not evaluated statically`, at)
    }
    return undefined
  }

  private bindPattern(name: ts.BindingName, value: StaticValue, file: ParsedFile, env: Environment): Unresolved | undefined {
    if (ts.isIdentifier(name)) {
      env.bind(name.text, value)
      return undefined
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        if (element.dotDotDotToken) return new Unresolved('rest element in a destructuring pattern')
        const keyNode = element.propertyName ?? element.name
        const key = ts.isIdentifier(keyNode) || ts.isStringLiteral(keyNode) ? keyNode.text : undefined
        if (key === undefined) return new Unresolved('computed key in a destructuring pattern')
        let member = this.readMember(value, key, this.at(file, element))
        if (member === undefined && element.initializer) member = this.evaluate(element.initializer, file, env)
        const nested = this.bindPattern(element.name, member, file, env)
        if (nested) return nested
      }
      return undefined
    }
    for (let index = 0; index < name.elements.length; index++) {
      const element = name.elements[index]
      if (ts.isOmittedExpression(element)) continue
      if (element.dotDotDotToken) return new Unresolved('rest element in a destructuring pattern')
      let member = this.readMember(value, String(index), this.at(file, element))
      if (member === undefined && element.initializer) member = this.evaluate(element.initializer, file, env)
      const nested = this.bindPattern(element.name, member, file, env)
      if (nested) return nested
    }
    return undefined
  }

  private evaluateIdentifier(node: ts.Identifier, file: ParsedFile, env?: Environment): StaticValue {
    const name = node.text
    const local = env?.lookup(name)
    if (local) return local.value
    const declared = this.evaluateTopLevelName(file, name, new Set())
    if (declared !== NOT_DECLARED) return declared
    const global = globalValue(name)
    if (global instanceof Unresolved) return new Unresolved(global.reason, this.at(file, node))
    if (global !== NOT_A_GLOBAL) return global
    return new Unresolved(`"${name}" is not a module-level constant`, this.at(file, node))
  }

  /** Looks a name up among a file's top-level declarations and imports. */
  /** The top-level statements that may bind each name, built once per file. */
  private statementsBinding(file: ParsedFile, name: string): readonly ts.Statement[] {
    let index = this.topLevelIndexes.get(file.sourceFile)
    if (!index) {
      index = new Map()
      for (const statement of file.sourceFile.statements) {
        for (const bound of namesBoundBy(statement)) {
          const list = index.get(bound)
          if (list) list.push(statement)
          else index.set(bound, [statement])
        }
      }
      this.topLevelIndexes.set(file.sourceFile, index)
    }
    return index.get(name) ?? []
  }

  private evaluateTopLevelName(file: ParsedFile, name: string, seen: Set<string>): StaticValue | typeof NOT_DECLARED {
    for (const statement of this.statementsBinding(file, name)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!bindsName(declaration.name, name)) continue
          return this.evaluateVariable(declaration, statement.declarationList, name, file)
        }
      } else if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) {
        return new FunctionValue(statement, file.path, name)
      } else if (ts.isEnumDeclaration(statement) && statement.name.text === name) {
        return this.memoized(statement, () => this.evaluateEnum(statement, file))
      } else if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
        return new Unresolved(`class ${name} is not evaluated statically`, this.at(file, statement))
      } else if (ts.isImportDeclaration(statement)) {
        const imported = this.evaluateImport(statement, name, file, seen)
        if (imported !== NOT_DECLARED) return imported
      } else if (ts.isImportEqualsDeclaration(statement) && statement.name.text === name) {
        return new Unresolved(`import ${name} = require(...) is not followed`, this.at(file, statement))
      }
    }
    return NOT_DECLARED
  }

  private evaluateVariable(
    declaration: ts.VariableDeclaration,
    list: ts.VariableDeclarationList,
    name: string,
    file: ParsedFile
  ): StaticValue {
    if (!(list.flags & ts.NodeFlags.Const)) return new Unresolved(`"${name}" is declared with let/var and may change`, this.at(file, declaration))
    if (!declaration.initializer) return new Unresolved(`"${name}" has no initializer`, this.at(file, declaration))
    const initializer = declaration.initializer
    const whole = this.memoized(declaration, () => this.evaluate(initializer, file))
    if (ts.isIdentifier(declaration.name)) return whole
    const env = new Environment()
    const failed = this.bindPattern(declaration.name, whole, file, env)
    return failed ? new Unresolved(failed.reason, this.at(file, declaration)) : (env.lookup(name)?.value as StaticValue)
  }

  private evaluateImport(statement: ts.ImportDeclaration, name: string, file: ParsedFile, seen: Set<string>): StaticValue | typeof NOT_DECLARED {
    const clause = statement.importClause
    if (!clause || !ts.isStringLiteral(statement.moduleSpecifier)) return NOT_DECLARED
    const specifier = statement.moduleSpecifier.text
    let exportName: string | undefined
    let namespace = false
    if (clause.name?.text === name) exportName = 'default'
    const bindings = clause.namedBindings
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) namespace = true
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (element.name.text === name) exportName = (element.propertyName ?? element.name).text
      }
    }
    if (exportName === undefined && !namespace) return NOT_DECLARED
    const resolution = this.program.resolveModule(file.path, specifier)
    switch (resolution.kind) {
      case 'file':
        return namespace ? new ModuleNamespace(resolution.path) : this.evaluateExport(resolution.path, exportName as string, seen)
      case 'json':
        return this.evaluateJsonModule(resolution.path, namespace ? undefined : (exportName as string), this.at(file, statement))
      case 'external':
        return externalModuleExport(specifier, namespace ? '*' : (exportName as string), this.at(file, statement))
      case 'missing':
        return new Unresolved(`module "${specifier}" was not found in the repository`, this.at(file, statement))
    }
  }

  private evaluateJsonModule(path: string, exportName: string | undefined, at: SourceLocation): StaticValue {
    const text = this.program.source.readFile(path)
    if (text === undefined || Buffer.byteLength(text) > this.program.limits.maxFileBytes) {
      return new Unresolved(`${path} could not be read`, at)
    }
    try {
      const data = JSON.parse(text) as StaticValue
      if (exportName === undefined || exportName === 'default') return data
      return isPlainObject(data) ? readProperty(data, exportName) : new Unresolved(`${path} has no key "${exportName}"`, at)
    } catch {
      return new Unresolved(`${path} is not valid JSON`, at)
    }
  }

  private findExport(file: ParsedFile, name: string, seen: Set<string>): StaticValue | undefined {
    const starModules: string[] = []
    for (const statement of file.sourceFile.statements) {
      if (name === 'default' && ts.isExportAssignment(statement)) {
        return this.memoized(statement, () => this.evaluate(statement.expression, file))
      }
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
        const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword)
        if (ts.isVariableStatement(statement) && name !== 'default') {
          for (const declaration of statement.declarationList.declarations) {
            if (bindsName(declaration.name, name)) return this.evaluateVariable(declaration, statement.declarationList, name, file)
          }
        } else if (ts.isFunctionDeclaration(statement) && statement.body) {
          if ((isDefault && name === 'default') || (!isDefault && statement.name?.text === name)) {
            return new FunctionValue(statement, file.path, statement.name?.text)
          }
        } else if (ts.isEnumDeclaration(statement) && statement.name.text === name) {
          return this.memoized(statement, () => this.evaluateEnum(statement, file))
        } else if (ts.isClassDeclaration(statement) && ((isDefault && name === 'default') || statement.name?.text === name)) {
          return new Unresolved(`class ${statement.name?.text ?? name} is not evaluated statically`, this.at(file, statement))
        }
      }
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined
        const clause = statement.exportClause
        if (!clause) {
          if (specifier && name !== 'default') starModules.push(specifier)
          continue
        }
        if (ts.isNamespaceExport(clause)) {
          if (clause.name.text === name && specifier) {
            const resolution = this.program.resolveModule(file.path, specifier)
            if (resolution.kind === 'file') return new ModuleNamespace(resolution.path)
            return new Unresolved(`module "${specifier}" is not in the repository`, this.at(file, statement))
          }
          continue
        }
        for (const element of clause.elements) {
          if (element.name.text !== name) continue
          const localName = (element.propertyName ?? element.name).text
          if (!specifier) {
            const local = this.evaluateTopLevelName(file, localName, seen)
            return local === NOT_DECLARED ? new Unresolved(`"${localName}" is not declared in ${file.path}`, this.at(file, element)) : local
          }
          const resolution = this.program.resolveModule(file.path, specifier)
          if (resolution.kind === 'file') return this.evaluateExport(resolution.path, localName, seen)
          if (resolution.kind === 'external') return externalModuleExport(specifier, localName, this.at(file, element))
          return new Unresolved(`module "${specifier}" was not found in the repository`, this.at(file, element))
        }
      }
    }
    for (const specifier of starModules) {
      const resolution = this.program.resolveModule(file.path, specifier)
      if (resolution.kind !== 'file') continue
      const target = this.program.getFile(resolution.path)
      if (!target) continue
      const found = this.findExport(target, name, seen)
      if (found !== undefined) return found
    }
    return undefined
  }

  private evaluateEnum(declaration: ts.EnumDeclaration, file: ParsedFile): StaticValue {
    const members: StaticObject = {}
    setLocation(members, declaration)
    const env = new Environment()
    let next: number | undefined = 0
    for (const member of declaration.members) {
      const key = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined
      if (key === undefined) {
        markPartial(members, new Unresolved('computed enum member', this.at(file, member)))
        continue
      }
      let value: StaticValue
      if (member.initializer) value = this.evaluate(member.initializer, file, env)
      else value = next === undefined ? new Unresolved('enum member after a non-numeric member', this.at(file, member)) : next
      next = typeof value === 'number' ? value + 1 : undefined
      defineProperty(members, key, value)
      setPropertyLocation(members, key, member)
      // Numeric members also map back to their names, as compiled enums do (Object.values sees both).
      if (typeof value === 'number') defineProperty(members, String(value), key)
      env.bind(key, value)
    }
    return members
  }

  private memoized(node: ts.Node, compute: () => StaticValue): StaticValue {
    if (this.declarationValues.has(node)) return this.declarationValues.get(node)
    if (this.inProgress.has(node)) {
      const sourceFile = node.getSourceFile()
      return new Unresolved('circular reference: the value depends on itself', this.program.locate(sourceFile, node))
    }
    this.inProgress.add(node)
    try {
      const value = compute()
      this.declarationValues.set(node, value)
      return value
    } finally {
      this.inProgress.delete(node)
    }
  }
}

const NOT_DECLARED = Symbol('not declared')
const NOT_MODELLED = Symbol('not modelled')

/** Names a top-level statement may declare or import (a superset; the lookup checks each). */
function namesBoundBy(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    const names: string[] = []
    const collect = (name: ts.BindingName) => {
      if (ts.isIdentifier(name)) names.push(name.text)
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name)
    }
    for (const declaration of statement.declarationList.declarations) collect(declaration.name)
    return names
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text]
  if (ts.isEnumDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return [statement.name.text]
  if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause
    const names = clause.name ? [clause.name.text] : []
    const bindings = clause.namedBindings
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text)
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((element) => element.name.text))
    return names
  }
  return []
}

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue
    if (bindsName(element.name, wanted)) return true
  }
  return false
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind)
}

function isPrimitive(value: StaticValue): value is string | number | boolean | null | undefined | bigint {
  return value === null || (typeof value !== 'object' && typeof value !== 'function')
}

/** JS truthiness where it is known; undefined when the value is unknown. */
export function truthiness(value: StaticValue): boolean | undefined {
  if (value instanceof Unresolved) return undefined
  if (isPrimitive(value)) return Boolean(value)
  return true
}

function typeOf(value: StaticValue): string | undefined {
  if (value instanceof Unresolved || value instanceof ModuleNamespace) return value instanceof ModuleNamespace ? 'object' : undefined
  if (value instanceof FunctionValue || value instanceof BuiltinFunction) return 'function'
  if (value === null) return 'object'
  return typeof value
}

function unresolvedFrom(value: StaticValue, reason: string, at: SourceLocation): Unresolved {
  return value instanceof Unresolved ? value : new Unresolved(reason, at)
}

function describeCallee(callee: ts.Expression, file: ParsedFile): string {
  const text = callee.getText(file.sourceFile).replace(/\s+/g, ' ')
  return text.length > 60 ? `${text.slice(0, 57)}...()` : `${text}()`
}

function describeKind(kind: ts.SyntaxKind): string {
  const name = ts.SyntaxKind[kind] ?? 'expression'
  return name.replace(/Expression$/, ' expression').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

function applyBinaryOperator(operator: ts.SyntaxKind, left: StaticPrimitiveValue, right: StaticPrimitiveValue): StaticValue | typeof NOT_MODELLED {
  // Only plain values reach here, so the host's own operators give exactly JS semantics.
  const l = left as never
  const r = right as never
  try {
    switch (operator) {
      case ts.SyntaxKind.PlusToken: return (l + r) as StaticValue
      case ts.SyntaxKind.MinusToken: return l - r
      case ts.SyntaxKind.AsteriskToken: return l * r
      case ts.SyntaxKind.SlashToken: return l / r
      case ts.SyntaxKind.PercentToken: return l % r
      case ts.SyntaxKind.AsteriskAsteriskToken: return l ** r
      case ts.SyntaxKind.EqualsEqualsEqualsToken: return left === right
      case ts.SyntaxKind.ExclamationEqualsEqualsToken: return left !== right
      case ts.SyntaxKind.EqualsEqualsToken: return left == right
      case ts.SyntaxKind.ExclamationEqualsToken: return left != right
      case ts.SyntaxKind.LessThanToken: return l < r
      case ts.SyntaxKind.LessThanEqualsToken: return l <= r
      case ts.SyntaxKind.GreaterThanToken: return l > r
      case ts.SyntaxKind.GreaterThanEqualsToken: return l >= r
      case ts.SyntaxKind.BarToken: return l | r
      case ts.SyntaxKind.AmpersandToken: return l & r
      case ts.SyntaxKind.CaretToken: return l ^ r
      case ts.SyntaxKind.LessThanLessThanToken: return l << r
      case ts.SyntaxKind.GreaterThanGreaterThanToken: return l >> r
      default: return NOT_MODELLED
    }
  } catch {
    return NOT_MODELLED
  }
}

type StaticPrimitiveValue = string | number | boolean | null | undefined | bigint
