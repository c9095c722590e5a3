// Parsing one file into a syntax tree whose nodes know their parents, as
// `ts.createSourceFile(…, setParentNodes: true)` gives, in one walk of the tree.
//
// Why not TypeScript's own pass: `setParentRecursive` gathers each node's children into a fresh
// array through a fresh closure (`gatherPossibleChildren`, with `unshift`), about a tenth of all
// the memory a whole-repository review allocates, and the rules' syntax index walks the tree
// again. Here the walk that builds the index sets the same parents.
import { indexSettingParents } from './syntax-index.js'
import { ts } from './typescript.js'

/**
 * JSDoc comments stay comments: no rule reads them as syntax (`node.jsDoc`), and parsing them
 * costs the parser time on documented code. TypeScript's own services do the same
 * (`JSDocParsingMode`) where they do not need them. Parse errors do not change: JSDoc's own go to
 * `jsDocDiagnostics`, which nothing reads.
 */
export const PARSE_OPTIONS: ts.CreateSourceFileOptions = {
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone
}

/** `text` parsed as `path`, every node's `parent` set and the tree indexed (see syntax-index). */
export function parseTree(path: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  const sourceFile = ts.createSourceFile(path, text, PARSE_OPTIONS, false, kind)
  indexSettingParents(sourceFile)
  return sourceFile
}
