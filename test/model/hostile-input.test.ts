// Hostile and broken input: the model is still built from what can be read, problems are
// listed, nothing crashes or hangs, and code under review is never executed.
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { objectContaining, stringContaining, stringMatching } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { runCli } from '../../src/cli/main.js'

const ROOT = 'packages/destination-actions/src/destinations/evil'
const MARKERS = [
  '/tmp/integration-review-executed-marker',
  '/tmp/integration-review-executed-marker-2',
  '/tmp/integration-review-executed-marker-3'
]

function destinationWith(files: Record<string, string>) {
  const source = new MemoryFileSource(Object.fromEntries(Object.entries(files).map(([path, text]) => [`${ROOT}/${path}`, text])))
  const [location] = discoverIntegrations(source)
  return extractIntegration(source, location)
}

const ACTION = `export default { title: 'Send', description: 'Send it.', fields: {}, perform: () => undefined }\n`

describe('hostile input', () => {
  it('never executes the code under review', async () => {
    for (const marker of MARKERS) rmSync(marker, { force: true })
    const output: string[] = []
    const code = await runCli(
      [
        'model',
        join(import.meta.dirname, '..', 'fixtures', 'model-repo'),
        '--integration',
        'packages/destination-actions/src/destinations/hostile-sink'
      ],
      {
        stdout: (text) => output.push(text),
        stderr: (text) => output.push(text),
        isTty: false,
        cwd: process.cwd()
      }
    )
    // The fixture's top level writes marker files and calls process.exit(42) if it ever runs.
    expect(code).toBe(0)
    for (const marker of MARKERS) expect(existsSync(marker), marker).toBe(false)
    const printed = JSON.parse(output.join('')) as { integrations: Array<{ metadata: { name: string } }> }
    expect(printed.integrations[0].metadata.name).toBe('Hostile Sink')
  })

  it('lists a syntax error and still models the rest of the file', () => {
    const model = destinationWith({
      'index.ts': `import send from './send'\nexport default { name: 'Evil', slug: 'actions-evil', actions: { send } }\n`,
      'send/index.ts': `export default { title: 'Send', description: 'Send it.', fields: { a: { label: 'A', type: 'string' } }, perform: () => { return ( } }\n`
    })
    expect(model.errors.map((error) => error.message)).toEqual(expect.arrayContaining([stringMatching(/^syntax error/)]))
    expect((model.metadata as { actions: { send: { title: string } } }).actions.send.title).toBe('Send')
  })

  it('skips a 5 MB file with an error and models everything else', () => {
    const huge = `export const blob = '${'x'.repeat(5 * 1024 * 1024)}'\n`
    const model = destinationWith({
      'index.ts': `import send from './send'\nimport { blob } from './blob'\nexport default { name: 'Evil', description: blob, actions: { send } }\n`,
      'send/index.ts': ACTION,
      'blob.ts': huge
    })
    expect(model.errors).toEqual([objectContaining({ path: `${ROOT}/blob.ts`, message: stringContaining('exceeds') })])
    expect(model.metadata?.name).toBe('Evil')
    expect(model.metadata?.description).toEqual({ $unresolved: stringContaining('could not be read') })
  })

  it('survives a 10,000-level nested expression', () => {
    const nested = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`
    const model = destinationWith({
      'index.ts': `import send from './send'\nexport default { name: 'Evil', description: ${nested}, actions: { send } }\n`,
      'send/index.ts': ACTION
    })
    expect(model.metadata === null || typeof model.metadata === 'object').toBe(true)
    const described = JSON.stringify(model.metadata?.description ?? null) + JSON.stringify(model.errors)
    expect(described).toMatch(/nested|parsed|unresolved/)
  })

  it('reports a circular import without hanging', () => {
    const model = destinationWith({
      'index.ts': `import send from './send'\nimport { a } from './a'\nexport default { name: a, actions: { send } }\n`,
      'a.ts': `import { b } from './b'\nexport const a = b\n`,
      'b.ts': `import { a } from './a'\nexport const b = a\n`,
      'send/index.ts': ACTION
    })
    expect(model.metadata?.name).toEqual({ $unresolved: stringContaining('circular') })
    expect(model.unresolved).toEqual([objectContaining({ pointer: '/name' })])
  })

  it('does not let constant folding exhaust memory', () => {
    const doublings = Array.from({ length: 40 }, (_, index) => `const a${index + 1} = [...a${index}, ...a${index}]`).join('\n')
    const model = destinationWith({
      'index.ts': `import send from './send'\nconst a0 = [1]\n${doublings}\nexport default { name: 'Evil', presets: a40, actions: { send } }\n`,
      'send/index.ts': ACTION
    })
    expect(model.metadata?.presets).toEqual({ $unresolved: stringContaining('too large') })
  })

  it('keeps __proto__ keys as plain data', () => {
    const model = destinationWith({
      'index.ts': `import send from './send'\nexport default { name: 'Evil', actions: { send }, ['__proto__']: { polluted: true } }\n`,
      'send/index.ts': ACTION
    })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(model.metadata?.name).toBe('Evil')
  })
})
