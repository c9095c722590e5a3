// What an integration's test files do, read from their syntax trees (never run): which actions
// they exercise through `testAction` / `testBatchAction` / `executeBatch`, through helpers that
// wrap those, or by calling an imported action's `perform`; and how they mock HTTP with nock.
import { ts } from '../../model/typescript.js'
import type { ParsedFile } from '../../model/source-program.js'
import { DerivedFact } from '../../model/derived-facts.js'
import { forEachNodeLastChildFirst, kindListsCoverWalk, nodesOfKind } from '../../model/syntax-index.js'

/** Test files by the conventions of Segment's repositories (jest): `__tests__/` or `*.test.ts`. */
export function isTestFile(path: string): boolean {
  if (!/\.[cm]?[jt]sx?$/.test(path) || path.endsWith('.d.ts')) return false
  return /(^|\/)__tests__\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)
}

export function isSnapshotTestFile(path: string): boolean {
  return /(^|\/)snapshot\.test\.[cm]?[jt]sx?$/.test(path)
}

interface ActionTestCall {
  /** The action key, or undefined when the argument is not a constant the file names. */
  actionKey: string | undefined
  method: ActionRunnerMethod
  /** True when the name is a parameter of the enclosing function: a helper that runs the action it is given. */
  nameFromParameter: boolean
  line: number
  column: number
}

/** The methods of actions-core's test destination that run one action by key. */
const ACTION_RUNNER_METHODS = ['testAction', 'testBatchAction', 'executeBatch'] as const
type ActionRunnerMethod = (typeof ACTION_RUNNER_METHODS)[number]

/** `helper('sendEvent', …)`: a call of a plain function with a constant first argument. */
interface NamedHelperCall {
  callee: string
  firstArgument: string
  /**
   * When the callee is a parameter of a callback (`testRunner((settings, action) => …)`), the
   * name of the function the callback is passed to; undefined when it is not a parameter.
   */
  callbackOf: string | undefined
}

/** `PostSheet.perform(…)` / `PostSheet.performBatch?.(…)`: an imported action run directly. */
interface PerformCall {
  /** The identifier the action object is read from, e.g. `PostSheet`. */
  object: string
  /** For `destination.actions.<key>.perform(…)`, the action key. */
  actionKey: string | undefined
}

/** A binding a relative import gives the file: `import X from '../x'` or `import { y as X } from '../x'`. */
interface RelativeImportBinding {
  local: string
  specifier: string
  /** 'default' or the exported name. */
  imported: string
}

interface NockCall {
  line: number
  column: number
  /** True for `nock(/.*\/)` and the like: any host is accepted. */
  matchesAnyHost: boolean
}

export interface TestFileFacts {
  actionCalls: ActionTestCall[]
  nockCalls: NockCall[]
  /** Relative module specifiers the file imports (helpers that may set nock up). */
  relativeImports: string[]
  callsSnapshotMatcher: boolean
  /** `nock.disableNetConnect()` and the like: the file blocks or manages real HTTP through nock. */
  callsNockApi: boolean
  /**
   * Action keys named by `partnerAction: '<key>'`: browser destination tests load the destination
   * with subscriptions that name the action they run.
   */
  partnerActions: string[]
  /** Functions the file declares that run the action whose key they receive as a parameter. */
  actionRunners: string[]
  namedHelperCalls: NamedHelperCall[]
  performCalls: PerformCall[]
  importBindings: RelativeImportBinding[]
}

/** Regular expressions that accept every host. */
const ANY_HOST_PATTERNS = new Set(['.*', '.+', '.*?', '.+?', '^.*$', '^.+$', '(.*)', '(.+)', '[\\s\\S]*', '.*.*'])

/** Nodes visited at most per file, so hostile input cannot make the walk unbounded. */
const MAX_NODES = 500_000

/** The node kinds testFileFacts looks at beside imports. */
const OTHER_FACT_KINDS = [ts.SyntaxKind.CallExpression, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.PropertyAssignment]

