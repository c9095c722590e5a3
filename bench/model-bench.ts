// `npm run bench:model`: generates a synthetic integrations repository (the shapes real destinations
// use: imported actions, fields.ts with spreads, shared constants, presets with defaultValues,
// helpers, conditional required, dynamic fields), then measures the static extractor against
// the floor — TypeScript's createSourceFile over the same files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ts } from 'ts-morph'
import { discoverIntegrations } from '../src/discover/discover-integrations.js'
import { extractIntegration } from '../src/model/extract-integration.js'
import { ParseCache } from '../src/model/source-program.js'
import { DirectoryFileSource } from '../src/source/directory-file-source.js'
import { generateRepository } from './synthetic-repo.js'

const DESTINATIONS = Number(process.env.BENCH_DESTINATIONS ?? 260)

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

function extractAll(root: string, limit?: number) {
  const source = new DirectoryFileSource(root)
  const locations = discoverIntegrations(source).slice(0, limit)
  const cache = new ParseCache()
  const perIntegration: number[] = []
  const parsedPaths = new Set<string>()
  let unresolved = 0
  for (const location of locations) {
    const start = performance.now()
    const model = extractIntegration(source, location, { cache })
    perIntegration.push(performance.now() - start)
    unresolved += model.unresolved.length
    for (const file of model.program.parsedFiles()) parsedPaths.add(file.path)
  }
  return { locations: locations.length, perIntegration, parsedPaths: [...parsedPaths], unresolved }
}

function parseFloor(root: string, paths: string[]): number {
  const start = performance.now()
  for (const path of paths)
    ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  return performance.now() - start
}

// BENCH_KEEP_DIR keeps the generated corpus (for profiling); by default it is removed.
const keepDir = process.env.BENCH_KEEP_DIR
const root = keepDir ?? mkdtempSync(join(tmpdir(), 'integration-review-bench-'))
try {
  process.stderr.write(`generating ${DESTINATIONS} destinations in ${root}...\n`)
  generateRepository(root, DESTINATIONS)
  const corpusFiles = new DirectoryFileSource(root).listFiles()

  // Warm the JIT for both paths with one full pass each, so neither side pays for it in the measurement.
  const coldStarted = performance.now()
  const warm = extractAll(root)
  const coldMs = performance.now() - coldStarted
  const coldFloorMs = parseFloor(root, warm.parsedPaths)

  const started = performance.now()
  const run = extractAll(root)
  const extractMs = performance.now() - started
  const floorMs = parseFloor(root, run.parsedPaths)
  const sorted = [...run.perIntegration].sort((a, b) => a - b)
  const peakRssMb = process.resourceUsage().maxRSS / 1024

  const lines = [
    `corpus: ${run.locations} destinations, ${corpusFiles.length} files (${run.parsedPaths.length} reached by the models)`,
    `extract every model: ${extractMs.toFixed(0)} ms (discovery, parsing, evaluation, serialisation)`,
    `per integration: p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, max ${sorted.at(-1)?.toFixed(2)} ms`,
    `floor (read + ts.createSourceFile of the same ${run.parsedPaths.length} files): ${floorMs.toFixed(0)} ms`,
    `ratio to floor: ${(extractMs / floorMs).toFixed(2)}x (target <= 2x), both warm`,
    `first, cold pass: extract ${coldMs.toFixed(0)} ms, floor ${coldFloorMs.toFixed(0)} ms (JIT warming up on the extractor's side)`,
    `peak RSS: ${peakRssMb.toFixed(0)} MB (target < 1024 MB)`,
    `unresolved values: ${run.unresolved}`
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
} finally {
  if (!keepDir) rmSync(root, { recursive: true, force: true })
}
