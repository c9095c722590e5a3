// Part of `npm run build`: bundles the CLI into dist/cli/ (see cliBuildOptions).
import { build } from 'esbuild'
import { cliBuildOptions } from './build-options.js'

const result = await build(cliBuildOptions())
for (const warning of result.warnings) process.stderr.write(`warning: ${warning.text}\n`)
