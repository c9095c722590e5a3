// The integration's own code files as syntax trees, and a bounded iterative walk over them,
// for structure rules that read code rather than the definition.
import { ts } from '../../model/typescript.js'
import type { ParsedFile } from '../../model/source-program.js'
import type { SourceLocation } from '../../model/static-values.js'
import type { IntegrationRuleContext } from '../rule.js'
import { indexOfNode, MAX_WALK_DEPTH, sourceFileOfNode, syntaxIndexOf } from '../../model/syntax-index.js'

export const CODE_FILE = /\.(?:ts|tsx|js|jsx|mjs|cjs)$/
export const TEST_PATH =
  /(?:^|\/)(?:__tests__|__mocks__|__snapshots__|__fixtures__|__e2e__|test|tests|fixtures|e2e)\/|\.(?:test|spec|e2e|fixtures?|mocks?)\.[cm]?[jt]sx?$|(?:^|\/)test-(?:helpers?|utils?|data)\.[cm]?[jt]sx?$/

/** Tests, mocks and fixtures: code that never runs in production. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path)
}

export function isCodePath(path: string): boolean {
  return CODE_FILE.test(path) && !path.endsWith('.d.ts')
}

/** Parsed code files of the integration folder (declaration files and, unless asked, tests left out). */
export function integrationCodeFiles(context: IntegrationRuleContext, options: { includeTests?: boolean } = {}): ParsedFile[] {
  const files: ParsedFile[] = []
  for (const path of context.integrationFiles) {
    if (!isCodePath(path)) continue
    if (!options.includeTests && isTestPath(path)) continue
    const file = context.parse(path)
    if (file) files.push(file)
  }
  return files
}

export { MAX_WALK_DEPTH } from '../../model/syntax-index.js'

/**
 * Visits `root` and its descendants depth-first without recursion. `visit` returning false skips
 * the node's children. Walks the file's shared syntax index (built once per tree, see
 * syntax-index.ts), so the many rules that walk the same file do not each traverse it again.
 */
export function walkNodes(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const sourceFile = sourceFileOfNode(root)
  if (sourceFile) {
    const index = syntaxIndexOf(sourceFile)
    const start = root === sourceFile ? 0 : indexOfNode(index, root)
    if (start >= 0) {
      const { nodes, depths, ends } = index
      const rootDepth = depths[start]
      const stop = ends[start]
      for (let position = start; position < stop;) {
        if (visit(nodes[position]) === false || depths[position] - rootDepth >= MAX_WALK_DEPTH) position = ends[position]
        else position++
      }
      return
    }
  }
  walkNodesDirectly(root, visit)
}

/** The same walk over a node outside any indexed tree (a detached or synthesised node). */
function walkNodesDirectly(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: Array<{ node: ts.Node; depth: number }> = [{ node: root, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!
    if (visit(node) === false || depth >= MAX_WALK_DEPTH) continue
    const children: ts.Node[] = []
    ts.forEachChild(node, (child) => {
      children.push(child)
    })
    for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index], depth: depth + 1 })
  }
}

export function nodeLocation(file: ParsedFile, node: ts.Node): SourceLocation {
  const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
  return { path: file.path, line: line + 1, column: character + 1 }
}

/** The name of a callee or constructed class: `Error`, `IntegrationError`, `core.IntegrationError` → last name. */
export function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text
  return undefined
}
