// Module top-level code that fills an object declared just above it, as real destinations build
// field sets and lookup tables:
//   export const traitFields: Record<string, InputField> = {}
//   for (const trait of STANDARD_TRAITS) traitFields[trait] = { label: trait, type: 'string' }
// Such statements run once, in order, while the module loads: they are run here over the syntax
// tree, so the object is known exactly instead of being marked changed. Only when nothing else
// can see the object half filled: no other top-level statement mentions it before the last
// filling statement, and the object is a fresh literal (or new Map/Set) of its own declaration.
import { ts } from './typescript.js'
import { mutationTarget } from './load-time-code.js'
import { memberPath, resolveLocal, skipWrappers } from './local-bindings.js'
import type { ParsedFile } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { StaticCollection, Unresolved, isPlainObject, markMutated, mutationOf, type StaticValue } from './static-values.js'

/** Filling statements of one module-level object, and the object they filled. */
export interface ModuleInitialiser {
  name: string
  statements: Set<ts.Statement>
  value: StaticValue
  /** Module-level values the statements read: if load-time code changes one, the result may be stale. */
  reads: object[]
  at: ts.Statement
}

/** Runs the filling statements of `file`; returns the objects filled exactly, so that their writes are not marked. */
export function runModuleInitialisers(file: ParsedFile, evaluator: StaticEvaluator): ModuleInitialiser[] {
  const statements = file.sourceFile.statements
  // Names written by top-level statements: most modules have none, and then nothing more is done.
  const written = new Set<string>()
  for (const statement of statements) if (isFillingKind(statement)) for (const name of writtenNames(statement)) written.add(name)
  const done: ModuleInitialiser[] = []
  if (written.size === 0) return done
  for (let index = 0; index < statements.length; index++) {
    const declared = freshConstant(statements[index])
    if (!declared || !written.has(declared.name)) continue
    const filling = fillingStatements(statements, index, declared.name)
    if (filling.length === 0) continue
    const value = evaluator.evaluate(declared.identifier, file)
    if (!isContainer(value) || mutationOf(value)) continue
    // When the run stops part way, every write it made was to this object (nested objects it did
    // not create abort first), and the load-time walk marks each one: the object is never reported half filled.
    const run = evaluator.runModuleInitialisers(file, filling, new Map([[declared.name, value]]))
    if (run.failed) continue
    done.push({ name: declared.name, statements: new Set(filling), value, reads: run.reads, at: filling[0] })
  }
  return done
}

/**
 * Once every load-time write is marked: an object filled from a value that load-time code also
 * changes (before or after, in any module) may hold what JS never sees; it is marked unknown.
 */
export function checkInitialiserReads(initialisers: readonly ModuleInitialiser[], evaluator: StaticEvaluator, file: ParsedFile): void {
  for (const initialiser of initialisers) {
    const changed = initialiser.reads.map((read) => changedWithin(read)).find((why) => why !== undefined)
    if (!changed) continue
    const at = evaluator.at(file, initialiser.at)
    markMutated(
      initialiser.value as object,
      new Unresolved(`filled at ${at.path}:${at.line} from a value that load-time code changes: ${changed.reason}`, at),
      true
    )
  }
}

/** Bounds the search for a change inside a value read by an initialiser; past it, the value counts as changed. */
const MAX_CHECKED_NODES = 10_000

function changedWithin(value: object): Unresolved | undefined {
  const pending: unknown[] = [value]
  const seen = new Set<object>()
  while (pending.length > 0) {
    const current = pending.pop()
    if (typeof current !== 'object' || current === null || seen.has(current)) continue
    if (seen.size >= MAX_CHECKED_NODES) return new Unresolved('a value too large to check')
    seen.add(current)
    const why = mutationOf(current)
    if (why) return why
    if (Array.isArray(current)) pending.push(...(current as unknown[]))
    else if (isPlainObject(current)) pending.push(...Object.values(current))
    else if (current instanceof StaticCollection) pending.push(...current.entries.keys(), ...current.entries.values())
  }
  return undefined
}

