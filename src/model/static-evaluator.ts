// Computes the values of expressions in integration code without running it: literals,
// object and array literals with spreads, constants across imports and re-exports,
// template literals, operators, enum members, and calls of helpers written in the repository,
// interpreted over the syntax tree within a step budget (see static-interpreter.ts). A helper may
// change only objects it created itself. Anything else is an `Unresolved` with the reason.
import { ts } from './typescript.js'
import { NOT_A_GLOBAL, callBuiltinMethod, externalModuleExport, globalValue } from './static-builtins.js'
import type { ParsedFile, SourceProgram } from './source-program.js'
import { assignInto, callArrayMutator, deleteMember, isArrayMutator, OwnedObjects, setMember } from './static-effects.js'
import { Environment, EvaluationAbort, StepBudget, ThrownValue, abort, locationOf, type Where } from './static-environment.js'
import { StatementInterpreter } from './static-interpreter.js'
import { callCollectionMethod, collectionItems, collectionSize, constructCollection } from './static-collections.js'
import { MAX_ARRAY_LENGTH, MAX_CALL_DEPTH, MAX_STRING_LENGTH } from './static-limits.js'
import {
  BuiltinFunction,
  FunctionValue,
  ModuleNamespace,
  StaticCollection,
  Unresolved,
  defineProperty,
  isPlainObject,
  markPartial,
  mutationOf,
  overrideAllKeys,
  partialReason,
  readProperty,
  setLocation,
  setPropertyLocation,
  spreadInto,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from './static-values.js'

/** `ts.SyntaxKind` is a getter on the compiler's namespace: read once, not in every switch case. */
const SyntaxKind = ts.SyntaxKind

export class StaticEvaluator {
  private readonly declarationValues = new Map<ts.Node, StaticValue>()
  private readonly exportValues = new Map<string, StaticValue>()
  private readonly topLevelIndexes = new Map<ts.SourceFile, Map<string, ts.Statement[]>>()
  private readonly inProgress = new Set<ts.Node>()
  private depth = 0
  private callDepth = 0
  /**
   * Objects created while evaluating the declaration under way (each declaration gets its own
   * set): the only ones a helper may change. `reduce(fn, {})` may fill its own `{}`, never an
   * object another declaration holds.
   */
  private owned = new OwnedObjects()
  /**
   * The built-in objects this evaluator hands out (`JSON`, `Object`, lodash's namespace…), copied
   * from the process-wide originals on first use: a write by reviewed code (`JSON.parse = …`) is
   * recorded on this review's copy, never on what the next review in the same process reads.
   */
  private readonly builtinCopies = new Map<object, StaticValue>()
  private readonly budget = new StepBudget()
  /** While module initialisers run: the module-level values they read (checked once every load-time write is marked). */
  private moduleReads: object[] | undefined
  /** Expressions evaluated to an unknown value so far, apart from declarations computed on the way (see the interpreter's try). */
  private unknownsMet = 0
  private readonly interpreter = new StatementInterpreter({
    evaluate: (node, file, env) => this.evaluate(node, file, env),
    bindPattern: (name, value, file, env, mutable) => this.bindPattern(name, value, file, env, mutable),
    at: (file, node) => this.at(file, node),
    unknownsMet: () => this.unknownsMet,
    step: (file, node) => this.budget.step(new NodePlace(this, file, node))
  })

  constructor(readonly program: SourceProgram) {}

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
      const value = this.evaluateNode(node, file, env)
      if (value instanceof Unresolved) this.unknownsMet++
      return value
    } catch (error) {
      // An abort ends a helper call or a declaration; it never escapes to whoever asked for a value.
      if (this.depth === 1 && error instanceof EvaluationAbort) return error.unresolved
      throw error
    } finally {
      this.depth--
    }
  }

  /**
   * Runs top-level statements of `file` that fill module-level objects (a loop adding fields to a
   * `const` object declared above it), changing those objects in place: while they run, only the
   * objects named in `filled` and what the statements create may change. Returns why not, when
   * the statements could not be followed exactly (the objects may then be half filled: the caller
   * marks them unknown).
   */
  runModuleInitialisers(
    file: ParsedFile,
    statements: readonly ts.Statement[],
    filled: ReadonlyMap<string, StaticValue>
  ): { failed?: Unresolved; reads: object[] } {
    const reads: object[] = []
    const callerReads = this.moduleReads
    this.moduleReads = reads
    const unknownsBefore = this.unknownsMet
    const callerOwned = this.owned
    const callerDepth = this.callDepth
    const savedBudget = this.budget.startEvaluation()
    this.owned = new OwnedObjects()
    // As inside a helper: a call the evaluator cannot follow may do anything, so it aborts; and an
    // abort must reach this method rather than end at the outermost evaluate().
    this.callDepth = 1
    this.depth++
    try {
      const env = new Environment(undefined, true)
      for (const [name, value] of filled) env.bind(name, this.owned.own(value), false)
      this.interpreter.runModuleStatements(statements, file, env)
      // A statement whose value was unknown (a spread of an unknown list…) may not have done what JS does.
      if (this.unknownsMet !== unknownsBefore)
        return { failed: new Unresolved('the statements that fill it met a value that is not known', this.at(file, statements[0])), reads }
      return { reads }
    } catch (error) {
      if (error instanceof EvaluationAbort) return { failed: error.unresolved, reads }
      throw error
    } finally {
      this.moduleReads = callerReads
      this.depth--
      this.owned = callerOwned
      this.callDepth = callerDepth
      this.budget.endEvaluation(savedBudget)
    }
  }

  at(file: ParsedFile, node: ts.Node): SourceLocation {
    return this.program.locate(file.sourceFile, node)
  }

  private evaluateNode(node: ts.Expression, file: ParsedFile, env?: Environment): StaticValue {
    switch (node.kind) {
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
        return (node as ts.StringLiteral).text
      case SyntaxKind.NumericLiteral:
        return Number((node as ts.NumericLiteral).text)
      case SyntaxKind.BigIntLiteral:
        return BigInt((node as ts.BigIntLiteral).text.replace(/n$/, ''))
      case SyntaxKind.TrueKeyword:
        return true
      case SyntaxKind.FalseKeyword:
        return false
      case SyntaxKind.NullKeyword:
        return null
      case SyntaxKind.RegularExpressionLiteral:
        return new Unresolved('regular expression literal', this.at(file, node))
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
      case SyntaxKind.NonNullExpression:
        return this.evaluate((node as ts.ParenthesizedExpression).expression, file, env)
      case SyntaxKind.Identifier:
        return this.evaluateIdentifier(node as ts.Identifier, file, env)
      case SyntaxKind.TemplateExpression:
        return this.evaluateTemplate(node as ts.TemplateExpression, file, env)
      case SyntaxKind.ObjectLiteralExpression:
        return this.evaluateObject(node as ts.ObjectLiteralExpression, file, env)
      case SyntaxKind.ArrayLiteralExpression:
        return this.evaluateArray(node as ts.ArrayLiteralExpression, file, env)
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression: {
        const fn = node as ts.ArrowFunction | ts.FunctionExpression
        return new FunctionValue(fn, file.path, ts.isFunctionExpression(fn) ? fn.name?.text : undefined, env)
      }
      case SyntaxKind.PropertyAccessExpression:
      case SyntaxKind.ElementAccessExpression:
        return this.evaluateMemberAccess(node as ts.PropertyAccessExpression | ts.ElementAccessExpression, file, env)
      case SyntaxKind.CallExpression:
        return this.evaluateCall(node as ts.CallExpression, file, env)
      case SyntaxKind.PrefixUnaryExpression:
        return this.evaluatePrefixUnary(node as ts.PrefixUnaryExpression, file, env)
      case SyntaxKind.PostfixUnaryExpression:
        return this.evaluateUpdate(node as ts.PostfixUnaryExpression, file, env)
      case SyntaxKind.DeleteExpression:
        return this.evaluateDelete(node as ts.DeleteExpression, file, env)
      case SyntaxKind.NewExpression:
        return this.evaluateNew(node as ts.NewExpression, file, env)
      case SyntaxKind.BinaryExpression:
        return this.evaluateBinary(node as ts.BinaryExpression, file, env)
      case SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression
        const condition = this.evaluate(conditional.condition, file, env)
        const truth = truthiness(condition)
        if (truth === undefined) return unresolvedFrom(condition, 'condition could not be evaluated', this.at(file, node))
        return this.evaluate(truth ? conditional.whenTrue : conditional.whenFalse, file, env)
      }
      case SyntaxKind.TypeOfExpression: {
        const value = this.evaluate((node as ts.TypeOfExpression).expression, file, env)
        return typeOf(value) ?? unresolvedFrom(value, 'typeof of an unknown value', this.at(file, node))
      }
      case SyntaxKind.VoidExpression:
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
    this.owned.own(object)
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
    this.owned.own(array)
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const spread = this.evaluate(element.expression, file, env)
        if (mutationOf(spread)) return mutationOf(spread)
        const items = spread instanceof StaticCollection ? collectionItems(spread, this.owned) : spread
        if (items instanceof Unresolved) return items
        if (Array.isArray(items) || typeof items === 'string') {
          if (array.length + items.length > MAX_ARRAY_LENGTH) return new Unresolved('array too large to model', this.at(file, element))
          array.push(...items)
        } else return unresolvedFrom(spread, 'spread of a value that is not a known array', this.at(file, element))
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
    return this.readMember(target, String(key), new NodePlace(this, file, node))
  }

  /** Reads a member; `where` is only computed when the read is unknown. */
  readMember(target: StaticValue, key: string, where: Where): StaticValue {
    if (target instanceof Unresolved) return target
    const mutated = mutationOf(target)
    if (mutated) return mutated
    if (isPlainObject(target)) return readProperty(target, key)
    if (target instanceof ModuleNamespace) return this.evaluateExport(target.path, key)
    const at = locationOf(where) as SourceLocation
    if (Array.isArray(target) || typeof target === 'string') {
      if (key === 'length') return target.length
      if (/^(0|[1-9]\d*)$/.test(key)) return target[Number(key)]
      return new Unresolved(`.${key} of ${Array.isArray(target) ? 'an array' : 'a string'} is only modelled when called`, at)
    }
    if (target === undefined || target === null) return new Unresolved(`reading "${key}" of ${String(target)}`, at)
    if (target instanceof StaticCollection && key === 'size') return collectionSize(target)
    return new Unresolved(`member "${key}" of a ${typeOf(target) ?? 'value'} is not evaluated statically`, at)
  }

  private evaluatePrefixUnary(node: ts.PrefixUnaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    if (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)
      return this.evaluateUpdate(node, file, env)
    const operand = this.evaluate(node.operand, file, env)
    if (node.operator === SyntaxKind.ExclamationToken) {
      const truth = truthiness(operand)
      return truth === undefined ? unresolvedFrom(operand, 'negation of an unknown value', this.at(file, node)) : !truth
    }
    if (!isPrimitive(operand) || typeof operand === 'bigint') {
      return unresolvedFrom(operand, 'unary operator on a non-constant', this.at(file, node))
    }
    switch (node.operator) {
      case SyntaxKind.MinusToken:
        return -Number(operand)
      case SyntaxKind.PlusToken:
        return Number(operand)
      case SyntaxKind.TildeToken:
        return ~Number(operand)
      default:
        return new Unresolved('increment or decrement is not evaluated statically', this.at(file, node))
    }
  }

  private evaluateBinary(node: ts.BinaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    const operator = node.operatorToken.kind
    if (operator >= SyntaxKind.FirstAssignment && operator <= SyntaxKind.LastAssignment) return this.evaluateAssignment(node, file, env)
    if (operator === SyntaxKind.CommaToken) {
      this.evaluate(node.left, file, env)
      return this.evaluate(node.right, file, env)
    }
    const left = this.evaluate(node.left, file, env)
    if (operator === SyntaxKind.AmpersandAmpersandToken || operator === SyntaxKind.BarBarToken) {
      const truth = truthiness(left)
      if (truth === undefined) return unresolvedFrom(left, 'logical operator on an unknown value', this.at(file, node))
      if (operator === SyntaxKind.AmpersandAmpersandToken) return truth ? this.evaluate(node.right, file, env) : left
      return truth ? left : this.evaluate(node.right, file, env)
    }
    if (operator === SyntaxKind.QuestionQuestionToken) {
      if (left instanceof Unresolved) return left
      return left === undefined || left === null ? this.evaluate(node.right, file, env) : left
    }
    const right = this.evaluate(node.right, file, env)
    const compared = compareObjects(operator, left, right)
    if (compared !== undefined) return compared
    if (operator === SyntaxKind.InKeyword) return this.evaluateIn(left, right, new NodePlace(this, file, node))
    if (!isPrimitive(left)) return unresolvedFrom(left, 'operator on a non-constant', this.at(file, node))
    if (!isPrimitive(right)) return unresolvedFrom(right, 'operator on a non-constant', this.at(file, node))
    const result = applyBinaryOperator(operator, left, right)
    if (typeof result === 'string' && result.length > MAX_STRING_LENGTH)
      return new Unresolved('string too long to model', this.at(file, node))
    return result === NOT_MODELLED
      ? new Unresolved(`operator ${ts.tokenToString(operator) ?? operator} is not evaluated statically`, this.at(file, node))
      : result
  }

  private evaluateCall(node: ts.CallExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = this.at(file, node)
    const callee = node.expression
    // The receiver is evaluated before the arguments, as JS does (it matters once calls change things).
    let receiver: StaticValue = NO_RECEIVER
    if (ts.isPropertyAccessExpression(callee) && !ts.isPrivateIdentifier(callee.name)) {
      receiver = this.evaluate(callee.expression, file, env)
      if ((receiver === undefined || receiver === null) && callee.questionDotToken) return undefined
    }
    const args = this.evaluateArguments(node.arguments, file, env, at)
    if (args instanceof Unresolved) return args
    if (receiver !== NO_RECEIVER && ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text
      if (!(receiver instanceof ModuleNamespace) && !isPlainObject(receiver)) {
        if (receiver instanceof Unresolved) return this.unknownCall(receiver, at)
        if (receiver instanceof StaticCollection) {
          const result = callCollectionMethod(this.owned, receiver, method, args, at, (fn, fnArgs) => this.callFunction(fn, fnArgs, at))
          return result instanceof Unresolved && !READING_COLLECTION_METHODS.has(method) ? this.unknownCall(result, at) : result
        }
        // A mutating method on an array this evaluation built (`Object.keys(x).sort()`, a local list).
        if (isArrayMutator(method) && Array.isArray(receiver) && (inCall(env) || this.owned.has(receiver))) {
          return callArrayMutator(this.owned, receiver, method, args, at, (fn, fnArgs) => this.callFunction(fn, fnArgs, at))
        }
        const result = callBuiltinMethod(receiver, method, args, at, (fn, fnArgs) => this.callFunction(fn, fnArgs, at))
        if (result instanceof Unresolved) return isPureMethodCall(receiver, method, args) ? result : this.unknownCall(result, at)
        return FRESH_RESULTS.has(method) ? this.owned.own(result) : result
      }
    }
    const fn =
      receiver === NO_RECEIVER
        ? this.evaluate(callee, file, env)
        : this.readMember(receiver, (callee as ts.PropertyAccessExpression).name.text, at)
    if (fn instanceof BuiltinFunction && fn.name === 'Object.assign' && inCall(env))
      return assignInto(this.owned, args[0], args.slice(1), at)
    return this.callFunction(fn, args, at, describeCallee(callee, file))
  }

  private evaluateArguments(
    nodes: ts.NodeArray<ts.Expression> | undefined,
    file: ParsedFile,
    env: Environment | undefined,
    at: SourceLocation
  ): StaticValue[] | Unresolved {
    const args: StaticValue[] = []
    for (const argument of nodes ?? []) {
      if (ts.isSpreadElement(argument)) {
        const evaluated = this.evaluate(argument.expression, file, env)
        const spread = evaluated instanceof StaticCollection ? collectionItems(evaluated, this.owned) : evaluated
        if (!Array.isArray(spread)) return unresolvedFrom(spread, 'spread argument is not a known array', at)
        args.push(...spread)
      } else {
        args.push(this.evaluate(argument, file, env))
      }
    }
    return args
  }

  /** A call the evaluator cannot follow. */
  private unknownCall(result: Unresolved, at: SourceLocation): Unresolved {
    // Inside a helper, a call that is not followed (I/O, a library, an unknown value) may have any
    // effect: the helper's result is unknown. In a module-level expression only its own value is.
    if (this.callDepth > 0) throw new EvaluationAbort(result, false)
    void at
    return result
  }

  /** Calls a helper written in the integration, or a modelled built-in, with constant arguments. */
  callFunction(fn: StaticValue, args: StaticValue[], at: SourceLocation, name?: string): StaticValue {
    if (fn instanceof BuiltinFunction) return this.callBuiltin(fn, args, at)
    if (fn instanceof Unresolved) return this.unknownCall(fn, at)
    if (!(fn instanceof FunctionValue)) return this.unknownCall(new Unresolved(`${name ?? 'callee'} is not a known function`, at), at)
    const label = name ?? fn.name ?? 'an anonymous function'
    const node = fn.node
    const file = this.program.getFile(fn.path)
    if (!file) return new Unresolved(`call to ${label}: its file could not be read`, at)
    if (node.asteriskToken || hasModifier(node, SyntaxKind.AsyncKeyword)) {
      return this.unknownCall(new Unresolved(`call to ${label}: async or generator functions are not evaluated`, at), at)
    }
    const body = node.body
    if (!body) return new Unresolved(`call to ${label}: function has no body`, at)
    // A call that can reach objects of its caller (through arguments or its closure) shares its caller's fate when it aborts.
    const sharesState =
      fn.closure instanceof Environment ||
      args.some((value) => this.owned.has(value) || (value instanceof FunctionValue && value.closure !== undefined))
    if (this.callDepth >= MAX_CALL_DEPTH) {
      const tooDeep = new Unresolved(`call to ${label}: helpers nested (or recursing) more than ${MAX_CALL_DEPTH} deep`, at)
      if (sharesState) throw new EvaluationAbort(tooDeep)
      return tooDeep
    }
    const outermost = this.callDepth === 0
    const savedBudget = outermost ? this.budget.startEvaluation() : 0
    this.callDepth++
    try {
      this.budget.step(at)
      const env = new Environment(fn.closure instanceof Environment ? fn.closure : undefined, true)
      for (let index = 0; index < node.parameters.length; index++) {
        const parameter = node.parameters[index]
        let value: StaticValue = parameter.dotDotDotToken ? this.owned.own(args.slice(index)) : args[index]
        if (value === undefined && parameter.initializer) value = this.evaluate(parameter.initializer, file, env)
        const bound = this.bindPattern(parameter.name, value, file, env, true)
        if (bound) return new Unresolved(`call to ${label}: ${bound.reason}`, at)
      }
      if (!ts.isBlock(body)) return this.evaluate(body, file, env)
      return this.interpreter.runFunctionBody(body, file, env)
    } catch (error) {
      // A throw the interpreter followed unwinds to the nearest try of a calling helper.
      if (!(error instanceof EvaluationAbort) || (sharesState && !outermost) || (error instanceof ThrownValue && !outermost)) throw error
      const { reason, location } = error.unresolved
      const labelled = reason.startsWith('call to ') ? reason : `call to ${label}: ${reason}`
      // An unknown value met inside keeps the place it was written; an abort about the call is reported at the call.
      return new Unresolved(labelled, error.aboutTheCall ? at : (location ?? at))
    } finally {
      this.callDepth--
      if (outermost) this.budget.endEvaluation(savedBudget)
    }
  }

  private callBuiltin(fn: BuiltinFunction, args: StaticValue[], at: SourceLocation): StaticValue {
    const result = fn.call(args, at)
    if (result instanceof Unresolved) return result
    // Built-ins that build a new container: the helper that called them may change it.
    if (DEEP_COPIES.has(fn.name)) return this.owned.ownDeep(result)
    return FRESH_BUILTINS.has(fn.name) && !args.includes(result) ? this.owned.own(result) : result
  }

  private evaluateAssignment(node: ts.BinaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = new NodePlace(this, file, node)
    if (!env || !inCall(env)) return new Unresolved('assignment outside a helper is not evaluated statically', at.locate())
    const operator = node.operatorToken.kind
    const left = skipTypeWrappers(node.left)
    const { target, key } = this.writeTarget(
      left,
      file,
      env,
      at,
      'a write with a key that is not known',
      'destructuring assignment is not evaluated statically'
    )
    let value: StaticValue
    if (operator === SyntaxKind.EqualsToken) {
      value = this.evaluate(node.right, file, env)
    } else if (
      operator === SyntaxKind.BarBarEqualsToken ||
      operator === SyntaxKind.AmpersandAmpersandEqualsToken ||
      operator === SyntaxKind.QuestionQuestionEqualsToken
    ) {
      const now = key === undefined ? this.evaluate(left, file, env) : this.readMember(target, key, at)
      if (now instanceof Unresolved) abort(`a logical assignment to a value that is not known: ${now.reason}`, at)
      const keep =
        operator === SyntaxKind.BarBarEqualsToken
          ? truthiness(now)
          : operator === SyntaxKind.AmpersandAmpersandEqualsToken
            ? !truthiness(now)
            : now !== undefined && now !== null
      if (keep) return now
      value = this.evaluate(node.right, file, env)
    } else {
      const now = key === undefined ? this.evaluate(left, file, env) : this.readMember(target, key, at)
      const right = this.evaluate(node.right, file, env)
      const binary = COMPOUND_OPERATORS.get(operator)
      if (binary === undefined || !isPrimitive(now) || !isPrimitive(right))
        value = unresolvedFrom(isPrimitive(now) ? right : now, 'compound assignment of a value that is not a constant', at.locate())
      else {
        const result = applyBinaryOperator(binary, now, right)
        value = result === NOT_MODELLED ? new Unresolved('compound assignment operator is not evaluated statically', at.locate()) : result
        if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) abort('string too long to model', at)
      }
    }
    this.store(left, target, key, value, env, at)
    return value
  }

  /** What an assignment or increment writes: a local (no key) or a member of an object, by its known key. */
  private writeTarget(
    left: ts.Expression,
    file: ParsedFile,
    env: Environment,
    at: Where,
    unknownKey: string,
    otherForm: string
  ): { target: StaticValue; key: string | undefined } {
    if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) {
      const target = this.evaluate(left.expression, file, env)
      const keyValue = ts.isPropertyAccessExpression(left) ? left.name.text : this.evaluate(left.argumentExpression, file, env)
      if (typeof keyValue !== 'string' && typeof keyValue !== 'number') abort(unknownKey, at)
      return { target, key: String(keyValue) }
    }
    if (!ts.isIdentifier(left)) abort(otherForm, at)
    return { target: NO_RECEIVER, key: undefined }
  }

  /** Writes a value to a local or to a member of an object the helper created. */
  private store(left: ts.Expression, target: StaticValue, key: string | undefined, value: StaticValue, env: Environment, at: Where): void {
    if (key !== undefined) {
      setMember(this.owned, target, key, value, at)
      return
    }
    const name = (left as ts.Identifier).text
    if (!env.assign(name, value, at)) abort(`the helper writes "${name}", which is not one of its locals`, at)
  }

  private evaluateUpdate(node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = new NodePlace(this, file, node)
    if (!env || !inCall(env)) return new Unresolved('increment or decrement outside a helper is not evaluated statically', at.locate())
    const operand = skipTypeWrappers(node.operand)
    const { target, key } = this.writeTarget(
      operand,
      file,
      env,
      at,
      'an increment with a key that is not known',
      'this increment is not evaluated statically'
    )
    const before = key === undefined ? this.evaluate(operand, file, env) : this.readMember(target, key, at)
    if (before instanceof Unresolved) abort(`an increment of a value that is not known: ${before.reason}`, at)
    if (!isPrimitive(before) || typeof before === 'bigint') abort('an increment of a value that is not a number', at)
    const old = Number(before)
    const after = node.operator === SyntaxKind.PlusPlusToken ? old + 1 : old - 1
    this.store(operand, target, key, after, env, at)
    return ts.isPrefixUnaryExpression(node) ? after : old
  }

  private evaluateDelete(node: ts.DeleteExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = new NodePlace(this, file, node)
    const operand = skipTypeWrappers(node.expression)
    if (!env || !inCall(env) || !(ts.isPropertyAccessExpression(operand) || ts.isElementAccessExpression(operand))) {
      return new Unresolved('delete outside a helper is not evaluated statically', at.locate())
    }
    const target = this.evaluate(operand.expression, file, env)
    if ((target === undefined || target === null) && operand.questionDotToken) return true
    const key = ts.isPropertyAccessExpression(operand) ? operand.name.text : this.evaluate(operand.argumentExpression, file, env)
    if (typeof key !== 'string' && typeof key !== 'number') abort('a delete with a key that is not known', at)
    return deleteMember(this.owned, target, String(key), at)
  }

  /** `new Array(...)` is modelled; any other constructor is unknown, and may change what it is given. */
  private evaluateNew(node: ts.NewExpression, file: ParsedFile, env?: Environment): StaticValue {
    const at = this.at(file, node)
    const args = this.evaluateArguments(node.arguments, file, env, at)
    if (args instanceof Unresolved) return args
    const callee = skipTypeWrappers(node.expression)
    const name =
      ts.isIdentifier(callee) && !env?.lookup(callee.text) && this.evaluateTopLevelName(file, callee.text, new Set()) === NOT_DECLARED
        ? callee.text
        : undefined
    if (name === 'Array') {
      const [first] = args
      if (args.length === 1 && typeof first === 'number') {
        if (!Number.isInteger(first) || first < 0 || first > MAX_ARRAY_LENGTH)
          return new Unresolved('new Array() of a length that is not modelled', at)
        return this.owned.own(Array.from({ length: first }, () => undefined))
      }
      return this.owned.own([...args])
    }
    if (name === 'Set' || name === 'Map') return constructCollection(name, args, this.owned, at)
    const what = `new ${name ?? describeCallee(callee, file).replace(/\(\)$/, '')}() is not evaluated statically`
    return this.unknownCall(new Unresolved(what, at), at)
  }

  /** `key in object` on a plain object whose keys are all known. */
  private evaluateIn(key: StaticValue, object: StaticValue, where: NodePlace): StaticValue {
    if (key instanceof Unresolved) return key
    if (object instanceof Unresolved) return object
    if ((typeof key !== 'string' && typeof key !== 'number') || !isPlainObject(object))
      return new Unresolved('the in operator on values that are not a known key and object', where.locate())
    const why = mutationOf(object)
    if (why) return why
    if (Object.prototype.hasOwnProperty.call(object, String(key))) return true
    const partial = partialReason(object)
    if (partial) return new Unresolved(`"${String(key)}" may come from an unresolved spread: ${partial.reason}`, partial.location)
    return String(key) in Object.prototype
  }

  private bindPattern(
    name: ts.BindingName,
    value: StaticValue,
    file: ParsedFile,
    env: Environment,
    mutable = false
  ): Unresolved | undefined {
    if (ts.isIdentifier(name)) {
      env.bind(name.text, value, mutable)
      return undefined
    }
    if (ts.isObjectBindingPattern(name)) {
      const taken: string[] = []
      for (const element of name.elements) {
        if (element.dotDotDotToken) {
          const rest = this.restOf(value, taken)
          if (rest instanceof Unresolved) return rest
          const nested = this.bindPattern(element.name, rest, file, env, mutable)
          if (nested) return nested
          continue
        }
        const keyNode = element.propertyName ?? element.name
        let key: string | undefined =
          ts.isIdentifier(keyNode) || ts.isStringLiteral(keyNode) || ts.isNumericLiteral(keyNode) ? keyNode.text : undefined
        if (key === undefined && ts.isComputedPropertyName(keyNode)) {
          const computed = this.evaluate(keyNode.expression, file, env)
          if (typeof computed === 'string' || typeof computed === 'number') key = String(computed)
        }
        if (key === undefined) return new Unresolved('computed key in a destructuring pattern')
        taken.push(key)
        let member = this.readMember(value, key, this.at(file, element))
        if (member === undefined && element.initializer) member = this.evaluate(element.initializer, file, env)
        const nested = this.bindPattern(element.name, member, file, env, mutable)
        if (nested) return nested
      }
      return undefined
    }
    for (let index = 0; index < name.elements.length; index++) {
      const element = name.elements[index]
      if (ts.isOmittedExpression(element)) continue
      if (element.dotDotDotToken) {
        if (!Array.isArray(value) && typeof value !== 'string')
          return unresolvedFrom(value, 'rest element of a value that is not a known array', this.at(file, element))
        const rest = this.owned.own([...value].slice(index))
        const nested = this.bindPattern(element.name, rest, file, env, mutable)
        if (nested) return nested
        continue
      }
      let member = this.readMember(value, String(index), this.at(file, element))
      if (member === undefined && element.initializer) member = this.evaluate(element.initializer, file, env)
      const nested = this.bindPattern(element.name, member, file, env, mutable)
      if (nested) return nested
    }
    return undefined
  }

  /** `const { a, ...rest } = object`: a new object of the other own keys. */
  private restOf(value: StaticValue, taken: string[]): StaticValue {
    if (value instanceof Unresolved) return value
    if (!isPlainObject(value)) return new Unresolved('rest element of a value that is not a known object')
    const why = mutationOf(value) ?? partialReason(value)
    if (why) return why
    const rest: StaticObject = {}
    for (const key of Object.keys(value)) if (!taken.includes(key)) defineProperty(rest, key, value[key])
    return this.owned.own(rest)
  }

  /** This evaluator's copy of a shared built-in object or array (functions and primitives are shared as they are). */
  private ownCopy(value: StaticValue): StaticValue {
    if (!isPlainObject(value) && !Array.isArray(value)) return value
    const known = this.builtinCopies.get(value)
    if (known !== undefined) return known
    const copy: StaticValue = Array.isArray(value) ? [] : Object.getPrototypeOf(value) === null ? (Object.create(null) as StaticObject) : {}
    this.builtinCopies.set(value, copy)
    // What the original knows it does not know (lodash's other members) stays unknown on the copy.
    const partial = partialReason(value)
    if (partial) markPartial(copy, partial)
    if (Array.isArray(value) && Array.isArray(copy)) for (const element of value) copy.push(this.ownCopy(element))
    else if (isPlainObject(value) && isPlainObject(copy))
      for (const [key, element] of Object.entries(value)) defineProperty(copy, key, this.ownCopy(element))
    return copy
  }

  private evaluateIdentifier(node: ts.Identifier, file: ParsedFile, env?: Environment): StaticValue {
    const name = node.text
    const local = env?.lookup(name)
    if (local) return local.value
    const declared = this.evaluateTopLevelName(file, name, new Set())
    if (declared !== NOT_DECLARED) {
      if (this.moduleReads && typeof declared === 'object' && declared !== null && !(declared instanceof Unresolved))
        this.moduleReads.push(declared)
      return declared
    }
    const global = globalValue(name)
    if (global instanceof Unresolved) return new Unresolved(global.reason, this.at(file, node))
    if (global !== NOT_A_GLOBAL) return this.ownCopy(global)
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
        return this.memoized(statement, () => this.evaluateClass(statement, file))
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
    if (!(list.flags & ts.NodeFlags.Const))
      return new Unresolved(`"${name}" is declared with let/var and may change`, this.at(file, declaration))
    if (!declaration.initializer) return new Unresolved(`"${name}" has no initializer`, this.at(file, declaration))
    const initializer = declaration.initializer
    const whole = this.memoized(declaration, () => this.evaluate(initializer, file))
    if (ts.isIdentifier(declaration.name)) return whole
    const env = new Environment()
    const failed = this.bindPattern(declaration.name, whole, file, env)
    return failed ? new Unresolved(failed.reason, this.at(file, declaration)) : env.lookup(name)?.value
  }

  private evaluateImport(
    statement: ts.ImportDeclaration,
    name: string,
    file: ParsedFile,
    seen: Set<string>
  ): StaticValue | typeof NOT_DECLARED {
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
        return this.evaluateJsonModule(resolution.path, namespace ? undefined : exportName, this.at(file, statement))
      case 'external':
        return this.ownCopy(externalModuleExport(specifier, namespace ? '*' : (exportName as string), this.at(file, statement)))
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
      if (hasModifier(statement, SyntaxKind.ExportKeyword)) {
        const isDefault = hasModifier(statement, SyntaxKind.DefaultKeyword)
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
          return this.memoized(statement, () => this.evaluateClass(statement, file))
        }
      }
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        const specifier =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined
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
          if (resolution.kind === 'external') return this.ownCopy(externalModuleExport(specifier, localName, this.at(file, element)))
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

  /**
   * A class as the static members it declares: its static methods (helpers like any other) and
   * static properties, initialised in order as the class definition does. Its other keys (the
   * prototype, name, length, inherited members) stay unknown. A base class, a decorator or a
   * static block runs code this does not follow: the class is unknown.
   */
  private evaluateClass(node: ts.ClassDeclaration, file: ParsedFile): StaticValue {
    const label = `class ${node.name?.text ?? 'default'}`
    if (node.heritageClauses?.some((clause) => clause.token === SyntaxKind.ExtendsKeyword))
      return new Unresolved(`${label} extends another class: not evaluated statically`, this.at(file, node))
    if (ts.getDecorators(node)?.length || node.members.some((member) => ts.canHaveDecorators(member) && ts.getDecorators(member)?.length)) {
      return new Unresolved(`${label} has decorators: not evaluated statically`, this.at(file, node))
    }
    const statics: StaticObject = {}
    for (const member of node.members) {
      if (ts.isClassStaticBlockDeclaration(member))
        return new Unresolved(`${label} has a static block: not evaluated statically`, this.at(file, member))
      if (!hasModifier(member, SyntaxKind.StaticKeyword)) continue
      const key = member.name && propertyNameText(member.name)
      if (key === undefined) return new Unresolved(`${label} has a static member with a computed name`, this.at(file, member))
      // Methods are not enumerable, as in JS: a spread or Object.keys of the class skips them.
      if (ts.isMethodDeclaration(member) && member.body) {
        Object.defineProperty(statics, key, {
          value: new FunctionValue(member, file.path, `${node.name?.text ?? 'default'}.${key}`),
          enumerable: false,
          writable: true,
          configurable: true
        })
      } else if (ts.isPropertyDeclaration(member))
        defineProperty(statics, key, member.initializer ? this.evaluate(member.initializer, file) : undefined)
      else
        defineProperty(statics, key, new Unresolved(`${label}: the accessor "${key}" is not evaluated statically`, this.at(file, member)))
    }
    markPartial(statics, new Unresolved(`${label}: only its static members are modelled`, this.at(file, node)))
    CLASS_VALUES.add(statics)
    return statics
  }

  private memoized(node: ts.Node, compute: () => StaticValue): StaticValue {
    if (this.declarationValues.has(node)) return this.declarationValues.get(node)
    if (this.inProgress.has(node)) {
      const sourceFile = node.getSourceFile()
      return new Unresolved('circular reference: the value depends on itself', this.program.locate(sourceFile, node))
    }
    this.inProgress.add(node)
    // A declaration is evaluated once, apart from whatever helper call asked for it: objects that
    // helper created are not this declaration's, and this declaration's are no helper's to change.
    // What a declaration met while it was computed is its own; the caller counts only the value it gets.
    const callerUnknowns = this.unknownsMet
    const callerOwned = this.owned
    const callerDepth = this.callDepth
    this.owned = new OwnedObjects()
    this.callDepth = 0
    try {
      let value: StaticValue
      try {
        value = compute()
      } catch (error) {
        if (!(error instanceof EvaluationAbort)) throw error
        value = error.unresolved
      }
      this.declarationValues.set(node, value)
      return value
    } finally {
      this.unknownsMet = callerUnknowns
      this.inProgress.delete(node)
      this.owned = callerOwned
      this.callDepth = callerDepth
    }
  }
}

