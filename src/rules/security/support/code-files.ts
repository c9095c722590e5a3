// The code files of an integration and the syntax-tree walking every security rule shares.
// Walks are iterative with a depth bound: hostile input can nest thousands of levels.
import { ts } from '../../../model/typescript.js'
import { skipWrappers } from '../../../model/local-bindings.js'
import type { ParsedFile } from '../../../model/source-program.js'
import type { IntegrationRuleContext } from '../../rule.js'
import { isCodePath, isTestPath } from '../../support/integration-source-files.js'
import { nodesOfKinds } from '../../../model/syntax-index.js'
import { DerivedFact } from '../../../model/derived-facts.js'

// Code-file detection and the bounded walk are shared with the structure rules.
export { CODE_FILE, TEST_PATH, isTestPath, walkNodes } from '../../support/integration-source-files.js'

export interface CodeFile {
  path: string
  parsed: ParsedFile
  isTest: boolean
}

/**
 * The code files found for an integration's file list at head: some twenty rules ask for them
 * per integration, with the same list and model (callers must not modify the result).
 */
const codeFilesByList = new DerivedFact<readonly string[], { head: IntegrationRuleContext['head']; files: readonly CodeFile[] }>(
  'code files'
)

/** Every parsable code file of the integration at head, tests included (rules decide). */
export function codeFilesOf(context: IntegrationRuleContext): readonly CodeFile[] {
  const known = codeFilesByList.get(context.integrationFiles)
  if (known && known.head === context.head) return known.files
  const files = findCodeFiles(context)
  codeFilesByList.set(context.integrationFiles, { head: context.head, files })
  return files
}

function findCodeFiles(context: IntegrationRuleContext): CodeFile[] {
  const files: CodeFile[] = []
  for (const path of context.integrationFiles) {
    if (!isCodePath(path)) continue
    const parsed = context.parse(path)
    if (parsed) files.push({ path, parsed, isTest: isTestPath(path) })
  }
  return files
}

export interface Position {
  line: number
  column: number
}

export function positionOf(sourceFile: ts.SourceFile, node: ts.Node): Position {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
  return { line: line + 1, column: character + 1 }
}

/** Line and column of an offset in plain text (non-code files). */
export function textPosition(text: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++
    lineStart = index + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** The property name of a property assignment, method or binding element, when static. */
export function staticPropertyName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    return name.text
  if (ts.isPrivateIdentifier(name)) return name.text
  if (ts.isComputedPropertyName(name) && (ts.isStringLiteral(name.expression) || ts.isNoSubstitutionTemplateLiteral(name.expression)))
    return name.expression.text
  return undefined
}

/**
 * Strips parentheses, `as`, `!`, `satisfies` and type assertions, which do not change a value: the
 * model's own `skipWrappers`, so rules and model see through the same wrappers (each step goes one
 * node down a tree the parser already built, so the walk needs no bound of its own).
 */
export const unwrapExpression: (expression: ts.Expression) => ts.Expression = skipWrappers

/** True when the node sits in a type position (elided at runtime). */
export function isInTypePosition(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent, guard = 0; current && guard < 200; current = current.parent, guard++) {
    if (ts.isTypeNode(current) || (ts.isHeritageClause(current) && current.token === ts.SyntaxKind.ImplementsKeyword)) return true
    if (ts.isStatement(current) || ts.isSourceFile(current)) return false
  }
  return false
}

/** The name of a property access or a string-keyed element access. */
export function memberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text
  if (ts.isElementAccessExpression(node)) {
    const argument = unwrapExpression(node.argumentExpression)
    if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) return argument.text
  }
  return undefined
}

const DECLARATION_KINDS = [
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration
]

/** Every name a file declares anywhere (imports, variables, parameters, functions, classes). */
export function declaredNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>()
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text)
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name)
  }
  for (const node of nodesOfKinds(sourceFile, DECLARATION_KINDS)) {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) addBinding(node.name)
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node)) && node.name)
      names.add(node.name.text)
    else if (ts.isImportClause(node) && node.name) names.add(node.name.text)
    else if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node)) names.add(node.name.text)
  }
  return names
}

/** How a message names a file: `sendEvent/index.ts` rather than a bare `index.ts`. */
export function fileLabel(path: string): string {
  const segments = path.split('/')
  const name = segments[segments.length - 1] ?? path
  return name.startsWith('index.') && segments.length > 1 ? `${segments[segments.length - 2]}/${name}` : name
}
