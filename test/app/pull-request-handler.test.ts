import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import appFn from '../../src/app/index.js'
import { ReviewService } from '../../src/app/review-service.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { readStateBlock, writeStateBlock, COMMENT_MARKER } from '../../src/pull-request/comment-state.js'
import type { ReviewOutcome } from '../../src/github/review-pull-request.js'
import {
  API,
  PR7,
  OWNER,
  REPO,
  blobSha,
  capturingLogger,
  changedFilesResponse,
  checkRunObject,
  checkRunRerequestedEvent,
  checkSuiteRerequestedEvent,
  commitSha,
  exampleRevisions,
  mockInstallationToken,
  mockReviewReads,
  pullRequestEvent,
  pullRequestObject,
  repoPath,
  testPrivateKey,
  treeResponse,
  type RepoFiles,
  annotationsOf,
  captured,
  type CheckRunBody,
  type CommentBody,
  type LabelCreateBody,
  type LabelsBody
} from '../github/github-fixture.js'

const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const LIB = 'packages/destination-actions/src/lib/hashing-utils.ts'
const BASE_SHA = commitSha('base')
const HEAD_SHA = commitSha('head-1')

let privateKey: string
let base: RepoFiles
let head: RepoFiles

// The review threads load the engine once per file, before any test's clock starts.
beforeAll(() => new ReviewService({ concurrency: 2 }).warmUp(), 180_000)

beforeAll(() => {
  privateKey = testPrivateKey()
  ;({ base, head } = exampleRevisions())
})

interface Harness {
  probot: Probot
  reviews: ReviewService
  outcomes: ReviewOutcome[]
  logs: ReturnType<typeof capturingLogger>
}

async function harness(): Promise<Harness> {
  const outcomes: ReviewOutcome[] = []
  const logs = capturingLogger()
  const probot = new Probot({
    appId: 123,
    privateKey,
    log: logs.log,
    // The function form: Probot merges its own throttle options over an object's.
    Octokit: ProbotOctokit.defaults((options: object) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }))
  })
  const reviews = new ReviewService({
    concurrency: 2,
    retry: { attempts: 1 },
    cache: new BlobCache(),
    onOutcome: (_pr, _sha, outcome) => outcomes.push(outcome)
  })
  await probot.load(appFn, { cwd: process.cwd(), addHandler: () => {}, reviewService: reviews })
  return { probot, reviews, outcomes, logs }
}

/** Blobs of the head: the integration folder, plus the shared library file its new action imports. */
function headBlobPaths(): string[] {
  return [...head.keys()].filter((path) => path.startsWith(WAVELET) || path === LIB)
}

/** Base blobs that differ from head's (the rest are cache hits). */
function baseBlobPaths(): string[] {
  const headShas = new Set([...head.values()].map(blobSha))
  return [...base.keys()].filter((path) => path.startsWith(WAVELET) && !headShas.has(blobSha(base.get(path) ?? '')))
}

beforeEach(() => {
  nock.disableNetConnect()
})

afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
})

/** What one review published, as the nock body callbacks captured it. */
interface Publication {
  checkRun?: CheckRunBody
  comment?: string
  labels?: string[]
}

describe('pull_request.opened from a partner', () => {
  it('creates the check run, completes it with annotations, posts one comment and sets the labels', async () => {
    const { probot, reviews, outcomes, logs } = await harness()
    const published: Publication = {}
    const scope = nock(API)
    mockInstallationToken(scope)
    mockReviewReads(scope, { base, head, baseSha: BASE_SHA, headSha: HEAD_SHA, headBlobs: headBlobPaths(), baseBlobs: baseBlobPaths() })
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope.patch(repoPath('/check-runs/9001'), (body: CheckRunBody) => ((published.checkRun = body), true)).reply(200, { id: 9001 })
    scope.post(repoPath('/issues/7/comments'), (body: CommentBody) => ((published.comment = body.body), true)).reply(201, { id: 555 })
    const createdLabels: string[] = []
    scope
      .post(
        repoPath('/labels'),
        (body: LabelCreateBody) => (createdLabels.push(`${body.name}#${body.color}`), typeof body.description === 'string')
      )
      .times(4)
      .reply(201, {})
    scope.post(repoPath('/issues/7/labels'), (body: LabelsBody) => ((published.labels = body.labels), true)).reply(200, [])

    await probot.receive({
      id: 'delivery-1',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()

    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'published', conclusion: 'failure' })])
    expect(published.checkRun).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: expect.stringContaining('Blocked') as unknown }
    })
    const annotations = annotationsOf(captured(published.checkRun, 'check run'))
    expect(annotations).toContainEqual(
      expect.objectContaining({ path: `${WAVELET}identifyUser/index.ts`, annotation_level: 'failure', title: 'security/hardcoded-secret' })
    )
    expect(annotations).toContainEqual(
      expect.objectContaining({ path: `${WAVELET}index.ts`, title: 'security/secret-setting-not-password' })
    )
    expect(published.comment?.startsWith(COMMENT_MARKER)).toBe(true)
    expect(published.comment).toContain('security/hardcoded-secret')
    expect(readStateBlock(published.comment, PR7)).toEqual({ version: 1, waivers: [], approvals: [] })
    expect(createdLabels.sort()).toEqual(['deploy:push#5319e7', 'mode:cloud#1d76db', 'review: blocked#b60205', 'team:external#c5def5'])
    expect(published.labels).toEqual(['review: blocked', 'deploy:push', 'mode:cloud', 'team:external'])
    expect(scope.pendingMocks()).toEqual([])

    const published_ = logs.lines().find((line) => line.msg === 'review published')
    expect(published_).toMatchObject({ deliveryId: 'delivery-1', repo: `${OWNER}/${REPO}`, pr: 7, conclusion: 'failure' })
    expect(published_?.timings).toMatchObject({ files: expect.any(Number) as unknown, review: expect.any(Number) as unknown })
  })
})