/** A node's location, computed only when asked for. */
class NodePlace {
  constructor(
    private readonly evaluator: StaticEvaluator,
    private readonly file: ParsedFile,
    private readonly node: ts.Node
  ) {}

  locate(): SourceLocation {
    return this.evaluator.at(this.file, this.node)
  }
}

const NOT_DECLARED = Symbol('not declared')
const NOT_MODELLED = Symbol('not modelled')
/** Marks a call whose callee is not a member access. */
const NO_RECEIVER = new Unresolved('no receiver')

/** Methods of arrays and strings whose result is a new container. */
const FRESH_RESULTS = new Set(['map', 'filter', 'flatMap', 'concat', 'slice', 'flat', 'split'])
/** Built-in functions whose result is a new container. */
/** Built-ins whose result is a deep copy: every container inside it is new too. */
const DEEP_COPIES = new Set(['JSON.parse', 'structuredClone', 'cloneDeep'])
const FRESH_BUILTINS = new Set([
  'Array.from',
  'Array.of',
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Object.fromEntries',
  'Object.assign',
  'JSON.parse',
  'structuredClone',
  'pick',
  'omit',
  'defaultValues',
  'uniq',
  'compact',
  'flatten',
  'cloneDeep'
])

const COMPOUND_OPERATORS = new Map<ts.SyntaxKind, ts.SyntaxKind>([
  [SyntaxKind.PlusEqualsToken, SyntaxKind.PlusToken],
  [SyntaxKind.MinusEqualsToken, SyntaxKind.MinusToken],
  [SyntaxKind.AsteriskEqualsToken, SyntaxKind.AsteriskToken],
  [SyntaxKind.SlashEqualsToken, SyntaxKind.SlashToken],
  [SyntaxKind.PercentEqualsToken, SyntaxKind.PercentToken],
  [SyntaxKind.AsteriskAsteriskEqualsToken, SyntaxKind.AsteriskAsteriskToken],
  [SyntaxKind.BarEqualsToken, SyntaxKind.BarToken],
  [SyntaxKind.AmpersandEqualsToken, SyntaxKind.AmpersandToken],
  [SyntaxKind.CaretEqualsToken, SyntaxKind.CaretToken],
  [SyntaxKind.LessThanLessThanEqualsToken, SyntaxKind.LessThanLessThanToken],
  [SyntaxKind.GreaterThanGreaterThanEqualsToken, SyntaxKind.GreaterThanGreaterThanToken]
])

