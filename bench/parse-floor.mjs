// The parse floor: a process that loads TypeScript (the build the engine uses, loaded the same
// cheap way: src/model/typescript.js) and parses the given files with createSourceFile, nothing else. Its wall clock from process
// start is what the review is compared with. Usage: node bench/parse-floor.mjs <root> <list-file>
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'

const requireHere = createRequire(import.meta.url)
const ts = createRequire(requireHere.resolve('ts-morph'))('@ts-morph/common/dist/typescript.js')

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
/** User + system CPU time of this process: steadier than wall clock on a shared machine. */
function cpuMs() {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
process.stdout.write(
  `${JSON.stringify({ files: paths.length, statements: nodes, parseMs, processMs: performance.now(), cpuMs: cpuMs(), maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`
)
