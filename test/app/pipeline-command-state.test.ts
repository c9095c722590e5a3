// The review pipeline's side of the commands: on a push, an approval whose gate no longer holds
// loses its release label and the pull request is told why; a damaged state block is rebuilt from
// the comments before the review, so the review still applies the reviewers' waivers.
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import appFn from '../../src/app/index.js'
import { ReviewService } from '../../src/app/review-service.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { COMMENT_MARKER, composeCommentBody, readStateBlock } from '../../src/pull-request/comment-state.js'
import type { ReviewOutcome } from '../../src/github/review-pull-request.js'
import {
  API,
  PR7,
  blobSha,
  commitSha,
  exampleRevisions,
  mockInstallationToken,
  mockReviewReads,
  pullRequestEvent,
  pullRequestObject,
  repoPath,
  testPrivateKey,
  type RepoFiles,
  type CheckRunBody,
  type CommentBody
} from '../github/github-fixture.js'

const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const LIB = 'packages/destination-actions/src/lib/hashing-utils.ts'
const BASE_SHA = commitSha('base')
const APPROVED_SHA = commitSha('head-0')
const HEAD_SHA = commitSha('head-1')
const REVIEWER = 'segment-reviewer'

let privateKey: string
let base: RepoFiles
let head: RepoFiles

// The review threads load the engine once per file, before any test's clock starts.
beforeAll(() => new ReviewService({ concurrency: 1 }).warmUp(), 180_000)

beforeAll(() => {
  privateKey = testPrivateKey()
  ;({ base, head } = exampleRevisions())
})

let unmatched: string[] = []
const onNoMatch = (request: { method?: string; path?: string }) => unmatched.push(`${request.method} ${request.path}`)
beforeEach(() => {
  nock.disableNetConnect()
  unmatched = []
  nock.emitter.on('no match', onNoMatch)
})
afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch)
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
  expect(unmatched).toEqual([])
})

async function harness() {
  const outcomes: ReviewOutcome[] = []
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false }
  }))
  const probot = new Probot({ appId: 123, privateKey, logLevel: 'fatal', Octokit })
  const reviews = new ReviewService({ concurrency: 1, cache: new BlobCache(), onOutcome: (_pr, _sha, outcome) => outcomes.push(outcome) })
  await probot.load(appFn, { cwd: process.cwd(), addHandler: () => {}, reviewService: reviews })
  return { probot, reviews, outcomes }
}

const headBlobPaths = () => [...head.keys()].filter((path) => path.startsWith(WAVELET) || path === LIB)
const baseBlobPaths = () => {
  const headShas = new Set([...head.values()].map(blobSha))
  return [...base.keys()].filter((path) => path.startsWith(WAVELET) && !headShas.has(blobSha(base.get(path) ?? '')))
}

/** The writes of one published review whose comment (id 555) exists; captured for assertions. */
function mockPublication(
  scope: nock.Scope,
  labels: string[],
  captured: { stickyBodies: string[]; replies: string[]; removed: string[] },
  stickyReads: string[]
) {
  scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, labels }))
  scope.patch(repoPath('/check-runs/9001')).reply(200, {})
  for (const body of stickyReads) scope.get(repoPath('/issues/comments/555')).reply(200, { id: 555, body })
  scope
    .patch(repoPath('/issues/comments/555'), (body: CommentBody) => (captured.stickyBodies.push(body.body), true))
    .times(stickyReads.length)
    .reply(200, {})
  scope.post(repoPath('/labels')).times(10).optionally().reply(201, {})
  scope.post(repoPath('/issues/7/labels')).optionally().reply(200, [])
  scope
    .post(repoPath('/issues/7/comments'), (body: CommentBody) => (captured.replies.push(body.body.replace(/\u200b/g, '')), true))
    .optionally()
    .reply(201, { id: 800 })
  scope
    .delete((uri) => uri.startsWith(repoPath('/issues/7/labels/')))
    .optionally()
    .reply(function (uri) {
      captured.removed.push(decodeURIComponent(uri.slice(repoPath('/issues/7/labels/').length)))
      return [200, []]
    })
}