/** Whether a load-time write at `site`, to `target`, is one of the filling statements already run. */
export function isAccountedWrite(initialisers: readonly ModuleInitialiser[], target: ts.Expression, site: ts.Node): boolean {
  if (initialisers.length === 0) return false
  const root = rootName(target)
  if (!root || resolveLocal(root.text, root)) return false
  const initialiser = initialisers.find((candidate) => candidate.name === root.text)
  if (!initialiser) return false
  let statement: ts.Node = site
  while (statement.parent && !ts.isSourceFile(statement.parent)) statement = statement.parent
  return initialiser.statements.has(statement as ts.Statement)
}

function freshConstant(statement: ts.Statement): { name: string; identifier: ts.Identifier } | undefined {
  if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) return undefined
  if (statement.declarationList.declarations.length !== 1) return undefined
  const [declaration] = statement.declarationList.declarations
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined
  const initializer = skipWrappers(declaration.initializer)
  const fresh =
    ts.isObjectLiteralExpression(initializer) ||
    ts.isArrayLiteralExpression(initializer) ||
    (ts.isNewExpression(initializer) &&
      ts.isIdentifier(initializer.expression) &&
      (initializer.expression.text === 'Map' || initializer.expression.text === 'Set'))
  return fresh ? { name: declaration.name.text, identifier: declaration.name } : undefined
}

/**
 * The statements after the declaration that write into `name`, up to the last one; empty when a
 * statement in between reads it or is not plain executable code (a declaration, an export).
 */
function fillingStatements(statements: ts.NodeArray<ts.Statement>, declaredAt: number, name: string): ts.Statement[] {
  const filling: ts.Statement[] = []
  let lastWrite = -1
  const mentions: boolean[] = []
  for (let index = declaredAt + 1; index < statements.length; index++) {
    const statement = statements[index]
    const mentioned = mentionsName(statement, name)
    mentions.push(mentioned)
    if (mentioned && isFillingKind(statement) && writesInto(statement, name)) lastWrite = index
  }
  if (lastWrite < 0) return []
  for (let index = declaredAt + 1; index <= lastWrite; index++) {
    if (!mentions[index - declaredAt - 1]) continue
    const statement = statements[index]
    // Anything else that sees the object before it is complete (a copy, a spread, a call) would see it half filled.
    if (!isFillingKind(statement) || !writesInto(statement, name)) return []
    filling.push(statement)
  }
  return filling
}

function isFillingKind(statement: ts.Statement): boolean {
  return (
    ts.isExpressionStatement(statement) ||
    ts.isForOfStatement(statement) ||
    ts.isForInStatement(statement) ||
    ts.isForStatement(statement) ||
    ts.isIfStatement(statement) ||
    ts.isBlock(statement)
  )
}

/** Module-level names a statement writes into (as the root of an assignment, delete or mutating call). */
function writtenNames(statement: ts.Statement): string[] {
  const names: string[] = []
  const visit = (node: ts.Node): void => {
    const target = mutationTarget(node)
    const root = target && rootName(target)
    if (root && !resolveLocal(root.text, root)) names.push(root.text)
    ts.forEachChild(node, visit)
  }
  visit(statement)
  return names
}

function writesInto(statement: ts.Statement, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    const target = mutationTarget(node)
    if (target) {
      const root = rootName(target)
      if (root && root.text === name && !resolveLocal(name, root)) return true
    }
    return ts.forEachChild(node, visit) ?? false
  }
  return visit(statement)
}

function mentionsName(statement: ts.Statement, name: string): boolean {
  if (!statement.getText().includes(name)) return false
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === name && !isPropertyName(node) && !resolveLocal(name, node)) return true
    return ts.forEachChild(node, visit) ?? false
  }
  return visit(statement)
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)
}

function rootName(target: ts.Expression): ts.Identifier | undefined {
  const path = memberPath(target)
  if (path) return path.root
  let current = skipWrappers(target)
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipWrappers(current.expression)
  return ts.isIdentifier(current) ? current : undefined
}

function isContainer(value: StaticValue): boolean {
  return isPlainObject(value) || Array.isArray(value) || value instanceof StaticCollection
}
