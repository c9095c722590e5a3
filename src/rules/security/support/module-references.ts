// Resolves what a name or member expression refers to, the way real code writes imports:
// `node:` prefixes, `import * as`, default and named imports, `import x = require()`,
// destructured and aliased `require`, local aliases, and re-exports through files of the repo.
import { ts } from '../../../model/typescript.js'
import type { ParsedFile, SourceProgram } from '../../../model/source-program.js'
import { declaredNames, isInTypePosition, staticPropertyName, unwrapExpression } from './code-files.js'
import { nodesOfKind, nodesOfKinds } from '../../../model/syntax-index.js'
import { DerivedFact } from '../../../model/derived-facts.js'

/**
 * A reference into a module: `child_process` + ['exec'] for `cp.exec`. Globals use the module
 * name `<global>` (`eval` → <global> + ['eval'], `globalThis.fetch` → <global> + ['fetch']).
 */
export interface ModuleRef {
  module: string
  members: string[]
}

export const GLOBAL_MODULE = '<global>'

/** Names that denote the global object itself. */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global'])

/** `node:fs` and `fs` are the same module. */
function canonicalModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier
}

/** The global path of a reference: `process.env` whether written as global or imported from `node:process`. */
export function globalPath(ref: ModuleRef | undefined): string[] | undefined {
  if (!ref) return undefined
  if (ref.module === GLOBAL_MODULE) return ref.members
  if (ref.module === 'process') return ['process', ...ref.members]
  if (ref.module === 'timers') return ref.members
  return undefined
}

type Binding =
  | { kind: 'ambiguous' }
  | { kind: 'import'; specifier: string; member: string | undefined }
  | { kind: 'expression'; expression: ts.Expression }
  | { kind: 'destructured'; source: ts.Expression; path: string[] }

/** One place a module is loaded: an import, a re-export, `require('x')` or `import('x')`. */
export interface ModuleLoadSite {
  module: string
  node: ts.Node
  /** False for `import x from` whose names are used only as types (erased at compile time). */
  loadsAtRuntime: boolean
  /** True for `require(x)` / `import(x)` whose argument is not a literal. */
  dynamic: boolean
}

const MAX_DEPTH = 12

/** The declarations that bind names (see bindings). */
const BINDING_KINDS = [ts.SyntaxKind.ImportDeclaration, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.VariableDeclaration]

/** The nodes that may load a module (see findLoadSites). */
const LOAD_KINDS = [
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.CallExpression
]

export class ModuleReferences {
  private readonly bindingsByFile = new Map<string, Map<string, Binding>>()
  private readonly declaredByFile = new Map<string, Set<string>>()
  // Per-file facts every rule asks for, computed once per program (one revision) and shared.
  private readonly loadSitesByFile = new Map<string, ModuleLoadSite[]>()
  private readonly resolved = new Map<ts.Expression, ModuleRef | undefined>()
  /** Exports resolved, by file, then by the depth the question started at, then by name. */
  private readonly exports = new Map<string, Array<Map<string, ModuleRef | undefined>>>()

  constructor(private readonly program: SourceProgram) {}

  /** What `expression` written in `file` refers to, or undefined when it is not a module or global reference. */
  resolve(file: ParsedFile, expression: ts.Expression, depth = 0): ModuleRef | undefined {
    if (depth > 0) return this.resolveUncached(file, expression, depth)
    // Several rules resolve the same callees; the answer depends only on the program and the node.
    if (this.resolved.has(expression)) return this.resolved.get(expression)
    const ref = this.resolveUncached(file, expression, depth)
    this.resolved.set(expression, ref)
    return ref
  }

