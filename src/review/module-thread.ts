// Starts a worker thread on one of the engine's own modules. Built code runs the `.js` file; when
// the engine itself runs from TypeScript sources (tests, `tsx`), the `.ts` file runs through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * The thread running module `name` (no extension) next to the caller's module `callerUrl`
 * (its `import.meta.url`); undefined when that module is not there (a bundle made of one file).
 */
export function startModuleThread(callerUrl: string, name: string, options: WorkerOptions = {}): Worker | undefined {
  const fromSource = callerUrl.endsWith('.ts')
  const url = new URL(`./${name}${fromSource ? '.ts' : '.js'}`, callerUrl)
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined
  if (!fromSource) return new Worker(url, options)
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, { ...options, eval: true })
}