const factsCache = new DerivedFact<ts.SourceFile, TestFileFacts>('test file facts')

function at(file: ParsedFile, node: ts.Node): { line: number; column: number } {
  const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
  return { line: line + 1, column: character + 1 }
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text
  return undefined
}

function isStringConstant(node: ts.Node | undefined): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
}

/** The nearest enclosing function that has a parameter named `name`, if any. */
function functionWithParameter(node: ts.Node, name: string): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (
      ts.isFunctionLike(current) &&
      current.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)
    )
      return current
  }
  return undefined
}

/** The name a function is known by: its declaration name, or the variable or property it is assigned to. */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name))
    return fn.name.text
  const parent = fn.parent
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent && ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name)))
    return parent.name.text
  return undefined
}

/** `X.perform(…)`, `X.performBatch?.(…)`, `X.perform!(…)`, `d.actions.key.perform(…)`. */
function performCallOf(call: ts.CallExpression): PerformCall | undefined {
  let callee: ts.Expression = call.expression
  if (ts.isNonNullExpression(callee)) callee = callee.expression
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'perform' && callee.name.text !== 'performBatch')) return undefined
  const target = callee.expression
  if (ts.isIdentifier(target)) return { object: target.text, actionKey: undefined }
  if (
    ts.isPropertyAccessExpression(target) &&
    ts.isPropertyAccessExpression(target.expression) &&
    target.expression.name.text === 'actions'
  ) {
    return { object: '', actionKey: target.name.text }
  }
  if (
    ts.isElementAccessExpression(target) &&
    isStringConstant(target.argumentExpression) &&
    ts.isPropertyAccessExpression(target.expression) &&
    target.expression.name.text === 'actions'
  ) {
    return { object: '', actionKey: target.argumentExpression.text }
  }
  return undefined
}

function importBindingsOf(declaration: ts.ImportDeclaration, specifier: string): RelativeImportBinding[] {
  const clause = declaration.importClause
  if (!clause || clause.isTypeOnly) return []
  const bindings: RelativeImportBinding[] = []
  if (clause.name) bindings.push({ local: clause.name.text, specifier, imported: 'default' })
  const named = clause.namedBindings
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements)
      bindings.push({ local: element.name.text, specifier, imported: (element.propertyName ?? element.name).text })
  }
  return bindings
}

/** `const actionSlug = 'sendEvent'` bindings of the file, the way Segment's snapshot tests name actions. */
function stringConstants(declarations: ts.VariableDeclaration[]): Map<string, string | null> {
  const constants = new Map<string, string | null>()
  for (const declaration of declarations) {
    if (!ts.isIdentifier(declaration.name)) continue
    const name = declaration.name.text
    const initializer = declaration.initializer
    const value =
      initializer && (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) ? initializer.text : null
    // The same name bound twice to different things is ambiguous: null means "unknown".
    constants.set(name, constants.has(name) && constants.get(name) !== value ? null : value)
  }
  return constants
}

