// The layers of src/, one direction: a folder imports only folders below it (type-only imports
// included: they couple as much). Read from the import statements with the TypeScript parser,
// never by running the code.
//
// The map, lowest first. `input-error` and `phase-timing` are leaf helpers. `spec` is the Segment
// Spec as data. `source` reads files: the FileSource interface and its directory, git-revision and
// GitHub-tree implementations (the last through a GitTreeReader the GitHub adapter implements).
// `discover` finds integrations in a FileSource; `model` extracts what an integration declares
// (it names discover's IntegrationLocation, so it sits above discover). `rules` check a model,
// `config` is the review config (it names rule ids), `review` runs the rules and decides
// readiness, `report` renders one review. `pull-request` is the pure core of reviewing a pull
// request (the review pipeline, labels, the sticky comment's state block) and `pr-commands` is the
// reviewers' command language (/waive, /approve…): both pure, neither imports the other.
// `github` is the adapter: Octokit I/O, reading a pull request, publishing, storing the command
// state. `app`, `cli` and `demo` are the front doors on top (`action/`, outside src/, is one too).
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
  ['pull-request', 'pr-commands'],
  ['github'],
  // Front doors: nothing imports them, and they do not import each other.
  ['app', 'cli', 'demo']
]

/**
 * Files any layer may import because they import nothing of ours but other leaves: a leaf couples
 * no layer to another. The TypeScript compiler loader lives in the model (its main user) and
 * discover's registry reader parses with it too; moving it would touch every rule for no change in
 * coupling. It finds its cache folder with compile-cache-dir.js, which the CLI's bin also reads.
 */
const LEAF_MODULES: ReadonlySet<string> = new Set(['src/model/typescript.js', 'src/model/compile-cache-dir.js'])

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
    if (LEAF_MODULES.has(found.resolved)) continue
    if (fromRank === undefined || toRank === undefined || toRank >= fromRank)
      violations.push({ edge: `${found.from} -> ${found.resolved}`, line: found.line })
  }
  return violations
}

const ALL_IMPORTS = sourceFiles().flatMap((file) => importsOf(file))

function importsBetween(from: string, to: string): string[] {
  return ALL_IMPORTS.filter(
    (found) =>
      folderOf(found.from) === from && found.resolved !== undefined && found.resolved.startsWith('src/') && folderOf(found.resolved) === to
  ).map((found) => `${found.from}:${found.line} imports ${found.specifier}`)
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
    const intoApp = ALL_IMPORTS.filter((found) => folderOf(found.from) !== 'app' && found.resolved?.startsWith('src/app/')).map(
      (found) => `${found.from}:${found.line} imports ${found.specifier}`
    )
    expect(intoApp).toEqual([])
  })

  it('nothing below src/github imports src/github (the engine, the pure pull-request core and the command language know no Octokit)', () => {
    const below = new Set(LAYERS.slice(0, rankOf('github')).flat())
    const intoGitHub = ALL_IMPORTS.filter((found) => below.has(folderOf(found.from)) && found.resolved?.startsWith('src/github/')).map(
      (found) => `${found.from}:${found.line} imports ${found.specifier}`
    )
    expect(below.has('pull-request') && below.has('pr-commands') && below.has('model')).toBe(true)
    expect(intoGitHub).toEqual([])
  })

  it('src/pull-request and src/pr-commands do not import each other', () => {
    expect([...importsBetween('pull-request', 'pr-commands'), ...importsBetween('pr-commands', 'pull-request')]).toEqual([])
  })

  it('no import goes up a layer or sideways within a rank', () => {
    expect(layerViolations(ALL_IMPORTS).map((violation) => `${violation.edge} (line ${violation.line})`)).toEqual([])
  })

  it('every leaf module exists and imports nothing of ours but other leaves', () => {
    for (const leaf of LEAF_MODULES) {
      const file = sourceFiles().find((path) => path.endsWith(`/${leaf}`))
      expect(file, leaf).toBeDefined()
      expect(importsOf(file as string).filter((found) => found.resolved?.startsWith('src/') && !LEAF_MODULES.has(found.resolved))).toEqual(
        []
      )
    }
  })

  it('flags an import that goes up, sideways within a rank, or into an unknown folder, and lets a leaf module through', () => {
    const at = (from: string, resolved: string, typeOnly = false): SourceImport => ({
      from,
      specifier: resolved,
      resolved,
      line: 1,
      typeOnly,
      dynamic: false
    })
    expect(
      layerViolations([
        at('src/rules/security/x.ts', 'src/review/suppression-comments.ts'),
        at('src/model/extract.ts', 'src/rules/rule.ts', true),
        at('src/github/x.ts', 'src/app/probot-app.ts'),
        at('src/cli/main.ts', 'src/demo/main.ts'),
        at('src/rules/x.ts', 'src/newfolder/y.ts'),
        at('src/pr-commands/x.ts', 'src/github/github-client.ts', true),
        at('src/pull-request/x.ts', 'src/pr-commands/y.ts'),
        at('src/source/x.ts', 'src/github/github-client.ts'),
        at('src/discover/x.ts', 'src/model/extract-integration.ts'),
        at('src/review/run-review.ts', 'src/rules/support/suppression-comments.ts'),
        at('src/rules/x.ts', 'src/rules/support/y.ts'),
        at('src/github/x.ts', 'src/pull-request/y.ts'),
        at('src/discover/destination-registry.ts', 'src/model/typescript.js')
      ]).map((violation) => violation.edge)
    ).toEqual([
      'src/rules/security/x.ts -> src/review/suppression-comments.ts',
      'src/model/extract.ts -> src/rules/rule.ts',
      'src/github/x.ts -> src/app/probot-app.ts',
      'src/cli/main.ts -> src/demo/main.ts',
      'src/rules/x.ts -> src/newfolder/y.ts',
      'src/pr-commands/x.ts -> src/github/github-client.ts',
      'src/pull-request/x.ts -> src/pr-commands/y.ts',
      'src/source/x.ts -> src/github/github-client.ts',
      'src/discover/x.ts -> src/model/extract-integration.ts'
    ])
  })
})
