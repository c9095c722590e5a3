// Parsing one file into a syntax tree whose nodes know their parents, as
// `ts.createSourceFile(…, setParentNodes: true)` gives, in one walk of the tree.
//
// Why not TypeScript's own pass: `setParentRecursive` gathers each node's children into a fresh
// array through a fresh closure (`gatherPossibleChildren`, with `unshift`), about a tenth of all
// the memory a whole-repository review allocates, and the rules' syntax index walks the tree
// again. Here the walk that builds the index sets the same parents (JSDoc included).
import { indexSettingParents } from './syntax-index.js'
import { ts } from './typescript.js'

/** `text` parsed as `path`, every node's `parent` set and the tree indexed (see syntax-index). */
export function parseTree(path: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  const sourceFile = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind)
  indexSettingParents(sourceFile)
  return sourceFile
}
