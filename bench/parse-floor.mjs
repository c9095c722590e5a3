// The parse floor: a process that loads TypeScript (the build the engine uses, through ts-morph)
// and parses the given files with createSourceFile, nothing else. Its wall clock from process
// start is what the review is compared with. Usage: node bench/parse-floor.mjs <root> <list-file>
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ts } from 'ts-morph'

const [root, listFile] = process.argv.slice(2)
const paths = readFileSync(listFile, 'utf8').split('\n').filter(Boolean)
const started = performance.now()
const kinds = { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX }
let nodes = 0
for (const path of paths) {
  const kind = kinds[path.slice(path.lastIndexOf('.') + 1)] ?? ts.ScriptKind.TS
  const sourceFile = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true, kind)
  nodes += sourceFile.statements.length
}
const parseMs = performance.now() - started
process.stdout.write(`${JSON.stringify({ files: paths.length, statements: nodes, parseMs, processMs: performance.now(), maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`)
