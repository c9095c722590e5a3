#!/usr/bin/env node
// Runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import module from 'node:module'
import { compileCacheLocation } from '../dist/src/model/compile-cache-dir.js'

// Node 22+: the bundle's compiled code is kept between runs too, beside TypeScript's (see
// src/model/compile-cache-dir.js). The cache has to be on before the bundle is loaded, hence the
// dynamic import below. Without a cache folder the CLI runs as before.
if (typeof module.enableCompileCache === 'function') {
  const { cacheDir } = compileCacheLocation()
  if (cacheDir !== undefined) module.enableCompileCache(cacheDir)
}
const { runCli } = await import('../dist/cli/main.js')

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  env: process.env
}).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`integration-review: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 3
  }
)
