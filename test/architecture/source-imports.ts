// Reads the import statements of the files under `src/` as text, with the TypeScript parser (never
// executing them), for the tests that hold the layers and the light CLI paths in place.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'
import ts from 'typescript'

const REPO_ROOT = resolve(import.meta.dirname, '..', '..')
const SRC = join(REPO_ROOT, 'src')

export interface SourceImport {
  /** The importing file, relative to the repository (`src/rules/rule.ts`). */
  from: string
  specifier: string
  /** The imported file relative to the repository, for a relative specifier that names a `.ts` file. */
  resolved: string | undefined
  line: number
  /** `import type` / `export type`, or every named binding type-only: erased at run time. */
  typeOnly: boolean
  /** `import()` at run time: loaded only when that code runs. */
  dynamic: boolean
}

export function sourceFiles(dir: string = SRC): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...sourceFiles(path))
    else if (/\.[cm]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path)
  }
  return files.sort()
}

function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const target = resolve(dirname(file), specifier)
  // Our TypeScript files are imported as `.js`; a few real `.js` (and `.json`) files are imported as themselves.
  const typescript = target.replace(/\.js$/, '.ts')
  return relative(REPO_ROOT, existsSync(typescript) ? typescript : target)
}

export function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS)
  const from = relative(REPO_ROOT, file)
  const found: SourceImport[] = []
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, dynamic: boolean) =>
    found.push({
      from,
      specifier,
      resolved: resolveSpecifier(file, specifier),
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      typeOnly,
      dynamic
    })
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const bindings = clause?.namedBindings
      const allNamedTypeOnly = Boolean(
        clause &&
        !clause.name &&
        bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly)
      )
      add(node, node.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allNamedTypeOnly, false)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, false)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, false, true)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/**
 * Every module a file loads at run time before any of its code runs: static, value imports,
 * followed through our own files. Returns repository paths for our files and bare specifiers for packages.
 */
export function staticRuntimeClosure(entry: string): Set<string> {
  const seen = new Set<string>()
  const pending = [relative(REPO_ROOT, resolve(REPO_ROOT, entry))]
  while (pending.length > 0) {
    const current = pending.pop()!
    if (seen.has(current)) continue
    seen.add(current)
    if (!current.startsWith('src/') || !/\.[cm]?[jt]s$/.test(current)) continue
    for (const found of importsOf(join(REPO_ROOT, current))) {
      if (found.typeOnly || found.dynamic) continue
      pending.push(found.resolved ?? found.specifier)
    }
  }
  return seen
}