/** Methods of a Set or Map that only read it: an unknown result is their value, not an unknown effect. */
const READING_COLLECTION_METHODS = new Set(['has', 'get', 'keys', 'values', 'entries'])
const CALLBACK_METHODS = new Set(['map', 'filter', 'flatMap', 'forEach', 'find', 'findIndex', 'some', 'every', 'reduce'])
const READING_METHODS = new Set(['concat', 'slice', 'join', 'includes', 'indexOf', 'flat', 'at', 'toString'])

/** A method call that cannot change its receiver or arguments, even when its result is unknown. */
function isPureMethodCall(receiver: StaticValue, method: string, args: StaticValue[]): boolean {
  if (typeof receiver === 'string' || typeof receiver === 'number' || typeof receiver === 'boolean') return true
  if (!Array.isArray(receiver)) return false
  if (READING_METHODS.has(method)) return true
  return CALLBACK_METHODS.has(method) && (args[0] instanceof FunctionValue || args[0] instanceof BuiltinFunction)
}

/** Whether an environment belongs to a helper call (where locals may be written), not to module-level code. */
function inCall(env: Environment | undefined): env is Environment {
  return env !== undefined && env.functionScope().isCall
}

const TYPE_WRAPPERS = new Set([
  SyntaxKind.ParenthesizedExpression,
  SyntaxKind.AsExpression,
  SyntaxKind.NonNullExpression,
  SyntaxKind.SatisfiesExpression,
  SyntaxKind.TypeAssertionExpression
])