/** Facts about one test file, computed once per parsed file. */
export function testFileFacts(file: ParsedFile): TestFileFacts {
  const known = factsCache.get(file.sourceFile)
  if (known) return known
  const calls: ts.CallExpression[] = []
  const declarations: ts.VariableDeclaration[] = []
  const relativeImports: string[] = []
  const partnerActions: string[] = []
  const importBindings: RelativeImportBinding[] = []
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) calls.push(node)
    else if (ts.isVariableDeclaration(node)) declarations.push(node)
    else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.startsWith('.')) {
      relativeImports.push(node.moduleSpecifier.text)
      importBindings.push(...importBindingsOf(node, node.moduleSpecifier.text))
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'partnerAction' &&
      (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))
    ) {
      partnerActions.push(node.initializer.text)
    }
  }
  if (kindListsCoverWalk(file.sourceFile, MAX_NODES)) {
    // Only the nodes of the kinds looked at, from the index. The walk below meets imports last to
    // first (one binding a name twice resolves to the first): so are they taken here. The calls'
    // and declarations' order does not matter: what is kept of them is sorted by position (a call
    // inside another that starts with it comes after it in either order), looked up as sets, or,
    // for constants, the same whatever the order.
    const imports = nodesOfKind(file.sourceFile, ts.SyntaxKind.ImportDeclaration)
    for (let at = imports.length - 1; at >= 0; at--) visit(imports[at])
    for (const kind of OTHER_FACT_KINDS) for (const node of nodesOfKind(file.sourceFile, kind)) visit(node)
  } else {
    // Children last to first: the order of the stack walk this was first written as.
    forEachNodeLastChildFirst(file.sourceFile, MAX_NODES, visit)
  }
  const constants = stringConstants(declarations)
  const facts: TestFileFacts = {
    actionCalls: [],
    nockCalls: [],
    relativeImports,
    callsSnapshotMatcher: false,
    callsNockApi: false,
    partnerActions,
    actionRunners: [],
    namedHelperCalls: [],
    performCalls: [],
    importBindings
  }
  const runners = new Set<string>()
  for (const call of calls) {
    const name = calleeName(call.expression)
    const perform = performCallOf(call)
    if (perform) facts.performCalls.push(perform)
    if (name !== undefined && (ACTION_RUNNER_METHODS as readonly string[]).includes(name)) {
      const [first] = call.arguments
      let actionKey: string | undefined
      let nameFromParameter = false
      if (isStringConstant(first)) actionKey = first.text
      else if (first && ts.isIdentifier(first)) {
        const runner = functionWithParameter(call, first.text)
        if (runner) {
          // A helper such as `const action = (name, args) => testDestination.testAction(name, args)`.
          nameFromParameter = true
          const runnerName = functionName(runner)
          if (runnerName) runners.add(runnerName)
        } else actionKey = constants.get(first.text) ?? undefined
      }
      facts.actionCalls.push({ actionKey, method: name as ActionRunnerMethod, nameFromParameter, ...at(file, call) })
    } else if (ts.isIdentifier(call.expression) && isStringConstant(call.arguments[0]) && call.expression.text !== 'nock') {
      const callee = call.expression.text
      const owner = functionWithParameter(call, callee)
      const passedTo = owner?.parent && ts.isCallExpression(owner.parent) ? calleeName(owner.parent.expression) : undefined
      facts.namedHelperCalls.push({ callee, firstArgument: call.arguments[0].text, callbackOf: owner ? (passedTo ?? '') : undefined })
    } else if (ts.isIdentifier(call.expression) && call.expression.text === 'nock') {
      const [first] = call.arguments
      const matchesAnyHost =
        first !== undefined &&
        ts.isRegularExpressionLiteral(first) &&
        ANY_HOST_PATTERNS.has(first.text.slice(1, first.text.lastIndexOf('/')))
      facts.nockCalls.push({ ...at(file, call), matchesAnyHost })
    } else if (
      ts.isPropertyAccessExpression(call.expression) &&
      ts.isIdentifier(call.expression.expression) &&
      call.expression.expression.text === 'nock'
    ) {
      facts.callsNockApi = true
    } else if (name === 'toMatchSnapshot' || name === 'toMatchInlineSnapshot') {
      facts.callsSnapshotMatcher = true
    }
  }
  facts.actionRunners.push(...runners)
  facts.actionCalls.sort((a, b) => a.line - b.line || a.column - b.column)
  facts.nockCalls.sort((a, b) => a.line - b.line || a.column - b.column)
  factsCache.set(file.sourceFile, facts)
  return facts
}

/** Resolves a relative import of a test file to a file of the integration, if one matches. */
export function resolveRelativeImport(fromPath: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = normalise(`${fromPath.slice(0, fromPath.lastIndexOf('/'))}/${specifier}`)
  const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, '')
  for (const candidate of [base, `${stripped}.ts`, `${stripped}.tsx`, `${stripped}.js`, `${base}/index.ts`, `${base}/index.js`]) {
    if (files.has(candidate)) return candidate
  }
  return undefined
}

function normalise(path: string): string {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.join('/')
}