  private resolveUncached(file: ParsedFile, expression: ts.Expression, depth: number): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined
    const node = unwrapExpression(expression)
    if (ts.isIdentifier(node)) return this.resolveName(file, node.text, depth)
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression)
      if (name === undefined) return undefined
      const base = this.resolve(file, node.expression, depth + 1)
      return base ? this.member(base, name, depth) : undefined
    }
    if (ts.isCallExpression(node)) {
      const specifier = requiredSpecifier(node)
      if (specifier !== undefined) return this.moduleOf(file, specifier)
    }
    if (ts.isAwaitExpression(node)) return this.resolve(file, node.expression, depth + 1)
    return undefined
  }

  /** Every module load in a file (computed once per file; callers must not modify the list). */
  loadSites(file: ParsedFile): ModuleLoadSite[] {
    let sites = this.loadSitesByFile.get(file.path)
    if (!sites) this.loadSitesByFile.set(file.path, (sites = this.findLoadSites(file)))
    return sites
  }

  private findLoadSites(file: ParsedFile): ModuleLoadSite[] {
    const sites: ModuleLoadSite[] = []
    const sourceFile = file.sourceFile
    let usedAsValues: Set<string> | undefined
    const valueNames = () => (usedAsValues ??= valueReferencedNames(sourceFile, importedNames(sourceFile)))
    // The nodes of these kinds in walk order are the loads a walk of the file meets, without
    // visiting every node. A declaration that loads a module is not looked into (its attributes
    // or a malformed specifier may hold calls): `skipEnd` ends it, as sibling ranges never overlap.
    let skipEnd = -1
    for (const node of nodesOfKinds(sourceFile, LOAD_KINDS)) {
      if (node.pos < skipEnd) continue
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        sites.push({
          module: canonicalModule(node.moduleSpecifier.text),
          node,
          loadsAtRuntime: importLoadsAtRuntime(node, valueNames),
          dynamic: false
        })
        skipEnd = node.end
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        sites.push({ module: canonicalModule(node.moduleSpecifier.text), node, loadsAtRuntime: !node.isTypeOnly, dynamic: false })
        skipEnd = node.end
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const expression = node.moduleReference.expression
        if (ts.isStringLiteral(expression))
          sites.push({ module: canonicalModule(expression.text), node, loadsAtRuntime: !node.isTypeOnly, dynamic: false })
        skipEnd = node.end
      } else if (ts.isCallExpression(node) && isModuleLoader(node, this.declared(file))) {
        const argument = node.arguments[0]
        const literal = argument ? literalText(argument) : undefined
        if (literal !== undefined) sites.push({ module: canonicalModule(literal), node, loadsAtRuntime: true, dynamic: false })
        else if (argument) sites.push({ module: '', node, loadsAtRuntime: true, dynamic: true })
      }
    }
    return sites
  }

  /** True when `name` is bound by an import or `require` in the file (not a local alias). */
  isImportedName(file: ParsedFile, name: string): boolean {
    return this.bindings(file).get(name)?.kind === 'import'
  }

  /** Names declared anywhere in the file: a declared `fetch` or `eval` is not the global. */
  declared(file: ParsedFile): Set<string> {
    let names = this.declaredByFile.get(file.path)
    if (!names) this.declaredByFile.set(file.path, (names = declaredNames(file.sourceFile)))
    return names
  }

  private member(base: ModuleRef, name: string, depth: number): ModuleRef | undefined {
    if (base.module.startsWith('file:')) {
      const path = base.module.slice(5)
      if (base.members.length === 0) return this.resolveExport(path, name, depth + 1)
    }
    if (base.module === GLOBAL_MODULE && base.members.length === 0 && !GLOBAL_OBJECTS.has(name))
      return { module: GLOBAL_MODULE, members: [name] }
    if (base.module === GLOBAL_MODULE && base.members.length === 0) return base
    return { module: base.module, members: [...base.members, name] }
  }

  private resolveName(file: ParsedFile, name: string, depth: number): ModuleRef | undefined {
    const binding = this.bindings(file).get(name)
    if (!binding) {
      if (this.declared(file).has(name)) return undefined
      return GLOBAL_OBJECTS.has(name) ? { module: GLOBAL_MODULE, members: [] } : { module: GLOBAL_MODULE, members: [name] }
    }
    if (binding.kind === 'ambiguous') return undefined
    if (binding.kind === 'import') {
      const target = this.moduleOf(file, binding.specifier)
      if (!target || binding.member === undefined) return target
      if (binding.member === 'default' && !target.module.startsWith('file:')) return target
      return this.member(target, binding.member, depth)
    }
    if (binding.kind === 'expression') return this.resolve(file, binding.expression, depth + 1)
    let ref = this.resolve(file, binding.source, depth + 1)
    for (const segment of binding.path) ref = ref ? this.member(ref, segment, depth) : undefined
    return ref
  }

  /** A module by specifier; files of the repository resolve to `file:<path>` namespaces. */
  private moduleOf(file: ParsedFile, specifier: string): ModuleRef | undefined {
    const resolution = this.program.resolveModule(file.path, specifier)
    if (resolution.kind === 'file') return { module: `file:${resolution.path}`, members: [] }
    if (resolution.kind === 'json') return undefined
    return { module: canonicalModule(specifier), members: [] }
  }

  /** Follows an export of a repository file (re-exports, `export const x = …`, `export default`). */
  private resolveExport(path: string, name: string, depth: number): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined
    // Every use of an imported name asks again; the answer depends only on the program, the
    // export and how deep the question starts (the depth bound can cut a chain short).
    let byDepth = this.exports.get(path)
    if (!byDepth) this.exports.set(path, (byDepth = []))
    const byName = (byDepth[depth] ??= new Map<string, ModuleRef | undefined>())
    if (byName.has(name)) return byName.get(name)
    const ref = this.resolveExportUncached(path, name, depth)
    byName.set(name, ref)
    return ref
  }

  private resolveExportUncached(path: string, name: string, depth: number): ModuleRef | undefined {
    const file = this.program.getFile(path)
    if (!file) return undefined
    for (const statement of file.sourceFile.statements) {
      if (ts.isExportDeclaration(statement)) {
        const specifier =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined
        if (!statement.exportClause) {
          // export * from 'x'
          if (specifier === undefined || name === 'default') continue
          const target = this.moduleOf(file, specifier)
          const found = target ? this.member(target, name, depth) : undefined
          if (found) return found
          continue
        }
        if (ts.isNamespaceExport(statement.exportClause)) {
          if (statement.exportClause.name.text === name && specifier !== undefined) return this.moduleOf(file, specifier)
          continue
        }
        for (const element of statement.exportClause.elements) {
          if (element.name.text !== name) continue
          const original = element.propertyName ? (staticPropertyName(element.propertyName) ?? name) : name
          if (specifier !== undefined) {
            const target = this.moduleOf(file, specifier)
            if (!target) return undefined
            if (original === 'default' && !target.module.startsWith('file:')) return target
            return this.member(target, original, depth)
          }
          return this.resolveName(file, original, depth + 1)
        }
      } else if (ts.isExportAssignment(statement) && name === 'default') {
        return this.resolve(file, statement.expression, depth + 1)
      } else if (
        ts.isVariableStatement(statement) &&
        statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      ) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer)
            return this.resolve(file, declaration.initializer, depth + 1)
        }
      }
    }
    return undefined
  }

  private bindings(file: ParsedFile): Map<string, Binding> {
    let bindings = this.bindingsByFile.get(file.path)
    if (bindings) return bindings
    bindings = new Map()
    const add = (name: string, binding: Binding) => {
      // A name bound twice (shadowing in nested scopes) is ambiguous: keep neither.
      if (bindings.has(name)) bindings.set(name, { kind: 'ambiguous' })
      else bindings.set(name, binding)
    }
    const addPattern = (pattern: ts.BindingName, source: ts.Expression, path: string[]) => {
      if (ts.isIdentifier(pattern)) {
        add(pattern.text, path.length === 0 ? { kind: 'expression', expression: source } : { kind: 'destructured', source, path })
        return
      }
      if (ts.isArrayBindingPattern(pattern)) return
      for (const element of pattern.elements) {
        if (element.dotDotDotToken) continue
        const key = element.propertyName
          ? staticPropertyName(element.propertyName)
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined
        if (key === undefined) continue
        addPattern(element.name, source, [...path, key])
      }
    }
    // The declarations of these kinds in walk order, with the subtrees of imports skipped as a walk did.
    let skipEnd = -1
    for (const node of nodesOfKinds(file.sourceFile, BINDING_KINDS)) {
      if (node.pos < skipEnd) continue
      if (ts.isImportDeclaration(node)) {
        if (!(ts.isStringLiteral(node.moduleSpecifier) && node.importClause && !node.importClause.isTypeOnly)) continue
        const specifier = node.moduleSpecifier.text
        const clause = node.importClause
        if (clause.name) add(clause.name.text, { kind: 'import', specifier, member: 'default' })
        const named = clause.namedBindings
        if (named && ts.isNamespaceImport(named)) add(named.name.text, { kind: 'import', specifier, member: undefined })
        if (named && ts.isNamedImports(named)) {
          for (const element of named.elements) {
            if (element.isTypeOnly) continue
            const imported = element.propertyName ? (staticPropertyName(element.propertyName) ?? element.name.text) : element.name.text
            add(element.name.text, { kind: 'import', specifier, member: imported })
          }
        }
        skipEnd = node.end
      } else if (ts.isImportEqualsDeclaration(node)) {
        if (ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
          add(node.name.text, { kind: 'import', specifier: node.moduleReference.expression.text, member: undefined })
        }
        skipEnd = node.end
      } else if (ts.isVariableDeclaration(node) && node.initializer) addPattern(node.name, node.initializer, [])
    }
    this.bindingsByFile.set(file.path, bindings)
    return bindings
  }
}