function skipTypeWrappers(expression: ts.Expression): ts.Expression {
  let current = expression
  while (TYPE_WRAPPERS.has(current.kind)) current = (current as ts.ParenthesizedExpression).expression
  return current
}

/** `===` and `!==` where an operand is an object or array: identity, as in JS. Undefined when not applicable. */
function compareObjects(operator: ts.SyntaxKind, left: StaticValue, right: StaticValue): boolean | undefined {
  if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.ExclamationEqualsEqualsToken) return undefined
  const isData = (value: StaticValue) => isPlainObject(value) || Array.isArray(value)
  if (!(isData(left) || isData(right))) return undefined
  if (!(isData(left) || isPrimitive(left)) || !(isData(right) || isPrimitive(right))) return undefined
  const same = left === right
  return operator === SyntaxKind.EqualsEqualsEqualsToken ? same : !same
}

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
function truthiness(value: StaticValue): boolean | undefined {
  if (value instanceof Unresolved) return undefined
  if (isPrimitive(value)) return Boolean(value)
  return true
}

/** The objects that stand for classes (their static members): `typeof` says "function". */
const CLASS_VALUES = new WeakSet<object>()

function typeOf(value: StaticValue): string | undefined {
  if (typeof value === 'object' && value !== null && CLASS_VALUES.has(value)) return 'function'
  if (value instanceof Unresolved || value instanceof ModuleNamespace || value instanceof StaticCollection)
    return value instanceof Unresolved ? undefined : 'object'
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
  return name
    .replace(/Expression$/, ' expression')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
}

