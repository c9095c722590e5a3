// `npm run build:action`: bundles action/main.ts and src/ into action/dist/index.js.
import { statSync } from 'node:fs'
import { build } from 'esbuild'
import { BUNDLE_PATH, actionBuildOptions } from './build-options.js'

const result = await build(actionBuildOptions())
for (const warning of result.warnings) process.stderr.write(`warning: ${warning.text}\n`)
process.stdout.write(`wrote action/dist/index.js (${(statSync(BUNDLE_PATH).size / 1024 / 1024).toFixed(1)} MB)\n`)
