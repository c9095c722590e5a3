import { Octokit } from '@octokit/rest'
import nock from 'nock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { silentLogger } from '../../src/github/github-client.js'
import { changedPathsOf, isInternalAuthor, listChangedFiles, loadReviewConfig, loadRevisions } from '../../src/github/load-pull-request.js'
import {
  API,
  OWNER,
  REPO,
  quietOctokitLog,
  blobResponse,
  blobSha,
  commitSha,
  exampleRevisions,
  folderSha,
  repoPath,
  subtreeResponse,
  treeResponse,
  type RepoFiles
} from './github-fixture.js'

const repository = { owner: OWNER, repo: REPO }
const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const LIB = 'packages/destination-actions/src/lib/hashing-utils.ts'
const HEAD = commitSha('load-head')
const BASE = commitSha('load-base')

function client(): Octokit {
  return new Octokit({ auth: 'test-token', log: quietOctokitLog() })
}

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
})

function mockTree(scope: nock.Scope, files: RepoFiles, sha: string, truncated = false) {
  const whole = treeResponse(files, sha)
  // A truncated listing stops early: here, after the top-level entries.
  const tree = truncated ? whole.tree.filter((item) => !item.path.includes('/')) : whole.tree
  scope
    .get(repoPath(`/git/trees/${sha}`))
    .query({ recursive: '1' })
    .reply(200, { ...whole, tree, truncated })
}

function mockBlobs(scope: nock.Scope, files: RepoFiles, paths: string[]) {
  for (const path of paths)
    scope.get(repoPath(`/git/blobs/${blobSha(files.get(path) ?? '')}`)).reply(200, blobResponse(files.get(path) ?? ''))
}

