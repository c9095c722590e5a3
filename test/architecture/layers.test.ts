// The layers of src/, one direction: a folder imports only folders below it (type-only imports
// included: they couple as much). Read from the import statements with the TypeScript parser,
// never by running the code. Known exceptions are listed by file, each with why, and must still
// exist: fixing one means deleting its entry.
import { describe, expect, it } from 'vitest'
import { importsOf, sourceFiles, type SourceImport } from './source-imports.js'

/** Lowest first. Folders on one rank must not import each other. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['input-error', 'phase-timing'],
  ['spec'],
  ['source'],
  ['discover'],
  ['model'],
  ['rules'],
  ['config'],
  ['review'],
  ['report'],
  ['commands'],
  ['github'],
  // Front doors: nothing imports them, and they do not import each other.
  ['app', 'cli', 'demo']
]

/** `from -> to` (repository paths) that break the layering today. */
const KNOWN_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  // The TypeScript compiler loader lives in the model but is a utility the discovery's registry reader needs too.
  ['src/discover/destination-registry.ts -> src/model/typescript.js', 'the compiler loader belongs below both (issue 17, item 5 territory)'],
  // The reviewer command language and the GitHub layer import each other (issue 17, item 5).
  ['src/commands/authorise.ts -> src/github/github-client.ts', 'commands ⇄ github (issue 17, item 5)'],
  ['src/commands/state-store.ts -> src/github/comment-state.ts', 'commands ⇄ github (issue 17, item 5)'],
  ['src/commands/state-store.ts -> src/github/github-client.ts', 'commands ⇄ github (issue 17, item 5)']
])

function folderOf(path: string): string {
  const [, first] = path.split('/')
  return first.replace(/\.[cm]?[jt]s$/, '')
}

function rankOf(folder: string): number | undefined {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder))
  return rank < 0 ? undefined : rank
}

/** The imports of our own files that go up (or sideways within a rank), as `from -> to` with the line. */
function layerViolations(imports: readonly SourceImport[]): Array<{ edge: string; line: number }> {
  const violations: Array<{ edge: string; line: number }> = []
  for (const found of imports) {
    if (found.resolved === undefined || !found.resolved.startsWith('src/')) continue
    const from = folderOf(found.from)
    const to = folderOf(found.resolved)
    if (from === to) continue
    const fromRank = rankOf(from)
    const toRank = rankOf(to)
    if (fromRank === undefined || toRank === undefined || toRank >= fromRank) violations.push({ edge: `${found.from} -> ${found.resolved}`, line: found.line })
  }
  return violations
}

const ALL_IMPORTS = sourceFiles().flatMap((file) => importsOf(file))

function importsBetween(from: string, to: string): string[] {
  return ALL_IMPORTS.filter((found) => folderOf(found.from) === from && found.resolved !== undefined && found.resolved.startsWith('src/') && folderOf(found.resolved) === to).map(
    (found) => `${found.from}:${found.line} imports ${found.specifier}`
  )
}

describe('layers of src/', () => {
  it('reads the imports of every file (static, type-only, re-exports and import())', () => {
    expect(ALL_IMPORTS.length).toBeGreaterThan(500)
    expect(ALL_IMPORTS.some((found) => found.typeOnly)).toBe(true)
    expect(ALL_IMPORTS.some((found) => found.dynamic)).toBe(true)
  })

  it('every folder of src/ has a layer', () => {
    const folders = new Set(sourceFiles().map((file) => folderOf(file.slice(file.indexOf('/src/') + 1))))
    expect([...folders].filter((folder) => rankOf(folder) === undefined)).toEqual([])
  })

  it('src/rules does not import src/review', () => {
    expect(importsBetween('rules', 'review')).toEqual([])
  })

  it('src/model does not import src/rules', () => {
    expect(importsBetween('model', 'rules')).toEqual([])
  })

  it('nothing below src/github imports src/app (only the front doors sit above it, and they import no app code either)', () => {
    const intoApp = ALL_IMPORTS.filter((found) => folderOf(found.from) !== 'app' && found.resolved?.startsWith('src/app/')).map((found) => `${found.from}:${found.line} imports ${found.specifier}`)
    expect(intoApp).toEqual([])
  })

  it('no import goes up a layer, apart from the known exceptions', () => {
    const unexpected = layerViolations(ALL_IMPORTS).filter((violation) => !KNOWN_EXCEPTIONS.has(violation.edge))
    expect(unexpected.map((violation) => `${violation.edge} (line ${violation.line})`)).toEqual([])
  })

  it('every known exception still exists (delete the entry once it is fixed)', () => {
    const edges = new Set(layerViolations(ALL_IMPORTS).map((violation) => violation.edge))
    expect([...KNOWN_EXCEPTIONS.keys()].filter((edge) => !edges.has(edge))).toEqual([])
  })

  it('flags an import that goes up, sideways within a rank, or into an unknown folder', () => {
    const at = (from: string, resolved: string, typeOnly = false): SourceImport => ({ from, specifier: resolved, resolved, line: 1, typeOnly, dynamic: false })
    expect(
      layerViolations([
        at('src/rules/security/x.ts', 'src/review/suppression-comments.ts'),
        at('src/model/extract.ts', 'src/rules/rule.ts', true),
        at('src/github/x.ts', 'src/app/probot-app.ts'),
        at('src/cli/main.ts', 'src/demo/main.ts'),
        at('src/rules/x.ts', 'src/newfolder/y.ts'),
        at('src/review/run-review.ts', 'src/rules/support/suppression-comments.ts'),
        at('src/rules/x.ts', 'src/rules/support/y.ts')
      ]).map((violation) => violation.edge)
    ).toEqual([
      'src/rules/security/x.ts -> src/review/suppression-comments.ts',
      'src/model/extract.ts -> src/rules/rule.ts',
      'src/github/x.ts -> src/app/probot-app.ts',
      'src/cli/main.ts -> src/demo/main.ts',
      'src/rules/x.ts -> src/newfolder/y.ts'
    ])
  })
})
