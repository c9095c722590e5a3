// What an integration's test files do, read from their syntax trees (never run): which actions
// they exercise through `testAction` / `testBatchAction`, and how they mock HTTP with nock.
import { ts } from '../../model/typescript.js'
import type { ParsedFile } from '../../model/source-program.js'

/** Test files by the conventions of Segment's repositories (jest): `__tests__/` or `*.test.ts`. */
export function isTestFile(path: string): boolean {
  if (!/\.[cm]?[jt]sx?$/.test(path) || path.endsWith('.d.ts')) return false
  return /(^|\/)__tests__\//.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)
}

export function isSnapshotTestFile(path: string): boolean {
  return /(^|\/)snapshot\.test\.[cm]?[jt]sx?$/.test(path)
}

export interface ActionTestCall {
  /** The action key, or undefined when the argument is not a constant the file names. */
  actionKey: string | undefined
  method: 'testAction' | 'testBatchAction'
  line: number
  column: number
}

export interface NockCall {
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
}

/** Regular expressions that accept every host. */
const ANY_HOST_PATTERNS = new Set(['.*', '.+', '.*?', '.+?', '^.*$', '^.+$', '(.*)', '(.+)', '[\\s\\S]*', '.*.*'])

/** Nodes visited at most per file, so hostile input cannot make the walk unbounded. */
const MAX_NODES = 500_000

const factsCache = new WeakMap<ts.SourceFile, TestFileFacts>()

function at(file: ParsedFile, node: ts.Node): { line: number; column: number } {
  const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
  return { line: line + 1, column: character + 1 }
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text
  return undefined
}

/** `const actionSlug = 'sendEvent'` bindings of the file, the way Segment's snapshot tests name actions. */
function stringConstants(declarations: ts.VariableDeclaration[]): Map<string, string | null> {
  const constants = new Map<string, string | null>()
  for (const declaration of declarations) {
    if (!ts.isIdentifier(declaration.name)) continue
    const name = declaration.name.text
    const initializer = declaration.initializer
    const value = initializer && (ts.isStringLiteral(initializer) || ts.isNoSubstitutionTemplateLiteral(initializer)) ? initializer.text : null
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
  const stack: ts.Node[] = [file.sourceFile]
  let visited = 0
  while (stack.length > 0 && visited < MAX_NODES) {
    const node = stack.pop()!
    visited++
    if (ts.isCallExpression(node)) calls.push(node)
    else if (ts.isVariableDeclaration(node)) declarations.push(node)
    else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text.startsWith('.')) {
      relativeImports.push(node.moduleSpecifier.text)
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'partnerAction' &&
      (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))
    ) {
      partnerActions.push(node.initializer.text)
    }
    ts.forEachChild(node, (child) => {
      stack.push(child)
    })
  }
  const constants = stringConstants(declarations)
  const facts: TestFileFacts = { actionCalls: [], nockCalls: [], relativeImports, callsSnapshotMatcher: false, callsNockApi: false, partnerActions }
  for (const call of calls) {
    const name = calleeName(call.expression)
    if (name === 'testAction' || name === 'testBatchAction') {
      const [first] = call.arguments
      let actionKey: string | undefined
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) actionKey = first.text
      else if (first && ts.isIdentifier(first)) actionKey = constants.get(first.text) ?? undefined
      facts.actionCalls.push({ actionKey, method: name, ...at(file, call) })
    } else if (ts.isIdentifier(call.expression) && call.expression.text === 'nock') {
      const [first] = call.arguments
      const matchesAnyHost = first !== undefined && ts.isRegularExpressionLiteral(first) && ANY_HOST_PATTERNS.has(first.text.slice(1, first.text.lastIndexOf('/')))
      facts.nockCalls.push({ ...at(file, call), matchesAnyHost })
    } else if (ts.isPropertyAccessExpression(call.expression) && ts.isIdentifier(call.expression.expression) && call.expression.expression.text === 'nock') {
      facts.callsNockApi = true
    } else if (name === 'toMatchSnapshot' || name === 'toMatchInlineSnapshot') {
      facts.callsSnapshotMatcher = true
    }
  }
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
