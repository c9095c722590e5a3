// Module top-level code runs when a definition is loaded, so it can change objects after
// they are declared (`fields.email.required = true`, `LIST.push(x)`, `delete fields.tmp`).
// A static model that ignored those writes would report the declared value: wrong, not
// unknown. This finds every module the entry loads, and marks each object such code may write
// as unresolved, so whatever reads it says so.
import { ts } from './typescript.js'
import type { ParsedFile, SourceProgram } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { LoadTimeWalk } from './load-time-code.js'
import { WriteMarker, markEverythingIn } from './write-marker.js'
import { isAccountedWrite, runModuleInitialisers, type ModuleInitialiser } from './module-initialisers.js'

/** Every repository module the entry loads: static imports and re-exports, transitively. */
export function loadedModules(program: SourceProgram, entryPath: string): ParsedFile[] {
  const seen = new Set<string>([entryPath])
  const queue = [entryPath]
  const files: ParsedFile[] = []
  while (queue.length > 0) {
    const file = program.getFile(queue.shift() as string)
    if (!file) continue
    files.push(file)
    for (const statement of file.sourceFile.statements) {
      let specifier: ts.Expression | undefined
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier
      if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier
      if (!specifier || !ts.isStringLiteral(specifier)) continue
      const resolution = program.resolveModule(file.path, specifier.text)
      if (resolution.kind === 'file' && !seen.has(resolution.path)) {
        seen.add(resolution.path)
        queue.push(resolution.path)
      }
    }
  }
  return files
}

/**
 * A cheap text test that rules out most files: a write needs an assignment to a member, a
 * `delete`, an increment, or a mutating method. Linear-time patterns only.
 */
const POSSIBLE_WRITE = new RegExp(
  [
    '[\\])]\\s*(?:[-+*/%|&^]|\\|\\||&&|\\?\\?|<<|>>>?)?=(?![=>])',
    '\\.\\s*[A-Za-z_$][\\w$]*\\s*(?:[-+*/%|&^]|\\|\\||&&|\\?\\?|<<|>>>?)?=(?![=>])',
    '\\bdelete\\b',
    '\\+\\+|--',
    '\\.\\s*(?:push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin|add|set|delete|clear)\\s*\\(',
    '\\b(?:Object|Reflect)\\s*\\.\\s*(?:assign|defineProperty|defineProperties|setPrototypeOf|set|deleteProperty)\\b'
  ].join('|')
)

const mayWriteCache = new WeakMap<ts.SourceFile, boolean>()

function mayWrite(file: ParsedFile): boolean {
  let known = mayWriteCache.get(file.sourceFile)
  if (known === undefined) {
    known = POSSIBLE_WRITE.test(file.text)
    mayWriteCache.set(file.sourceFile, known)
  }
  return known
}

/**
 * Runs, in every loaded module, the top-level statements that fill an object right after its
 * declaration (see module-initialisers), before anything else evaluates a declaration: what
 * reads those objects must see them filled, as it does in JS, where a module's imports finish
 * loading before its own code runs (hence the reverse of the load order: dependencies first).
 */
export function runLoadTimeInitialisers(files: readonly ParsedFile[], evaluator: StaticEvaluator): Map<string, ModuleInitialiser[]> {
  const initialisers = new Map<string, ModuleInitialiser[]>()
  for (const file of [...files].reverse()) if (mayWrite(file)) initialisers.set(file.path, runModuleInitialisers(file, evaluator))
  return initialisers
}

/** Marks the objects that code running while `file` loads may modify, apart from the writes its initialisers ran. */
export function markModuleMutations(file: ParsedFile, evaluator: StaticEvaluator, initialisers: readonly ModuleInitialiser[] = []): void {
  // Load-time code can only write through this module or a helper of a module it loads.
  if (!mayWrite(file) && !loadedModules(evaluator.program, file.path).some(mayWrite)) return
  const walk = new LoadTimeWalk(evaluator, mayWrite)
  if (!walk.run(file)) {
    markEverythingIn(file, evaluator, 'the module is too large to check for changes to its objects')
    return
  }
  const marker = new WriteMarker(evaluator, walk)
  for (const write of walk.writes) {
    if (write.file !== file || !isAccountedWrite(initialisers, write.target, write.site)) marker.mark(write)
  }
}