describe('re-publishing', () => {
  it('edits the sticky comment in place, keeps its state, and leaves an identical check run and labels alone', async () => {
    const { probot, reviews, outcomes } = await harness()
    // First run, to learn exactly what gets published.
    const first: Publication = {}
    const scope1 = nock(API)
    mockInstallationToken(scope1)
    mockReviewReads(scope1, { base, head, baseSha: BASE_SHA, headSha: HEAD_SHA, headBlobs: headBlobPaths(), baseBlobs: baseBlobPaths() })
    scope1.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope1.patch(repoPath('/check-runs/9001'), (body: CheckRunBody) => ((first.checkRun = body), true)).reply(200, {})
    scope1.post(repoPath('/issues/7/comments'), (body: CommentBody) => ((first.comment = body.body), true)).reply(201, { id: 555 })
    scope1.post(repoPath('/labels')).times(4).reply(201, {})
    scope1.post(repoPath('/issues/7/labels')).reply(200, [])
    await probot.receive({
      id: 'd-1',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()
    expect(scope1.isDone()).toBe(true)

    // A reviewer command recorded a waiver in the comment meanwhile.
    const waiver = {
      ruleId: 'security/secret-setting-not-password',
      reason: 'signing secret is public by design',
      by: 'segment-reviewer',
      at: '2026-11-27T10:00:00Z'
    }
    const commentWithState = writeStateBlock(
      captured(first.comment, 'first comment'),
      { version: 1, waivers: [waiver], approvals: [] },
      PR7
    )
    const labels = ['review: blocked', 'deploy:push', 'mode:cloud', 'team:external']
    const second: Publication = {}
    const scope2 = nock(API)
    mockReviewReads(scope2, {
      base,
      head,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      headBlobs: [], // every blob is in the cache now
      baseBlobs: [],
      labels,
      existingCheckRun: {
        id: 9001,
        status: 'completed',
        external_id: captured(first.checkRun, 'first check run').external_id ?? null,
        annotations_count: annotationsOf(captured(first.checkRun, 'first check run')).length
      },
      existingComments: [
        { id: 100, body: `${COMMENT_MARKER} quoted by a person`, type: 'User' },
        { id: 555, body: commentWithState }
      ]
    })
    scope2.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, labels }))
    // The waiver changes the result: the check run already shows annotations, so a fresh one replaces it.
    scope2
      .post(repoPath('/check-runs'), (body: CheckRunBody) => ((second.checkRun = body), body.status === 'completed'))
      .reply(201, { id: 9002 })
    scope2.get(repoPath('/issues/comments/555')).reply(200, { id: 555, body: commentWithState })
    scope2.patch(repoPath('/issues/comments/555'), (body: CommentBody) => ((second.comment = body.body), true)).reply(200, {})
    await probot.receive({
      id: 'd-2',
      name: 'pull_request',
      payload: pullRequestEvent('synchronize', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()

    expect(scope2.isDone()).toBe(true)
    expect(readStateBlock(second.comment, PR7)?.waivers).toEqual([waiver])
    expect(second.comment).toMatch(/waived/i)
    expect(annotationsOf(captured(second.checkRun, 'second check run')).map((a) => a.title)).not.toContain(
      'security/secret-setting-not-password'
    )

    // Third run with nothing new: no write at all.
    const scope3 = nock(API)
    mockReviewReads(scope3, {
      base,
      head,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      headBlobs: [],
      baseBlobs: [],
      labels,
      existingCheckRun: {
        id: 9002,
        status: 'completed',
        external_id: captured(second.checkRun, 'second check run').external_id ?? null,
        annotations_count: annotationsOf(captured(second.checkRun, 'second check run')).length
      },
      existingComments: [{ id: 555, body: captured(second.comment, 'second comment') }]
    })
    scope3.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, labels }))
    scope3.get(repoPath('/issues/comments/555')).reply(200, { id: 555, body: second.comment })
    await probot.receive({
      id: 'd-3',
      name: 'pull_request',
      payload: pullRequestEvent('reopened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()
    expect(scope3.isDone()).toBe(true)
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['published', 'published', 'published'])
  })

  it('ignores a redelivered webhook (same delivery id)', async () => {
    const { probot, reviews, outcomes } = await harness()
    const scope = nock(API)
    mockInstallationToken(scope)
    mockReviewReads(scope, { base, head, baseSha: BASE_SHA, headSha: HEAD_SHA, headBlobs: headBlobPaths(), baseBlobs: baseBlobPaths() })
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope.patch(repoPath('/check-runs/9001')).reply(200, {})
    scope.post(repoPath('/issues/7/comments')).reply(201, { id: 555 })
    scope.post(repoPath('/labels')).times(4).reply(201, {})
    scope.post(repoPath('/issues/7/labels')).reply(200, [])
    const event = {
      id: 'same-delivery',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA })
    } as const
    await probot.receive(event as never)
    await reviews.idle()
    await probot.receive(event as never)
    await reviews.idle()
    expect(outcomes).toHaveLength(1)
    expect(scope.pendingMocks()).toEqual([])
  })
})

