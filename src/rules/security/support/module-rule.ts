// The shared shape of the "this module is not expected in an integration" rules: report each
// place a listed module is loaded (import, re-export, require, import()), once per line.
import { ts } from '../../../model/typescript.js'
import type { IntegrationRuleContext, RawFinding } from '../../rule.js'
import { codeFilesOf, fileLabel, isInTypePosition, positionOf, staticPropertyName, walkNodes } from './code-files.js'
import { GLOBAL_MODULE, moduleReferencesFor } from './module-references.js'
import { nodesOfKinds } from '../../../model/syntax-index.js'

export interface ModuleLoadQuery {
  /** Module names (canonical, without `node:`); a name also matches its subpaths (`fs` → `fs/promises`). */
  modules: readonly string[]
  includeTests: boolean
  /** What the module does and how to fix it, after "`file` loads `module`." */
  reason: string
  /** Members that are pure helpers (`isIPv4` of `net`): loading only them is not reported. */
  harmlessMembers?: Readonly<Record<string, readonly string[]>>
}

/** The names a load site takes from the module, when it names them all (`import { a, b }`, `const { a } = require()`). */
function importedNames(node: ts.Node): string[] | undefined {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause
    if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return undefined
    return clause.namedBindings.elements
      .filter((element) => !element.isTypeOnly)
      .map((element) =>
        element.propertyName ? (staticPropertyName(element.propertyName as ts.PropertyName) ?? element.name.text) : element.name.text
      )
  }
  const declaration = node.parent
  if (
    ts.isCallExpression(node) &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer === node &&
    ts.isObjectBindingPattern(declaration.name)
  ) {
    const names = declaration.name.elements.map((element) =>
      element.propertyName ? staticPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined
    )
    return names.every((name): name is string => name !== undefined) ? names : undefined
  }
  return undefined
}

/** True when the default or namespace binding of an import is only ever read as `binding.<harmless member>`. */
function usesOnlyMembers(sourceFile: ts.SourceFile, node: ts.Node, harmless: readonly string[]): boolean {
  if (harmless.length === 0 || !ts.isImportDeclaration(node) || !node.importClause) return false
  const clause = node.importClause
  const named = clause.namedBindings
  if (
    named &&
    ts.isNamedImports(named) &&
    named.elements.some(
      (element) =>
        !element.isTypeOnly &&
        !harmless.includes(element.propertyName ? (staticPropertyName(element.propertyName) ?? '') : element.name.text)
    )
  )
    return false
  const local = clause.name?.text ?? (named && ts.isNamespaceImport(named) ? named.name.text : undefined)
  if (local === undefined) return false
  let onlyHarmless = true
  let used = false
  walkNodes(sourceFile, (inner) => {
    if (!onlyHarmless) return false
    if (inner === node) return false
    if (!ts.isIdentifier(inner) || inner.text !== local) return undefined
    const parent = inner.parent
    if (ts.isPropertyAccessExpression(parent) && parent.name === inner) return undefined
    // A property key that only shares the name (`{ https: new https.Agent() }`).
    if (
      (ts.isPropertyAssignment(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isPropertySignature(parent)) &&
      parent.name === inner
    )
      return undefined
    if (ts.isBindingElement(parent) && parent.propertyName === inner) return undefined
    if (ts.isPropertyAccessExpression(parent) && parent.expression === inner && harmless.includes(parent.name.text)) used = true
    else if (!isInTypePosition(inner)) onlyHarmless = false
    return undefined
  })
  return onlyHarmless && used
}

const CALL_KINDS = [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]

export function matchesModule(module: string, names: readonly string[]): string | undefined {
  return names.find((name) => module === name || module.startsWith(`${name}/`))
}

export function findModuleLoads(context: IntegrationRuleContext, query: ModuleLoadQuery): RawFinding[] {
  const references = moduleReferencesFor(context.head.program)
  const findings: RawFinding[] = []
  for (const file of codeFilesOf(context)) {
    if (file.isTest && !query.includeTests) continue
    const seen = new Set<number>()
    for (const site of references.loadSites(file.parsed)) {
      if (!site.loadsAtRuntime || site.dynamic) continue
      const module = matchesModule(site.module, query.modules)
      if (!module) continue
      const harmless = query.harmlessMembers?.[site.module]
      const names = harmless ? importedNames(site.node) : undefined
      if (harmless && names && names.length > 0 && names.every((name) => harmless.includes(name))) continue
      // `import https from 'https'` used only as `https.Agent`: what it uses decides, not the import.
      if (harmless && names === undefined && usesOnlyMembers(file.parsed.sourceFile, site.node, harmless)) continue
      const { line, column } = positionOf(file.parsed.sourceFile, site.node)
      if (seen.has(line)) continue
      seen.add(line)
      findings.push({
        message: `\`${fileLabel(file.path)}\` loads \`${site.module}\`. ${query.reason}`,
        path: file.path,
        line,
        column,
        key: `${site.module}@${file.path}`
      })
    }
    // Uses too, wherever the module arrived from (aliases, re-exports through local files).
    for (const node of nodesOfKinds(file.parsed.sourceFile, CALL_KINDS)) {
      if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue
      const ref = references.resolve(file.parsed, node.expression)
      if (!ref || ref.module === GLOBAL_MODULE || ref.module.startsWith('file:')) continue
      const module = matchesModule(ref.module, query.modules)
      if (!module) continue
      if (ref.members.length > 0 && query.harmlessMembers?.[ref.module]?.includes(ref.members[0])) continue
      const { line, column } = positionOf(file.parsed.sourceFile, node)
      if (seen.has(line)) continue
      seen.add(line)
      const used = ref.members.length > 0 ? `\`${ref.members.join('.')}\` from \`${ref.module}\`` : `\`${ref.module}\``
      findings.push({
        message: `\`${fileLabel(file.path)}\` calls ${used}. ${query.reason}`,
        path: file.path,
        line,
        column,
        key: `${ref.module}.${ref.members.join('.')}@${file.path}`
      })
    }
  }
  return findings
}
