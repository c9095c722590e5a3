// Runs the statements of a helper's body over the syntax tree: blocks, let/const/var, if/else,
// switch, loops (for, for…of, for…in, while, do…while) with break/continue and labels, and
// early returns, throw and try/catch/finally. Expressions are left to the evaluator. Anything
// else (a branch on an unknown value, a try block that met an unknown value) aborts the call with
// the reason: the result is unknown, never guessed.
import { ts } from './typescript.js'
import { collectionItems } from './static-collections.js'
import { Environment, ThrownValue, UNMODELLED_ERROR, abort } from './static-environment.js'
import type { ParsedFile } from './source-program.js'
import {
  FunctionValue,
  StaticCollection,
  Unresolved,
  isPlainObject,
  mutationOf,
  partialReason,
  type SourceLocation,
  type StaticValue
} from './static-values.js'

/** `ts.SyntaxKind` is a getter on the compiler's namespace: read once, not in every switch case. */
const SyntaxKind = ts.SyntaxKind

/** What the interpreter needs from the evaluator. */
export interface InterpreterHost {
  evaluate(node: ts.Expression, file: ParsedFile, env: Environment): StaticValue
  /** Binds a declaration's name (or pattern); returns why it could not. */
  bindPattern(name: ts.BindingName, value: StaticValue, file: ParsedFile, env: Environment, mutable: boolean): Unresolved | undefined
  at(file: ParsedFile, node: ts.Node): SourceLocation
  /**
   * How many expressions have evaluated to an unknown value so far. A `try` block is followed
   * exactly only if none of its expressions did: an unknown may stand for an operation that throws.
   */
  unknownsMet(): number
  /** Counts one step of the budget; aborts past it. */
  step(file: ParsedFile, node: ts.Node): void
}

type Completion =
  { kind: 'normal' } | { kind: 'return'; value: StaticValue } | { kind: 'break'; label?: string } | { kind: 'continue'; label?: string }

const NORMAL: Completion = { kind: 'normal' }

/** Bounds the interpreter's own recursion on hostile nesting (blocks in blocks in blocks…). */
const MAX_STATEMENT_NESTING = 200

export class StatementInterpreter {
  private nesting = 0

  constructor(private readonly host: InterpreterHost) {}

  /** Runs a function body; its value is what it returns (undefined when it falls off the end). */
  runFunctionBody(body: ts.Block, file: ParsedFile, env: Environment): StaticValue {
    hoistVars(body, env)
    const completion = this.runStatements(body.statements, file, env)
    if (completion.kind === 'return') return completion.value
    if (completion.kind !== 'normal') abort(`${completion.kind} outside a loop`, this.host.at(file, body))
    return undefined
  }

  /** Runs top-level statements of a module (they cannot return, break or continue out of it). */
  runModuleStatements(statements: readonly ts.Statement[], file: ParsedFile, env: Environment): void {
    for (const statement of statements) {
      const completion = this.runStatement(statement, file, env, [])
      if (completion.kind !== 'normal') abort(`${completion.kind} at the top level of a module`, this.host.at(file, statement))
    }
  }