function applyBinaryOperator(
  operator: ts.SyntaxKind,
  left: StaticPrimitiveValue,
  right: StaticPrimitiveValue
): StaticValue | typeof NOT_MODELLED {
  // Only plain values reach here, so the host's own operators give exactly JS semantics.
  const l = left as never
  const r = right as never
  try {
    switch (operator) {
      case SyntaxKind.PlusToken:
        // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- JS's own `+` on the reviewed code's values is the point
        return l + r
      case SyntaxKind.MinusToken:
        return l - r
      case SyntaxKind.AsteriskToken:
        return l * r
      case SyntaxKind.SlashToken:
        return l / r
      case SyntaxKind.PercentToken:
        return l % r
      case SyntaxKind.AsteriskAsteriskToken:
        return l ** r
      case SyntaxKind.EqualsEqualsEqualsToken:
        return left === right
      case SyntaxKind.ExclamationEqualsEqualsToken:
        return left !== right
      case SyntaxKind.EqualsEqualsToken:
        return left == right
      case SyntaxKind.ExclamationEqualsToken:
        return left != right
      case SyntaxKind.LessThanToken:
        return l < r
      case SyntaxKind.LessThanEqualsToken:
        return l <= r
      case SyntaxKind.GreaterThanToken:
        return l > r
      case SyntaxKind.GreaterThanEqualsToken:
        return l >= r
      case SyntaxKind.BarToken:
        return l | r
      case SyntaxKind.AmpersandToken:
        return l & r
      case SyntaxKind.CaretToken:
        return l ^ r
      case SyntaxKind.LessThanLessThanToken:
        return l << r
      case SyntaxKind.GreaterThanGreaterThanToken:
        return l >> r
      default:
        return NOT_MODELLED
    }
  } catch {
    return NOT_MODELLED
  }
}

type StaticPrimitiveValue = string | number | boolean | null | undefined | bigint

/** The text of a member name written as an identifier, a string or a number; undefined when computed or private. */
function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text
  return undefined
}