describe('events that do not start a review', () => {
  it('skips an edit that did not change the body', async () => {
    const { probot, reviews, outcomes } = await harness()
    await probot.receive({
      id: 'title-edit',
      name: 'pull_request',
      payload: pullRequestEvent('edited', { headSha: HEAD_SHA, baseSha: BASE_SHA }, { changes: { title: { from: 'old title' } } }) as never
    })
    await reviews.idle()
    expect(outcomes).toEqual([])
  })

  it.each([
    ['body', { body: { from: 'old body' } }],
    ['base branch', { base: { ref: { from: 'release' }, sha: { from: 'abc' } } }]
  ])('reviews again when the %s changed, and stops at a closed pull request', async (_what, changes) => {
    const { probot, reviews, outcomes } = await harness()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, state: 'closed' }))
    await probot.receive({
      id: 'pr-edit',
      name: 'pull_request',
      payload: pullRequestEvent('edited', { headSha: HEAD_SHA, baseSha: BASE_SHA }, { changes }) as never
    })
    await reviews.idle()
    expect(outcomes).toEqual([{ outcome: 'closed' }])
  })
})

describe('faults', () => {
  it('completes the check run as failure (never neutral) with the reason and /recheck when the review fails, and keeps serving', async () => {
    const { probot, reviews, outcomes } = await harness()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope
      .get(repoPath(`/commits/${HEAD_SHA}/check-runs`))
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
    scope.post(repoPath('/check-runs')).reply(201, { id: 31 })
    scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).reply(500, { message: 'Server Error' })
    let failure: CheckRunBody = {}
    scope.patch(repoPath('/check-runs/31'), (body: CheckRunBody) => ((failure = body), true)).reply(200, {})
    await probot.receive({
      id: 'boom',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()
    expect(failure).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'The review did not finish: comment /recheck to retry' }
    })
    expect(failure.output?.summary).toContain('Server Error')
    expect(failure.output?.summary).toContain('`/recheck`')
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'failed' })])
    expect(scope.pendingMocks()).toEqual([])

    // Redelivering the failed delivery by hand tries again (here it finds the pull request closed).
    const retry = nock(API)
      .get(repoPath('/pulls/7'))
      .reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, state: 'closed' }))
    await probot.receive({
      id: 'boom',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()
    expect(retry.pendingMocks()).toEqual([])
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['failed', 'closed'])
  })

  it('never publishes a result once the pull request head moved on', async () => {
    const { probot, reviews, outcomes } = await harness()
    const newer = commitSha('head-2')
    const scope = nock(API)
    mockInstallationToken(scope)
    mockReviewReads(scope, { base, head, baseSha: BASE_SHA, headSha: HEAD_SHA, headBlobs: headBlobPaths(), baseBlobs: baseBlobPaths() })
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: newer, baseSha: BASE_SHA }))
    let closing: CheckRunBody = {}
    scope.patch(repoPath('/check-runs/9001'), (body: CheckRunBody) => ((closing = body), true)).reply(200, {})
    await probot.receive({
      id: 'old-push',
      name: 'pull_request',
      payload: pullRequestEvent('synchronize', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()
    expect(outcomes).toEqual([{ outcome: 'stale', newerSha: newer }])
    expect(closing).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded by a newer commit' } })
    expect(closing.output?.annotations).toBeUndefined()
    expect(scope.pendingMocks()).toEqual([])
  })
})

