// Where compiled code is kept between runs: beside the installed packages
// (`node_modules/.cache/integration-review`), never in a shared temporary folder, because the cache
// is code. Plain JavaScript without TypeScript loaded, so the CLI's bin can enable Node's compile
// cache (Node 22+) before it loads the bundle, and src/model/typescript.js keeps V8's code cache
// of TypeScript (Node 20) in the same folder.
import { createRequire } from 'node:module'
import { join } from 'node:path'

/**
 * The cache folder and the TypeScript build it sits beside (the one ts-morph bundles), or
 * undefined for the folder when TypeScript is not installed under a `node_modules`.
 */
export function compileCacheLocation() {
  const requireHere = createRequire(import.meta.url)
  const typescriptFile = createRequire(requireHere.resolve('ts-morph')).resolve('@ts-morph/common/dist/typescript.js')
  const at = typescriptFile.lastIndexOf(join('node_modules', '@ts-morph'))
  return {
    typescriptFile,
    cacheDir: at === -1 ? undefined : join(typescriptFile.slice(0, at), 'node_modules', '.cache', 'integration-review')
  }
}