  private runStatements(statements: ts.NodeArray<ts.Statement>, file: ParsedFile, env: Environment): Completion {
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        env.bind(statement.name.text, new FunctionValue(statement, file.path, statement.name.text, env), true)
      }
    }
    for (const statement of statements) {
      const completion = this.runStatement(statement, file, env, [])
      if (completion.kind !== 'normal') return completion
    }
    return NORMAL
  }

  private runStatement(statement: ts.Statement, file: ParsedFile, env: Environment, labels: string[]): Completion {
    this.host.step(file, statement)
    if (this.nesting >= MAX_STATEMENT_NESTING)
      abort(`statements nested deeper than ${MAX_STATEMENT_NESTING} levels`, this.host.at(file, statement))
    this.nesting++
    try {
      return this.runStatementOfKind(statement, file, env, labels)
    } finally {
      this.nesting--
    }
  }

  private runStatementOfKind(statement: ts.Statement, file: ParsedFile, env: Environment, labels: string[]): Completion {
    switch (statement.kind) {
      case SyntaxKind.Block:
        return this.runStatements((statement as ts.Block).statements, file, new Environment(env))
      case SyntaxKind.VariableStatement:
        this.declare((statement as ts.VariableStatement).declarationList, file, env)
        return NORMAL
      case SyntaxKind.ExpressionStatement:
        this.host.evaluate((statement as ts.ExpressionStatement).expression, file, env)
        return NORMAL
      case SyntaxKind.IfStatement: {
        const node = statement as ts.IfStatement
        if (this.condition(node.expression, file, env)) return this.runStatement(node.thenStatement, file, env, [])
        return node.elseStatement ? this.runStatement(node.elseStatement, file, env, []) : NORMAL
      }
      case SyntaxKind.ReturnStatement: {
        const expression = (statement as ts.ReturnStatement).expression
        return { kind: 'return', value: expression ? this.host.evaluate(expression, file, env) : undefined }
      }
      case SyntaxKind.BreakStatement:
        return { kind: 'break', label: (statement as ts.BreakStatement).label?.text }
      case SyntaxKind.ContinueStatement:
        return { kind: 'continue', label: (statement as ts.ContinueStatement).label?.text }
      case SyntaxKind.LabeledStatement: {
        const node = statement as ts.LabeledStatement
        const completion = this.runStatement(node.statement, file, env, [...labels, node.label.text])
        return completion.kind === 'break' && completion.label === node.label.text ? NORMAL : completion
      }
      case SyntaxKind.ForStatement:
        return this.runFor(statement as ts.ForStatement, file, env, labels)
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.ForInStatement:
        return this.runForEach(statement as ts.ForOfStatement | ts.ForInStatement, file, env, labels)
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement:
        return this.runWhile(statement as ts.WhileStatement | ts.DoStatement, file, env, labels)
      case SyntaxKind.SwitchStatement:
        return this.runSwitch(statement as ts.SwitchStatement, file, env)
      case SyntaxKind.EmptyStatement:
      case SyntaxKind.FunctionDeclaration:
      case SyntaxKind.TypeAliasDeclaration:
      case SyntaxKind.InterfaceDeclaration:
        return NORMAL
      case SyntaxKind.ThrowStatement:
        return this.runThrow(statement as ts.ThrowStatement, file, env)
      case SyntaxKind.TryStatement:
        return this.runTry(statement as ts.TryStatement, file, env)
      default:
        return abort(`${describe(statement.kind)} in a helper is not evaluated statically`, this.host.at(file, statement))
    }
  }

  private runThrow(node: ts.ThrowStatement, file: ParsedFile, env: Environment): never {
    const thrown = skipParentheses(node.expression)
    let value: StaticValue | typeof UNMODELLED_ERROR
    if (
      ts.isNewExpression(thrown) &&
      ts.isIdentifier(thrown.expression) &&
      ERROR_CONSTRUCTORS.has(thrown.expression.text) &&
      !env.lookup(thrown.expression.text)
    ) {
      // The message is evaluated for what it may do; the Error object itself is not modelled.
      for (const argument of thrown.arguments ?? []) this.host.evaluate(argument, file, env)
      value = UNMODELLED_ERROR
    } else {
      value = this.host.evaluate(thrown, file, env)
    }
    throw new ThrownValue(value, this.host.unknownsMet(), this.host.at(file, node))
  }

  /**
   * try/catch/finally. The catch runs only for a throw the interpreter followed; an abort (an
   * unknown call, a value past the budget) goes through untouched, as does any block that met an
   * unknown value, which may stand for an operation that throws.
   */
  private runTry(node: ts.TryStatement, file: ParsedFile, env: Environment): Completion {
    const unknownsBefore = this.host.unknownsMet()
    let completion: Completion = NORMAL
    let pending: ThrownValue | undefined
    try {
      completion = this.runStatement(node.tryBlock, file, env, [])
      if (this.host.unknownsMet() !== unknownsBefore)
        abort('the try block met a value that is not known, which may throw', this.host.at(file, node.tryBlock))
    } catch (error) {
      if (!(error instanceof ThrownValue)) throw error
      if (!node.catchClause) pending = error
      else {
        if (error.unknownsBefore !== unknownsBefore)
          abort('the try block met a value that is not known before it threw', this.host.at(file, node.tryBlock))
        try {
          completion = this.runCatch(node.catchClause, error, file, env)
        } catch (fromCatch) {
          if (!(fromCatch instanceof ThrownValue)) throw fromCatch
          pending = fromCatch
        }
      }
    }
    if (node.finallyBlock) {
      // A finally that completes abruptly (return, break) replaces what the try did.
      const after = this.runStatement(node.finallyBlock, file, env, [])
      if (after.kind !== 'normal') return after
    }
    if (pending) throw pending
    return completion
  }

  private runCatch(clause: ts.CatchClause, error: ThrownValue, file: ParsedFile, env: Environment): Completion {
    const catchEnv = new Environment(env)
    const binding = clause.variableDeclaration
    if (binding) {
      const value =
        error.value === UNMODELLED_ERROR
          ? new Unresolved('the Error object thrown here is not modelled', error.unresolved.location)
          : error.value
      const failed = this.host.bindPattern(binding.name, value, file, catchEnv, true)
      if (failed) abort(failed.reason, this.host.at(file, binding))
    }
    return this.runStatement(clause.block, file, catchEnv, [])
  }

  private declare(list: ts.VariableDeclarationList, file: ParsedFile, env: Environment): void {
    const mutable = (list.flags & ts.NodeFlags.Const) === 0
    const isVar = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0
    const scope = isVar ? env.functionScope() : env
    for (const declaration of list.declarations) {
      // `var x` without an initializer keeps the hoisted value.
      if (isVar && !declaration.initializer && ts.isIdentifier(declaration.name)) continue
      const value = declaration.initializer ? this.host.evaluate(declaration.initializer, file, env) : undefined
      const failed = this.host.bindPattern(declaration.name, value, file, scope, mutable)
      if (failed) abort(failed.reason, this.host.at(file, declaration))
    }
  }

  private condition(expression: ts.Expression, file: ParsedFile, env: Environment): boolean {
    const value = this.host.evaluate(expression, file, env)
    if (value instanceof Unresolved)
      abort(`the branch depends on a value that is not known: ${value.reason}`, value.location ?? this.host.at(file, expression))
    return value !== null && typeof value === 'object' ? true : Boolean(value)
  }

  /** What a loop does after one turn of its body: stop with a completion, or go on. */
  private afterTurn(completion: Completion, labels: string[]): Completion | 'next' | 'stop' {
    if (completion.kind === 'break' && (completion.label === undefined || labels.includes(completion.label))) return 'stop'
    if (completion.kind === 'continue' && (completion.label === undefined || labels.includes(completion.label))) return 'next'
    return completion.kind === 'normal' ? 'next' : completion
  }

  private runFor(node: ts.ForStatement, file: ParsedFile, env: Environment, labels: string[]): Completion {
    let loopEnv = new Environment(env)
    const perTurn: string[] = []
    if (node.initializer && ts.isVariableDeclarationList(node.initializer)) {
      this.declare(node.initializer, file, loopEnv)
      // `let` bindings are copied for every turn, so closures made in the body keep their turn's value
      // (only needed when the loop makes closures).
      if (node.initializer.flags & ts.NodeFlags.Let && makesClosures(node))
        for (const declaration of node.initializer.declarations) perTurn.push(...boundNames(declaration.name))
    } else if (node.initializer) {
      this.host.evaluate(node.initializer, file, loopEnv)
    }
    for (;;) {
      this.host.step(file, node)
      if (node.condition && !this.condition(node.condition, file, loopEnv)) return NORMAL
      const outcome = this.afterTurn(this.runStatement(node.statement, file, loopEnv, []), labels)
      if (outcome === 'stop') return NORMAL
      if (outcome !== 'next') return outcome
      if (perTurn.length > 0) loopEnv = copyBindings(loopEnv, env, perTurn)
      if (node.incrementor) this.host.evaluate(node.incrementor, file, loopEnv)
    }
  }

  private runForEach(node: ts.ForOfStatement | ts.ForInStatement, file: ParsedFile, env: Environment, labels: string[]): Completion {
    if (ts.isForOfStatement(node) && node.awaitModifier) abort('for await is not evaluated statically', this.host.at(file, node))
    const iterated = this.host.evaluate(node.expression, file, env)
    const items = ts.isForOfStatement(node) ? iterationItems(iterated) : enumerableKeys(iterated)
    if (items instanceof Unresolved) abort(items.reason, items.location ?? this.host.at(file, node.expression))
    const declarations = ts.isVariableDeclarationList(node.initializer) ? node.initializer : undefined
    const mutable = declarations ? (declarations.flags & ts.NodeFlags.Const) === 0 : true
    // Iterating an array sees elements pushed during the loop, as JS does.
    for (let index = 0; index < items.length; index++) {
      this.host.step(file, node)
      const turnEnv = new Environment(env)
      const item = items[index]
      if (declarations && declarations.declarations.length === 1) {
        const failed = this.host.bindPattern(declarations.declarations[0].name, item, file, turnEnv, mutable)
        if (failed) abort(failed.reason, this.host.at(file, node.initializer))
      } else if (ts.isIdentifier(node.initializer)) {
        if (!turnEnv.assign(node.initializer.text, item, this.host.at(file, node.initializer)))
          abort(`the loop writes "${node.initializer.text}", which is not a local of the call`, this.host.at(file, node.initializer))
      } else {
        abort('this loop variable is not evaluated statically', this.host.at(file, node.initializer))
      }
      const outcome = this.afterTurn(this.runStatement(node.statement, file, turnEnv, []), labels)
      if (outcome === 'stop') return NORMAL
      if (outcome !== 'next') return outcome
    }
    return NORMAL
  }

  private runWhile(node: ts.WhileStatement | ts.DoStatement, file: ParsedFile, env: Environment, labels: string[]): Completion {
    let first = ts.isDoStatement(node)
    for (;;) {
      this.host.step(file, node)
      if (!first && !this.condition(node.expression, file, env)) return NORMAL
      first = false
      const outcome = this.afterTurn(this.runStatement(node.statement, file, env, []), labels)
      if (outcome === 'stop') return NORMAL
      if (outcome !== 'next') return outcome
    }
  }

  private runSwitch(node: ts.SwitchStatement, file: ParsedFile, env: Environment): Completion {
    const discriminant = this.host.evaluate(node.expression, file, env)
    if (discriminant instanceof Unresolved)
      abort(`the switch depends on a value that is not known: ${discriminant.reason}`, this.host.at(file, node.expression))
    const clauses = node.caseBlock.clauses
    let start = -1
    for (let index = 0; index < clauses.length && start < 0; index++) {
      const clause = clauses[index]
      if (!ts.isCaseClause(clause)) continue
      const value = this.host.evaluate(clause.expression, file, env)
      if (value instanceof Unresolved) abort(`a case of the switch is not known: ${value.reason}`, this.host.at(file, clause.expression))
      if (value === discriminant) start = index
    }
    if (start < 0) start = clauses.findIndex((clause) => ts.isDefaultClause(clause))
    if (start < 0) return NORMAL
    const blockEnv = new Environment(env)
    for (let index = start; index < clauses.length; index++) {
      const completion = this.runStatements(clauses[index].statements, file, blockEnv)
      if (completion.kind === 'break' && completion.label === undefined) return NORMAL
      if (completion.kind !== 'normal') return completion
    }
    return NORMAL
  }
}

