// The TypeScript compiler API, loaded the cheap way: `require` of the exact build ts-morph bundles
// (so trees are identical to what ts-morph would give), without loading ts-morph's own 4 MB of
// wrappers or running Node's ESM export scan over them. The engine uses only the compiler API.
// Types come from typescript.d.ts beside this file. Plain JavaScript: a TypeScript module cannot
// re-export a namespace's types under a value loaded at run time.
//
// Compiling TypeScript's 9 MB of JavaScript is most of a short review's start-up (a one-file pull
// request). Node 22+ keeps compiled code between runs itself (`module.enableCompileCache`); on
// Node 20 this module keeps V8's code cache of that one file. Either lives beside the installed
// packages (`node_modules/.cache/integration-review`), never in a shared temporary folder: the
// cache is code.
// V8 checks the cache against the source and its own version and flags, and rejects a stale one;
// without a writable cache folder TypeScript loads as before.
import { isAscii } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import module, { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { compileCacheLocation } from './compile-cache-dir.js'
import { Script } from 'node:vm'

const { typescriptFile, cacheDir } = compileCacheLocation()
const requireFromTsMorph = createRequire(typescriptFile)

/**
 * The file's text. TypeScript's build is plain ASCII: decoding it as such takes a sixth of the
 * time UTF-8 decoding of its 9 MB takes (about 100 ms of every start); anything else is UTF-8.
 */
function readText(path) {
  const bytes = readFileSync(path)
  return isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString('utf8')
}

function loadTypeScript() {
  // Already loaded (by ts-morph, in tests): one compiler instance per process.
  const known = requireFromTsMorph.cache[typescriptFile]
  if (known?.loaded) return known.exports
  if (cacheDir === undefined) return requireFromTsMorph(typescriptFile)
  if (typeof module.enableCompileCache === 'function') {
    // Already enabled by the CLI's bin, before it loaded the bundle; enabled here otherwise (the App, tests).
    module.enableCompileCache(cacheDir)
    return requireFromTsMorph(typescriptFile)
  }
  let source
  try {
    source = readText(typescriptFile)
  } catch {
    return requireFromTsMorph(typescriptFile)
  }
  // Keyed by the file's size and time rather than a hash of its 9 MB (a hash costs more than the
  // read); V8 checks the source again and rejects a cache made for other text.
  let stamp
  try {
    const stat = statSync(typescriptFile)
    stamp = `${stat.size}:${stat.mtimeMs}`
  } catch {
    stamp = String(source.length)
  }
  const key = createHash('sha256').update(process.version).update(process.arch).update(stamp).digest('hex').slice(0, 16)
  const cacheFile = join(cacheDir, `typescript-${key}.v8`)
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new Script(module.wrap(source), { filename: typescriptFile, cachedData })
  const compiled = script.runInThisContext()
  // Registered as `require` would, so a later `require` of the file (ts-morph's) gets this instance.
  const loaded = new module(typescriptFile)
  loaded.filename = typescriptFile
  requireFromTsMorph.cache[typescriptFile] = loaded
  try {
    compiled.call(loaded.exports, loaded.exports, createRequire(typescriptFile), loaded, typescriptFile, dirname(typescriptFile))
  } catch (error) {
    delete requireFromTsMorph.cache[typescriptFile]
    throw error
  }
  loaded.loaded = true
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, so the cache also holds the functions this run compiled (the parser).
    process.once('exit', () => {
      try {
        mkdirSync(cacheDir, { recursive: true })
        const temporary = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(temporary, script.createCachedData())
        renameSync(temporary, cacheFile)
      } catch {
        // A read-only install: TypeScript is compiled on each run, as without the cache.
      }
    })
  }
  return loaded.exports
}

export const ts = loadTypeScript()