describe('loadRevisions', () => {
  it('loads the touched integration and what it imports, at head and base; the cache serves repeats', async () => {
    const { base, head } = exampleRevisions()
    // Unrelated files of the repository are never fetched.
    head.set('packages/destination-actions/src/destinations/other/index.ts', 'export default {}')
    head.set('packages/destination-actions/src/destinations/wavelet/logo.png', 'binary-looking')
    base.set('packages/destination-actions/src/destinations/other/index.ts', 'export default {}')
    // Changed files outside integrations are loaded at head and base: the pull-request rules read them.
    head.set(
      'package.json',
      (head.get('package.json') ?? '').replace('"private": true,', '"private": true,\n  "dependencies": { "left-pad": "*" },')
    )
    head.set('.npmrc', '//registry.npmjs.org/:_authToken=npm_abc\n')
    const changedPaths = [
      '.npmrc',
      'package.json',
      `${WAVELET}index.ts`,
      `${WAVELET}identifyUser/index.ts`,
      `${WAVELET}identifyUser/generated-types.ts`,
      `${WAVELET}generated-types.ts`
    ]
    const cache = new BlobCache()
    const headPaths = [...head.keys()].filter((path) => path.startsWith(WAVELET) && !path.endsWith('.png'))
    const scope = nock(API)
    mockTree(scope, head, HEAD)
    mockBlobs(scope, head, [...headPaths, '.npmrc', 'package.json', LIB])
    mockTree(scope, base, BASE)
    mockBlobs(scope, base, [`${WAVELET}index.ts`, `${WAVELET}generated-types.ts`, 'package.json'])
    const loaded = await loadRevisions(
      client(),
      repository,
      { headSha: HEAD, baseSha: BASE },
      { changedPaths, config: defaultReviewConfig(), cache, log: silentLogger }
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(loaded.head.listFiles()).toEqual([...headPaths, '.npmrc', 'package.json', LIB].sort())
    expect(loaded.head.readFile(LIB)).toBe(head.get(LIB))
    expect(loaded.head.readFile('package.json')).toContain('left-pad')
    expect(loaded.base.listFiles()).toEqual([...[...base.keys()].filter((path) => path.startsWith(WAVELET)), 'package.json'].sort())
    expect(loaded.base.readFile(`${WAVELET}index.ts`)).toBe(base.get(`${WAVELET}index.ts`))
    expect(loaded.base.readFile('package.json')).not.toContain('left-pad')
    expect(loaded.skipped).toEqual([])
    expect(loaded.stats.blobsFetched).toBe(headPaths.length + 3 + 3)

    // The next push changes one file: only its blob is fetched.
    const next = new Map(head)
    next.set(
      `${WAVELET}identifyUser/index.ts`,
      (head.get(`${WAVELET}identifyUser/index.ts`) ?? '').replace('type = identify', 'type = "identify"')
    )
    const nextSha = commitSha('load-head-2')
    const again = nock(API)
    mockTree(again, next, nextSha)
    mockBlobs(again, next, [`${WAVELET}identifyUser/index.ts`])
    mockTree(again, base, BASE)
    const reloaded = await loadRevisions(
      client(),
      repository,
      { headSha: nextSha, baseSha: BASE },
      { changedPaths, config: defaultReviewConfig(), cache }
    )
    expect(again.pendingMocks()).toEqual([])
    expect(reloaded.stats.blobsFetched).toBe(1)
    expect(reloaded.head.readFile(`${WAVELET}identifyUser/index.ts`)).toContain('type = "identify"')
  })

  it('lists needed folders one by one when GitHub truncates the tree; keeps to the per-file and file-count limits and says what it skipped', async () => {
    const { base, head } = exampleRevisions()
    const big = `export const table = ${JSON.stringify('x'.repeat(5000))}\n`
    head.set(`${WAVELET}data/table.ts`, big)
    const { config } = parseReviewConfig('limits:\n  maxFileBytes: 4000\n  maxFiles: 5\n')
    // The first five files of each revision in listing order (the big one is skipped before counting).
    const inTreeOrder = (files: RepoFiles, sha: string) =>
      treeResponse(files, sha)
        .tree.filter((entry) => entry.type === 'blob' && entry.path.startsWith(WAVELET) && entry.path !== `${WAVELET}data/table.ts`)
        .map((entry) => entry.path)
    const headFirst = inTreeOrder(head, HEAD).slice(0, 5)
    const fetchedShas = new Set(headFirst.map((path) => blobSha(head.get(path) ?? '')))
    const baseFirst = inTreeOrder(base, BASE).slice(0, 5)
    const scope = nock(API)
    mockTree(scope, head, HEAD, true)
    // GitHub truncated the listing: the loader walks down to each folder it needs and lists it alone.
    const list = (folder: string, recursive: boolean) => {
      const sha = folder === '' ? HEAD : folderSha(folder)
      const request = scope.get(repoPath(`/git/trees/${sha}`))
      ;(recursive ? request.query({ recursive: '1' }) : request).reply(200, subtreeResponse(head, folder, sha, recursive))
    }
    for (const folder of [
      '',
      'packages',
      'packages/destination-actions',
      'packages/destination-actions/src',
      'packages/destination-actions/src/destinations'
    ])
      list(folder, false)
    list(WAVELET.slice(0, -1), true)
    list('packages/destination-actions/src/lib', true)
    for (const folder of [WAVELET.slice(0, -1), `${WAVELET}data`]) list(folder, false)
    mockBlobs(scope, head, headFirst)
    mockTree(scope, base, BASE)
    mockBlobs(
      scope,
      base,
      baseFirst.filter((path) => !fetchedShas.has(blobSha(base.get(path) ?? '')))
    )
    const loaded = await loadRevisions(
      client(),
      repository,
      { headSha: HEAD, baseSha: BASE },
      {
        changedPaths: [`${WAVELET}data/table.ts`, `${WAVELET}index.ts`],
        config,
        cache: new BlobCache()
      }
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(loaded.head.listFiles()).toHaveLength(5)
    expect(loaded.skipped).toEqual([
      expect.stringMatching(/data\/table\.ts \(head\): 4\.9 KB is over the 3\.9 KB per-file limit/),
      expect.stringMatching(/^head: stopped loading files at the limits \(5 files/),
      expect.stringMatching(/^base: stopped loading files at the limits \(5 files/)
    ])
  })

  it('stops at the total-byte limit, counting a blob shared by head and base once', async () => {
    const { base, head } = exampleRevisions()
    const { config } = parseReviewConfig('limits:\n  maxTotalBytes: 2000\n')
    const entries = treeResponse(head, HEAD).tree.filter((entry) => entry.type === 'blob' && entry.path.startsWith(WAVELET))
    const within: string[] = []
    let total = 0
    for (const entry of entries) {
      if (total + (entry.size ?? 0) > 2000) continue
      total += entry.size ?? 0
      within.push(entry.path)
    }
    const scope = nock(API)
    mockTree(scope, head, HEAD)
    mockBlobs(scope, head, within)
    mockTree(scope, base, BASE)
    const headShas = new Set(within.map((path) => blobSha(head.get(path) ?? '')))
    const baseEntries = treeResponse(base, BASE).tree.filter((entry) => entry.type === 'blob' && entry.path.startsWith(WAVELET))
    const baseWithin: string[] = []
    for (const entry of baseEntries) {
      if (headShas.has(entry.sha)) continue
      if (total + (entry.size ?? 0) > 2000) continue
      total += entry.size ?? 0
      baseWithin.push(entry.path)
    }
    mockBlobs(scope, base, baseWithin)
    const loaded = await loadRevisions(
      client(),
      repository,
      { headSha: HEAD, baseSha: BASE },
      { changedPaths: [`${WAVELET}index.ts`], config, cache: new BlobCache() }
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(loaded.stats.bytesLoaded).toBeLessThanOrEqual(2000)
    expect(loaded.head.listFiles()).toEqual([...within].sort())
    expect(loaded.skipped[0]).toMatch(/^head: stopped loading files at the limits \(3000 files, 2\.0 KB in total\)/)
  })
})

describe('listChangedFiles', () => {
  it('follows pagination and stops at the file limit', async () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({ filename: `f${from + index}.ts`, status: 'modified', sha: 'x' }))
    const scope = nock(API)
      .get(repoPath('/pulls/7/files'))
      .query({ per_page: '100' })
      .reply(200, page(0, 100), { link: `<${API}${repoPath('/pulls/7/files')}?per_page=100&page=2>; rel="next"` })
      .get(repoPath('/pulls/7/files'))
      .query({ per_page: '100', page: '2' })
      .reply(200, [...page(100, 49), { filename: 'new-name.ts', previous_filename: 'old-name.ts', status: 'renamed', sha: 'y' }])
    const all = await listChangedFiles(client(), { ...repository, number: 7 }, 500)
    expect(scope.pendingMocks()).toEqual([])
    expect(all.files).toHaveLength(150)
    expect(all.truncated).toBe(false)
    expect(changedPathsOf(all.files)).toContain('old-name.ts')

    const limited = nock(API)
      .get(repoPath('/pulls/7/files'))
      .query({ per_page: '100' })
      .reply(200, page(0, 100), { link: `<${API}${repoPath('/pulls/7/files')}?per_page=100&page=2>; rel="next"` })
    const bounded = await listChangedFiles(client(), { ...repository, number: 7 }, 60)
    expect(limited.pendingMocks()).toEqual([])
    expect(bounded).toMatchObject({ truncated: true })
    expect(bounded.files).toHaveLength(60)
  })
})

describe('loadReviewConfig', () => {
  it('reads the base branch config, falls back to defaults on 404, reports invalid keys', async () => {
    const scope = nock(API)
      .get(repoPath('/contents/.github%2Fintegration-review.yml'))
      .query({ ref: 'main' })
      .reply(404, { message: 'Not Found' })
      .get(repoPath('/contents/.github%2Fintegration-review.yml'))
      .query({ ref: 'main' })
      .reply(200, {
        type: 'file',
        encoding: 'base64',
        content: Buffer.from('checkRun:\n  warningsConclusion: maybe\nlabels:\n  blocked: "status: blocked"\n').toString('base64')
      })
    const absent = await loadReviewConfig(client(), repository, 'main')
    expect(absent).toEqual({ config: defaultReviewConfig(), errors: [] })
    const invalid = await loadReviewConfig(client(), repository, 'main')
    expect(scope.pendingMocks()).toEqual([])
    expect(invalid.config.labels.blocked).toBe('status: blocked')
    expect(invalid.config.checkRun.warningsConclusion).toBe('success')
    expect(invalid.errors).toEqual([expect.stringContaining('checkRun.warningsConclusion')])
  })

  it('lets other errors through (the review reports them on the check run)', async () => {
    nock(API)
      .get(repoPath('/contents/.github%2Fintegration-review.yml'))
      .query({ ref: 'main' })
      .reply(403, { message: 'Resource not accessible by integration' })
    await expect(loadReviewConfig(client(), repository, 'main')).rejects.toThrow(/not accessible/)
  })
})

describe('isInternalAuthor', () => {
  const pr = { owner: OWNER, authorLogin: 'wavelet-dev', authorAssociation: 'CONTRIBUTOR' }

  it('trusts configured associations and users without asking GitHub', async () => {
    expect(await isInternalAuthor(client(), { ...pr, authorAssociation: 'MEMBER' }, defaultReviewConfig(), silentLogger)).toBe(true)
    const { config } = parseReviewConfig('internal:\n  users: [Wavelet-Dev]\n')
    expect(await isInternalAuthor(client(), pr, config, silentLogger)).toBe(true)
    expect(await isInternalAuthor(client(), pr, defaultReviewConfig(), silentLogger)).toBe(false)
  })

  it('asks for team membership: active member is internal, 404 or an error is a partner', async () => {
    const { config } = parseReviewConfig('internal:\n  teams: [integrations-eng, other-org/partners-team]\n')
    const scope = nock(API)
      .get(`/orgs/${OWNER}/teams/integrations-eng/memberships/wavelet-dev`)
      .reply(404, { message: 'Not Found' })
      .get('/orgs/other-org/teams/partners-team/memberships/wavelet-dev')
      .reply(200, { state: 'active', role: 'member' })
    expect(await isInternalAuthor(client(), pr, config, silentLogger)).toBe(true)
    const failing = nock(API)
      .get(`/orgs/${OWNER}/teams/integrations-eng/memberships/wavelet-dev`)
      .reply(403, { message: 'Forbidden' })
      .get('/orgs/other-org/teams/partners-team/memberships/wavelet-dev')
      .reply(200, { state: 'pending', role: 'member' })
    expect(await isInternalAuthor(client(), pr, config, silentLogger)).toBe(false)
    expect(scope.pendingMocks()).toEqual([])
    expect(failing.pendingMocks()).toEqual([])
  })
})