describe('two requests for the same commit', () => {
  it('an edited body during a review: the first result is dropped, the check run is left for the second to complete', async () => {
    const { probot, reviews, outcomes } = await harness()
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let firstStarted = false
    const first = nock(API)
    mockInstallationToken(first)
    mockReviewReads(first, {
      base,
      head,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      headBlobs: headBlobPaths(),
      baseBlobs: baseBlobPaths(),
      firstRead: async () => {
        firstStarted = true
        await held
        return pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA })
      }
    })
    await probot.receive({
      id: 'open-1',
      name: 'pull_request',
      payload: pullRequestEvent('opened', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    for (let attempt = 0; attempt < 200 && !firstStarted; attempt++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(firstStarted).toBe(true)

    // The second review finds the first one's check run still in progress and completes it.
    const second = nock(API)
    const body = 'Adds an Identify User action to Wavelet.\n\n## Testing\n- [x] Added unit tests'
    second.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, body }))
    second
      .get(repoPath(`/commits/${HEAD_SHA}/check-runs`))
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [checkRunObject({ id: 9001, status: 'in_progress', external_id: null, annotations_count: 0 }, HEAD_SHA)]
      })
    second.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).reply(404, {})
    second.get(repoPath('/pulls/7/files')).query({ per_page: '100' }).reply(200, changedFilesResponse(base, head))
    second
      .get(repoPath(`/git/trees/${HEAD_SHA}`))
      .query({ recursive: '1' })
      .reply(200, treeResponse(head, HEAD_SHA))
    second
      .get(repoPath(`/git/trees/${BASE_SHA}`))
      .query({ recursive: '1' })
      .reply(200, treeResponse(base, BASE_SHA))
    second.get(repoPath('/issues/7/comments')).query({ per_page: '100' }).reply(200, [])
    second.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, body }))
    let completion: CheckRunBody = {}
    second.patch(repoPath('/check-runs/9001'), (patch: CheckRunBody) => ((completion = patch), true)).reply(200, {})
    second.post(repoPath('/issues/7/comments')).reply(201, { id: 1 })
    second.post(repoPath('/labels')).times(4).reply(201, {})
    second.post(repoPath('/issues/7/labels')).reply(200, [])
    await probot.receive({
      id: 'edit-1',
      name: 'pull_request',
      payload: pullRequestEvent('edited', { headSha: HEAD_SHA, baseSha: BASE_SHA, body }, { changes: { body: { from: 'old' } } }) as never
    })
    release()
    await reviews.idle()
    expect(first.pendingMocks()).toEqual([])
    expect(second.pendingMocks()).toEqual([])
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['stale', 'published'])
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' })
  })
})

describe('re-run requests', () => {
  it('check_run.rerequested reviews the pull requests the check names', async () => {
    const { probot, reviews, outcomes } = await harness()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, state: 'closed' }))
    await probot.receive({ id: 'rerun-1', name: 'check_run', payload: checkRunRerequestedEvent(HEAD_SHA, [7]) as never })
    await reviews.idle()
    expect(outcomes).toEqual([{ outcome: 'closed' }])
    expect(scope.pendingMocks()).toEqual([])
  })

  it('check_suite.rerequested without pull requests (a fork) finds them by head commit', async () => {
    const { probot, reviews, outcomes } = await harness()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope
      .get(repoPath('/pulls'))
      .query({ state: 'open', per_page: '100' })
      .reply(200, [
        pullRequestObject({ number: 3, headSha: commitSha('other'), baseSha: BASE_SHA }),
        pullRequestObject({ number: 9, headSha: HEAD_SHA, baseSha: BASE_SHA })
      ])
    scope.get(repoPath('/pulls/9')).reply(200, pullRequestObject({ number: 9, headSha: HEAD_SHA, baseSha: BASE_SHA, state: 'closed' }))
    await probot.receive({ id: 'suite-1', name: 'check_suite', payload: checkSuiteRerequestedEvent(HEAD_SHA) as never })
    await reviews.idle()
    expect(outcomes).toEqual([{ outcome: 'closed' }])
    expect(scope.pendingMocks()).toEqual([])
  })
})