function literalText(expression: ts.Expression): string | undefined {
  const node = unwrapExpression(expression)
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined
}

/** `require('x')` or `import('x')` with a literal specifier. */
function requiredSpecifier(call: ts.CallExpression): string | undefined {
  const isRequire = ts.isIdentifier(call.expression) && call.expression.text === 'require'
  const isImport = call.expression.kind === ts.SyntaxKind.ImportKeyword
  if (!isRequire && !isImport) return undefined
  const argument = call.arguments[0]
  return argument ? literalText(argument) : undefined
}

function isModuleLoader(call: ts.CallExpression, declared: Set<string>): boolean {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true
  return ts.isIdentifier(call.expression) && call.expression.text === 'require' && !declared.has('require')
}

/** An import whose bindings are only ever used as types is erased by the compiler. */
function importLoadsAtRuntime(declaration: ts.ImportDeclaration, valueNames: () => Set<string>): boolean {
  const clause = declaration.importClause
  if (!clause) return true // import 'x' runs the module
  if (clause.isTypeOnly) return false
  const names = new Set<string>()
  if (clause.name) names.add(clause.name.text)
  const named = clause.namedBindings
  if (named && ts.isNamespaceImport(named)) names.add(named.name.text)
  if (named && ts.isNamedImports(named)) for (const element of named.elements) if (!element.isTypeOnly) names.add(element.name.text)
  if (names.size === 0) return false
  const used = valueNames()
  for (const name of names) if (used.has(name)) return true
  return false
}

