// `npm run bench`: generates a synthetic integrations repository (the shapes real destinations
// use: imported actions, fields.ts with spreads, shared constants, presets with defaultValues,
// helpers, conditional required, dynamic fields), then measures the static extractor against
// the floor — TypeScript's createSourceFile over the same files.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ts } from 'ts-morph'
import { discoverIntegrations } from '../src/discover/discover-integrations.js'
import { extractIntegration } from '../src/model/extract-integration.js'
import { ParseCache } from '../src/model/source-program.js'
import { DirectoryFileSource } from '../src/source/directory-file-source.js'

const DESTINATIONS = Number(process.env.BENCH_DESTINATIONS ?? 260)

function write(root: string, path: string, text: string): void {
  const full = join(root, path)
  mkdirSync(full.slice(0, full.lastIndexOf('/')), { recursive: true })
  writeFileSync(full, text)
}

function field(key: string, index: number): string {
  const type = ['string', 'number', 'boolean', 'datetime', 'object'][index % 5]
  return `    ${key}: {
      label: '${key.replace(/_/g, ' ')}',
      description: 'The ${key.replace(/_/g, ' ')} of the event, as sent to the partner API.',
      type: '${type}',
      ${index % 4 === 0 ? "required: true," : ''}
      ${index % 3 === 0 ? `default: { '@path': '$.properties.${key}' },` : ''}
      ${index % 7 === 0 ? "choices: ['alpha', 'beta', 'gamma']," : ''}
    }`
}

function generateDestination(root: string, index: number): void {
  const slug = `bench-${index}`
  const dir = `packages/destination-actions/src/destinations/${slug}`
  const actions = Array.from({ length: 4 + (index % 4) }, (_, n) => `action${n}`)
  write(root, `${dir}/constants.ts`, `export const BASE_URL = 'https://api.${slug}.example'\nexport const VERSION = 'v${index % 3}'\nexport const MAX = ${100 + index}\n`)
  write(root, `${dir}/fields.ts`, `import type { InputField } from '@segment/actions-core'
import { VERSION } from './constants'

export const email: InputField = { label: 'Email', description: 'Email of the user (' + VERSION + ').', type: 'string', format: 'email', default: { '@path': '$.traits.email' } }
export const userId: InputField = { label: 'User ID', description: \`User ID for \${VERSION}\`, type: 'string', default: { '@path': '$.userId' } }
export const commonFields = {
  email,
  user_id: userId,
${Array.from({ length: 6 }, (_, n) => field(`common_${n}`, n + index)).join(',\n')}
}
export const makeProperties = () => ({ properties: { label: 'Properties', description: 'Event properties.', type: 'object' as const, default: { '@path': '$.properties' } } })
`)
  for (const [n, action] of actions.entries()) {
    write(root, `${dir}/${action}/index.ts`, `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { commonFields, email, makeProperties } from '../fields'
import { BASE_URL, MAX } from '../constants'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Action ${n}',
  description: 'Send action ${n} events to the partner.',
  defaultSubscription: 'type = "track" and event = "Event ${n}"',
  fields: {
    ...commonFields,
    ...makeProperties(),
    email: { ...email, required: true },
${Array.from({ length: 8 + (n % 5) }, (_, k) => field(`field_${k}`, k + n)).join(',\n')},
    mode: { label: 'Mode', description: 'Sync mode.', type: 'string', required: { conditions: [{ fieldKey: 'email', operator: 'is', value: 'x' }] }, dynamic: true },
    batch_size: { label: 'Batch Size', description: 'Events per batch.', type: 'number', minimum: 1, maximum: MAX, default: MAX }
  },
  dynamicFields: { mode: async () => ({ choices: [] }) },
  perform: (request, { payload }) => request(\`\${BASE_URL}/events\`, { method: 'post', json: payload }),
  performBatch: (request, { payload }) => request(\`\${BASE_URL}/batch\`, { method: 'post', json: payload })
}

export default action
`)
    write(root, `${dir}/${action}/generated-types.ts`, `export interface Payload {\n  email: string\n  user_id?: string\n}\n`)
    write(root, `${dir}/${action}/__tests__/index.test.ts`, `import nock from 'nock'\nit('works', () => { nock('https://api.${slug}.example').post('/events').reply(200) })\n`)
  }
  write(root, `${dir}/generated-types.ts`, `export interface Settings {\n  apiKey: string\n}\n`)
  write(root, `${dir}/index.ts`, `import type { DestinationDefinition } from '@segment/actions-core'
import { defaultValues } from '@segment/actions-core'
import type { Settings } from './generated-types'
${actions.map((action) => `import ${action} from './${action}'`).join('\n')}
import { BASE_URL } from './constants'

const destination: DestinationDefinition<Settings> = {
  name: 'Bench ${index} (Actions)',
  slug: 'actions-${slug}',
  mode: 'cloud',
  description: 'Synthetic destination ${index}.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: { label: 'API Key', description: 'Your API key.', type: 'password', required: true },
      region: { label: 'Region', description: 'Data region.', type: 'string', choices: [{ label: 'US', value: 'us' }, { label: 'EU', value: 'eu' }], default: 'us' }
    },
    testAuthentication: (request) => request(\`\${BASE_URL}/me\`)
  },
  presets: [
${actions.map((action) => `    { name: '${action}', subscribe: 'type = "track"', partnerAction: '${action}', mapping: { ...defaultValues(${action}.fields), extra: 'x' }, type: 'automatic' }`).join(',\n')}
  ],
  actions: { ${actions.join(', ')} }
}

export default destination
`)
}

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
  for (const path of paths) ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  return performance.now() - start
}

// BENCH_KEEP_DIR keeps the generated corpus (for profiling); by default it is removed.
const keepDir = process.env.BENCH_KEEP_DIR
const root = keepDir ?? mkdtempSync(join(tmpdir(), 'integration-review-bench-'))
try {
  process.stderr.write(`generating ${DESTINATIONS} destinations in ${root}...\n`)
  for (let index = 0; index < DESTINATIONS; index++) generateDestination(root, index)
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