describe('a push after an approval', () => {
  it('withdraws the Private Beta approval whose gate no longer holds: label removed, state updated, reason posted', async () => {
    const { probot, reviews, outcomes } = await harness()
    const approval = { stage: 'private-beta', by: REVIEWER, at: '2026-11-27T09:00:00Z', headSha: APPROVED_SHA, commentId: 42 }
    const state = { version: 1, waivers: [], approvals: [approval], handledComments: [42] }
    const sticky = composeCommentBody('## integration-review\n\nReady for Private Beta.', state as never, PR7)
    const labels = ['release: private beta']
    const captured = { stickyBodies: [] as string[], replies: [] as string[], removed: [] as string[] }
    const scope = nock(API)
    mockInstallationToken(scope)
    mockReviewReads(scope, {
      base,
      head,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      headBlobs: headBlobPaths(),
      baseBlobs: baseBlobPaths(),
      labels,
      existingComments: [{ id: 555, body: sticky }]
    })
    // publishComment reads the comment, then the reconciliation reads it again before writing the state.
    mockPublication(scope, labels, captured, [sticky, sticky])

    await probot.receive({
      id: 'push-1',
      name: 'pull_request',
      payload: pullRequestEvent('synchronize', { headSha: HEAD_SHA, baseSha: BASE_SHA, labels }) as never
    })
    await reviews.idle()

    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'published', conclusion: 'failure' })])
    expect(captured.removed).toEqual(['release: private beta'])
    const finalState = readStateBlock(captured.stickyBodies.at(-1), PR7)
    expect(finalState?.approvals).toEqual([])
    expect(finalState?.handledComments).toEqual([42])
    expect(captured.replies).toHaveLength(1)
    expect(captured.replies[0]).toContain(
      `Private Beta approval by @${REVIEWER} (at ${APPROVED_SHA.slice(0, 7)}) withdrawn: the gate no longer holds at ${HEAD_SHA.slice(0, 7)}`
    )
    expect(captured.replies[0]).toContain('`security/hardcoded-secret`')
    expect(captured.replies[0]).toContain('The `release: private beta` label was removed.')
    expect(scope.isDone()).toBe(true)
  })
})

describe('a damaged state block', () => {
  it('is rebuilt from the comments before the review, which then applies the replayed waiver', async () => {
    const { probot, reviews, outcomes } = await harness()
    const damaged = `${COMMENT_MARKER}\n## integration-review\n\n<!-- integration-review:state v1 %%%not-base64%%% -->\n`
    const captured = { stickyBodies: [] as string[], replies: [] as string[], removed: [] as string[] }
    const scope = nock(API)
    mockInstallationToken(scope)
    mockReviewReads(scope, {
      base,
      head,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      headBlobs: headBlobPaths(),
      baseBlobs: baseBlobPaths(),
      existingComments: [{ id: 555, body: damaged }]
    })
    // The rebuild lists the comments again, with their authors and times.
    scope
      .get(repoPath('/issues/7/comments'))
      .query({ per_page: '100' })
      .reply(200, [
        {
          id: 300,
          body: '/waive security/secret-setting-not-password -- signing secret is public by design',
          user: { login: REVIEWER, type: 'User' },
          created_at: '2026-11-27T09:00:00Z',
          updated_at: '2026-11-27T09:00:00Z'
        },
        {
          id: 555,
          body: damaged,
          user: { login: 'integration-review[bot]', type: 'Bot' },
          created_at: '2026-11-27T08:00:00Z',
          updated_at: '2026-11-27T09:30:00Z'
        }
      ])
    scope
      .get(repoPath(`/collaborators/${REVIEWER}/permission`))
      .reply(200, { permission: 'write', role_name: 'write', user: { login: REVIEWER } })
    let checkRun: CheckRunBody = {}
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope.patch(repoPath('/check-runs/9001'), (body: CheckRunBody) => ((checkRun = body), true)).reply(200, {})
    // The rebuilt state is written, then the review's comment keeps it.
    scope.get(repoPath('/issues/comments/555')).reply(200, { id: 555, body: damaged })
    let rebuiltBody = ''
    scope.patch(repoPath('/issues/comments/555'), (body: CommentBody) => ((rebuiltBody = body.body), true)).reply(200, {})
    scope.get(repoPath('/issues/comments/555')).reply(200, () => ({ id: 555, body: rebuiltBody }))
    scope.patch(repoPath('/issues/comments/555'), (body: CommentBody) => (captured.stickyBodies.push(body.body), true)).reply(200, {})
    scope.post(repoPath('/labels')).times(10).optionally().reply(201, {})
    scope.post(repoPath('/issues/7/labels')).reply(200, [])

    await probot.receive({
      id: 'push-2',
      name: 'pull_request',
      payload: pullRequestEvent('synchronize', { headSha: HEAD_SHA, baseSha: BASE_SHA }) as never
    })
    await reviews.idle()

    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'published' })])
    const rebuilt = readStateBlock(rebuiltBody, PR7)
    expect(rebuilt?.waivers).toEqual([
      expect.objectContaining({
        ruleId: 'security/secret-setting-not-password',
        by: REVIEWER,
        commentId: 300,
        replayed: true,
        headSha: HEAD_SHA
      })
    ])
    expect(readStateBlock(captured.stickyBodies[0], PR7)?.waivers).toEqual(rebuilt?.waivers)
    const titles = (checkRun.output?.annotations ?? []).map((annotation) => annotation.title)
    expect(titles).toContain('security/hardcoded-secret')
    expect(titles).not.toContain('security/secret-setting-not-password')
    expect(scope.isDone()).toBe(true)
  })
})