/** The names the file's imports bind: the only names importLoadsAtRuntime asks about. */
function importedNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>()
  for (const declaration of nodesOfKind<ts.ImportDeclaration>(sourceFile, ts.SyntaxKind.ImportDeclaration)) {
    const clause = declaration.importClause
    if (!clause) continue
    if (clause.name) names.add(clause.name.text)
    const named = clause.namedBindings
    if (named && ts.isNamespaceImport(named)) names.add(named.name.text)
    if (named && ts.isNamedImports(named)) for (const element of named.elements) names.add(element.name.text)
  }
  return names
}

/**
 * Which of `wanted` the file uses as values outside its import declarations (one pass over its
 * identifiers, shared by every import; other names are not looked at).
 */
function valueReferencedNames(sourceFile: ts.SourceFile, wanted: Set<string>): Set<string> {
  const names = new Set<string>()
  if (wanted.size === 0) return names
  // Identifiers and import declarations both come in source order, and an identifier is inside
  // an import exactly when it starts within the import's range: one pointer walks the imports.
  const imports = nodesOfKind(sourceFile, ts.SyntaxKind.ImportDeclaration)
  let nextImport = 0
  for (const identifier of nodesOfKind<ts.Identifier>(sourceFile, ts.SyntaxKind.Identifier)) {
    while (nextImport < imports.length && imports[nextImport].end <= identifier.pos) nextImport++
    if (nextImport < imports.length && imports[nextImport].pos <= identifier.pos) continue
    const name = identifier.text
    if (wanted.has(name) && !names.has(name) && isValueReference(identifier)) names.add(name)
  }
  return names
}

function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertySignature(parent)) &&
    parent.name === identifier
  )
    return false
  if (ts.isQualifiedName(parent)) return !isInTypePosition(parent)
  return !isInTypePosition(identifier)
}

const referencesByProgram = new DerivedFact<SourceProgram, ModuleReferences>('module references')

/** One resolver per program, shared by the rules that review the same revision. */
export function moduleReferencesFor(program: SourceProgram): ModuleReferences {
  return referencesByProgram.of(program, () => new ModuleReferences(program))
}

/** Equal global paths (`['process', 'env']`). */
export function isGlobalPath(ref: ModuleRef | undefined, path: readonly string[]): boolean {
  const actual = globalPath(ref)
  return actual !== undefined && actual.length === path.length && actual.every((segment, index) => segment === path[index])
}