/** The values a for…of visits: array elements or the characters of a string. */
function iterationItems(value: StaticValue): StaticValue[] | Unresolved {
  if (value instanceof Unresolved) return value
  const mutated = mutationOf(value)
  if (mutated) return mutated
  if (Array.isArray(value)) return value
  if (typeof value === 'string') return [...value]
  if (value instanceof StaticCollection) return collectionItems(value)
  return new Unresolved('for…of over a value that is not a known array or string')
}

/** The keys a for…in visits on a plain object or an array. */
function enumerableKeys(value: StaticValue): StaticValue[] | Unresolved {
  if (value instanceof Unresolved) return value
  const why = mutationOf(value) ?? (isPlainObject(value) ? partialReason(value) : undefined)
  if (why) return why
  if (isPlainObject(value) || Array.isArray(value)) return Object.keys(value)
  if (value === undefined || value === null) return []
  return new Unresolved('for…in over a value that is not a known object')
}

const ERROR_CONSTRUCTORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError'])

function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression
  return node
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text]
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : boundNames(element.name)))
}

const closureMakers = new WeakMap<ts.Node, boolean>()

function makesClosures(loop: ts.ForStatement): boolean {
  let known = closureMakers.get(loop)
  if (known === undefined) {
    const visit = (node: ts.Node): boolean => ts.isFunctionLike(node) || (ts.forEachChild(node, visit) ?? false)
    known = ts.forEachChild(loop, visit) ?? false
    closureMakers.set(loop, known)
  }
  return known
}

function copyBindings(from: Environment, parent: Environment, names: string[]): Environment {
  const next = new Environment(parent)
  for (const name of names) next.bind(name, from.lookup(name)?.value, true)
  return next
}

/** `var` names are bound, undefined, for the whole function before it runs (nested functions aside). */
function hoistVars(body: ts.Block, env: Environment): void {
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return
    if (ts.isVariableDeclarationList(node) && (node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0) {
      for (const declaration of node.declarations) for (const name of boundNames(declaration.name)) env.bind(name, undefined, true)
    }
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(body, visit)
}

function describe(kind: ts.SyntaxKind): string {
  return (ts.SyntaxKind[kind] ?? 'statement').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}
