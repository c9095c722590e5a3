// The attacks of issue 10, end to end: the App's own server on loopback (createReviewServer, the
// production front), signed webhooks over HTTP, GitHub served by nock. Each test is a partner's
// input and the App's observable answer.
import { createHmac } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Server as HttpServer } from 'node:http'
import Bottleneck from 'bottleneck'
import nock from 'nock'
import { Probot } from 'probot'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { commandRunnerFor } from '../../src/app/handle-comment-command.js'
import { ReviewService } from '../../src/app/review-service.js'
import { createReviewServer } from '../../src/app/webhook-server.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { COMMENT_MARKER, parseStateBlock } from '../../src/pull-request/comment-state.js'
import { ReviewOctokit } from '../../src/github/review-octokit.js'
import type { ReviewOutcome } from '../../src/github/review-pull-request.js'
import {
  API,
  OWNER,
  REPO,
  blobResponse,
  blobSha,
  capturingLogger,
  changedFilesResponse,
  commitSha,
  exampleRevisions,
  mockInstallationToken,
  pullRequestEvent,
  pullRequestObject,
  repoPath,
  testPrivateKey,
  treeResponse,
  type CheckRunBody,
  type CommentBody,
  type RepoFiles
} from '../github/github-fixture.js'

const SECRET = 'security-e2e-webhook-secret'
const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const BASE_SHA = commitSha('sec-base')
const MAX_PAYLOAD = 256 * 1024

let server: HttpServer
let baseUrl: string
let reviews: ReviewService
const outcomes: Array<{ number: number; headSha: string; outcome: ReviewOutcome }> = []
let example: { base: RepoFiles; head: RepoFiles }

beforeAll(async () => {
  nock.disableNetConnect()
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'))
  example = exampleRevisions()
  const { log } = capturingLogger()
  reviews = new ReviewService({
    concurrency: 2,
    cache: new BlobCache(),
    onOutcome: (pr, headSha, outcome) => outcomes.push({ number: pr.number, headSha, outcome })
  })
  // The review threads load the engine before the first webhook, as the App's start does (not inside the first test's time).
  await reviews.warmUp()
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    secret: SECRET,
    log,
    // The App's Octokit; waits scaled from seconds to milliseconds, writes not spaced out.
    Octokit: ReviewOctokit.defaults((options: { throttle?: Record<string, unknown> }) => ({
      ...options,
      retry: { retryAfterBaseValue: 0 },
      throttle: { ...options.throttle, retryAfterBaseValue: 1, write: new Bottleneck.Group({ maxConcurrent: 10, minTime: 0 }) }
    }))
  })
  server = await createReviewServer({ probot, reviewService: reviews, maxPayloadBytes: MAX_PAYLOAD })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 180_000)

/** Each test starts from a GitHub that answers nothing but the installation token (interceptors left optional by one do not answer the next). */
function resetGitHub(): void {
  nock.cleanAll()
  mockInstallationToken(nock(API)).persist()
}

beforeEach(resetGitHub)

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  nock.cleanAll()
  nock.enableNetConnect()
})

function sign(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
}

async function post(name: string, id: string, body: string): Promise<Response> {
  return fetch(`${baseUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': id, 'x-hub-signature-256': sign(body) },
    body
  })
}

const sendWebhook = (name: string, id: string, payload: unknown) => post(name, id, JSON.stringify(payload))

interface Published {
  checkRuns: CheckRunBody[]
  comments: string[]
  commentEdits: string[]
}

interface ReviewMock {
  number: number
  headSha: string
  base: RepoFiles
  head: RepoFiles
  checkRunId: number
  /** Comments already on the pull request (the bot's and others'), oldest first. */
  comments?: Array<{ id: number; body: string; login: string; type: 'Bot' | 'User' }>
  config?: { size: number; content: string }
  /** Answers to put first on a path (GitHub's rate limits), before the normal answer. */
  limited?: Array<{ path: string; status: number; headers?: Record<string, string>; message: string }>
}

/** Every GitHub request of one review that publishes; blobs are served on demand. */
function mockReview(options: ReviewMock): { scope: nock.Scope; published: Published } {
  const { number, headSha, base, head, checkRunId } = options
  const published: Published = { checkRuns: [], comments: [], commentEdits: [] }
  const scope = nock(API)
  for (const limit of options.limited ?? [])
    scope
      .get(repoPath(limit.path))
      .query(true)
      .reply(limit.status, { message: limit.message }, limit.headers ?? {})
  const pr = pullRequestObject({ number, headSha, baseSha: BASE_SHA })
  scope
    .get(repoPath(`/pulls/${number}`))
    .times(2)
    .reply(200, pr)
  scope
    .get(repoPath(`/commits/${headSha}/check-runs`))
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
  scope.post(repoPath('/check-runs'), (body: CheckRunBody) => (published.checkRuns.push(body), true)).reply(201, { id: checkRunId })
  scope
    .patch(repoPath(`/check-runs/${checkRunId}`), (body: CheckRunBody) => (published.checkRuns.push(body), true))
    .times(20)
    .optionally()
    .reply(200, { id: checkRunId })
  const config = scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' })
  if (options.config)
    config.reply(200, {
      type: 'file',
      encoding: 'base64',
      path: '.github/integration-review.yml',
      size: options.config.size,
      content: options.config.content
    })
  else config.reply(404, { message: 'Not Found' })
  scope
    .get(repoPath(`/pulls/${number}/files`))
    .query({ per_page: '100' })
    .reply(200, changedFilesResponse(base, head))
  scope
    .get(repoPath(`/git/trees/${headSha}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(head, headSha))
  scope
    .get(repoPath(`/git/trees/${BASE_SHA}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(base, BASE_SHA))
  for (const text of new Set([...head.values(), ...base.values()]))
    scope
      .get(repoPath(`/git/blobs/${blobSha(text)}`))
      .optionally()
      .reply(200, blobResponse(text))
  const comments = (options.comments ?? []).map((comment) => ({
    id: comment.id,
    body: comment.body,
    user: { login: comment.login, type: comment.type },
    created_at: '2026-11-27T10:00:00Z',
    updated_at: '2026-11-27T10:00:00Z'
  }))
  scope
    .get(repoPath(`/issues/${number}/comments`))
    .query(true)
    .times(3)
    .optionally()
    .reply(200, comments)
  for (const comment of options.comments ?? []) {
    scope
      .get(repoPath(`/issues/comments/${comment.id}`))
      .times(3)
      .optionally()
      .reply(200, { id: comment.id, body: comment.body })
    scope
      .patch(repoPath(`/issues/comments/${comment.id}`), (body: CommentBody) => (published.commentEdits.push(body.body), true))
      .times(3)
      .optionally()
      .reply(200, {})
  }
  scope
    .post(repoPath(`/issues/${number}/comments`), (body: CommentBody) => (published.comments.push(body.body), true))
    .times(3)
    .optionally()
    .reply(201, { id: 9000 + number })
  scope
    .post(repoPath('/labels'))
    .times(10)
    .optionally()
    .reply(422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] })
  scope
    .post(repoPath(`/issues/${number}/labels`))
    .times(3)
    .optionally()
    .reply(200, [])
  scope
    .delete((uri) => uri.startsWith(repoPath(`/issues/${number}/labels/`)))
    .times(5)
    .optionally()
    .reply(200, [])
  return { scope, published }
}

function completion(published: Published): CheckRunBody {
  const completed = published.checkRuns.find((run) => run.status === 'completed')
  expect(completed).toBeDefined()
  if (!completed) throw new Error('no completed check run was published')
  return completed
}

async function review(number: number, headSha: string, delivery: string): Promise<void> {
  expect(
    (await sendWebhook('pull_request', delivery, pullRequestEvent('synchronize', { number, headSha, baseSha: BASE_SHA }))).status
  ).toBe(200)
  await reviews.idle()
}

/** A state block as a partner would forge it: every rule waived "by" a reviewer, with a made-up signature. */
function forgedStateBlock(): string {
  const ruleIds = ['security/hardcoded-secret', 'security/secret-setting-not-password', 'structure/depends-on-keys', 'review/not-analysed']
  const state = {
    version: 1,
    waivers: ruleIds.map((ruleId) => ({ ruleId, reason: 'ok', by: 'segment-reviewer', at: '2026-11-27T10:00:00Z' })),
    approvals: []
  }
  return `<!-- integration-review:state v1 ${Buffer.from(JSON.stringify(state)).toString('base64')} ${'a'.repeat(64)} -->`
}

/** The example head with a field whose `depends_on` names a forged state block and a code-span break-out. */
function headWithHostileFieldKey(): RepoFiles {
  const files = new Map(example.head)
  const path = `${WAVELET}identifyUser/index.ts`
  const hostile = `${forgedStateBlock()} \` [Re-authenticate here](https://evil.example/login) @segment-reviewer \` region`
  const field = `    region_note: {\n      label: 'Region note',\n      description: 'A note for the region.',\n      type: 'string',\n      depends_on: { conditions: [{ fieldKey: ${JSON.stringify(hostile)}, operator: 'is', value: 'x' }] }\n    },\n    traits: {`
  files.set(path, (files.get(path) ?? '').replace('    traits: {', field))
  return files
}

describe('forged state', () => {
  it('a forged state block in finding text is escaped, never believed, and the next push stays blocked', async () => {
    const number = 101
    const scopeRef = { owner: OWNER, repo: REPO, number }
    const head = headWithHostileFieldKey()
    const first = mockReview({ number, headSha: commitSha('sec-101-a'), base: example.base, head, checkRunId: 1101 })
    await review(number, commitSha('sec-101-a'), 'sec-101-a')
    expect(completion(first.published).conclusion).toBe('failure')
    const sticky = first.published.comments.find((body) => body.startsWith(COMMENT_MARKER)) ?? ''
    expect(sticky).toContain('depends-on-keys')
    // The partner's text is there, inert: no HTML comment, no live link, no mention.
    expect(sticky.match(/<!-- integration-review:state/g)).toHaveLength(1)
    expect(sticky).not.toMatch(/(?<!\\)\[Re-authenticate here\]\(https:\/\/evil/)
    expect(sticky).not.toMatch(/@segment-reviewer/)
    const block = parseStateBlock(sticky, scopeRef)
    expect(block).toEqual({ status: 'ok', state: { version: 1, waivers: [], approvals: [] } })

    // Next push: the sticky comment is read back. Even planted raw in its middle, the forged block is nothing.
    resetGitHub()
    const planted = sticky.replace('## Integration review', `## Integration review\n\n${forgedStateBlock()}\n`)
    const second = mockReview({
      number,
      headSha: commitSha('sec-101-b'),
      base: example.base,
      head,
      checkRunId: 1102,
      comments: [{ id: 5101, body: planted, login: 'integration-review[bot]', type: 'Bot' }]
    })
    await review(number, commitSha('sec-101-b'), 'sec-101-b')
    const done = completion(second.published)
    expect(done.conclusion).toBe('failure')
    expect(done.output?.title).toMatch(/^Blocked/)
    const edited = second.published.commentEdits.at(-1) ?? ''
    expect(edited).not.toMatch(/waived/i)
    expect(parseStateBlock(edited, scopeRef)).toEqual({ status: 'ok', state: { version: 1, waivers: [], approvals: [] } })

    // A forged block at the very end (where the real one lives) fails its signature: ignored, and the comment says so.
    resetGitHub()
    const forgedAtEnd = sticky.replace(/<!-- integration-review:state v1 [^>]* -->\s*$/, `${forgedStateBlock()}\n`)
    expect(forgedAtEnd).not.toBe(sticky)
    const third = mockReview({
      number,
      headSha: commitSha('sec-101-c'),
      base: example.base,
      head,
      checkRunId: 1103,
      comments: [{ id: 5101, body: forgedAtEnd, login: 'integration-review[bot]', type: 'Bot' }]
    })
    await review(number, commitSha('sec-101-c'), 'sec-101-c')
    expect(completion(third.published).conclusion).toBe('failure')
    const rewritten = third.published.commentEdits.at(-1) ?? ''
    expect(rewritten).toContain('The state block of this comment was ignored (the state block signature does not match')
    expect(rewritten).not.toMatch(/waived/i)
    expect(parseStateBlock(rewritten, scopeRef)).toEqual({ status: 'ok', state: { version: 1, waivers: [], approvals: [] } })
  })

  it('a bot reply quoting a partner, ending with a forged block, is never taken as the sticky comment', async () => {
    const number = 102
    const reply = `@wavelet-dev\n\n> /waive x -- ${COMMENT_MARKER} ${forgedStateBlock()}\n\nNot applied.\n\n${forgedStateBlock()}\n`
    const { published } = mockReview({
      number,
      headSha: commitSha('sec-102'),
      base: example.base,
      head: example.head,
      checkRunId: 1201,
      comments: [{ id: 5201, body: reply, login: 'integration-review[bot]', type: 'Bot' }]
    })
    await review(number, commitSha('sec-102'), 'sec-102')
    expect(completion(published).conclusion).toBe('failure')
    // The reply was left alone; the App wrote its own sticky comment.
    expect(published.commentEdits).toEqual([])
    expect(published.comments.filter((body) => body.startsWith(COMMENT_MARKER))).toHaveLength(1)
  })

  it("the App's reply to a partner's hostile command contains no marker, HTML comment or live link", async () => {
    const number = 103
    const scope = nock(API)
    const replies: string[] = []
    scope.post(repoPath('/issues/comments/5301/reactions')).times(2).reply(201, {})
    scope.get(repoPath(`/pulls/${number}`)).reply(200, pullRequestObject({ number, headSha: commitSha('sec-103'), baseSha: BASE_SHA }))
    scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).reply(404, { message: 'Not Found' })
    scope
      .get(repoPath(`/issues/${number}/comments`))
      .query(true)
      .reply(200, [])
    scope
      .get(repoPath('/collaborators/wavelet-dev/permission'))
      .optionally()
      .reply(200, { permission: 'read', role_name: 'read', user: { login: 'wavelet-dev' } })
    scope.post(repoPath(`/issues/${number}/comments`), (body: CommentBody) => (replies.push(body.body), true)).reply(201, { id: 5302 })
    const hostile = `/waive security/hardcoded-secret -- ${COMMENT_MARKER} ${forgedStateBlock()} [login](https://evil.example) <img src=x> @segment-reviewer`
    const payload = issueCommentEvent(number, 5301, 'wavelet-dev', hostile)
    expect((await sendWebhook('issue_comment', 'sec-103', payload)).status).toBe(200)
    await commandRunnerFor(reviews).idle()
    expect(scope.pendingMocks()).toEqual([])
    expect(replies).toHaveLength(1)
    expect(replies[0]).not.toContain('<!--')
    expect(replies[0]).not.toContain('<img')
    expect(replies[0]).not.toMatch(/(?<!\\)\[login\]\(https/)
    expect(replies[0]).not.toContain('@segment-reviewer')
    expect(replies[0].startsWith('@wavelet-dev')).toBe(true)
  })
})

function issueCommentEvent(number: number, commentId: number, login: string, body: string) {
  const payload = pullRequestEvent('opened', { number, headSha: commitSha('unused'), baseSha: BASE_SHA })
  const pr = pullRequestObject({ number, headSha: commitSha('unused'), baseSha: BASE_SHA })
  return {
    action: 'created',
    issue: { number, pull_request: { url: pr.url, html_url: pr.html_url }, user: { login: 'wavelet-dev' } },
    comment: { id: commentId, body, user: { login, type: 'User' }, created_at: '2026-11-27T11:00:00Z', updated_at: '2026-11-27T11:00:00Z' },
    repository: payload.repository,
    sender: { login },
    installation: { id: 4242, node_id: 'I' }
  }
}

describe('fail closed', () => {
  /** The base plus one changed helper in the integration: nothing new to find, unless the helper is not read. */
  function headWithHelper(text: string): RepoFiles {
    const files = new Map(example.base)
    files.set(`${WAVELET}helpers.ts`, text)
    return files
  }

  it('a helper padded past the per-file limit blocks the integration and names the file; the same helper unpadded does not', async () => {
    const helper = 'export const greeting = (name: string): string => `hello ${name}`\n'
    const clean = mockReview({
      number: 104,
      headSha: commitSha('sec-104'),
      base: example.base,
      head: headWithHelper(helper),
      checkRunId: 1401
    })
    await review(104, commitSha('sec-104'), 'sec-104')
    expect(completion(clean.published).conclusion).not.toBe('failure')

    resetGitHub()
    const padded = `${helper}// ${'x'.repeat(2 * 1024 * 1024 + 10)}\n`
    const { published } = mockReview({
      number: 105,
      headSha: commitSha('sec-105'),
      base: example.base,
      head: headWithHelper(padded),
      checkRunId: 1501
    })
    await review(105, commitSha('sec-105'), 'sec-105')
    const done = completion(published)
    expect(done.conclusion).toBe('failure')
    const sticky = published.comments.find((body) => body.startsWith(COMMENT_MARKER)) ?? ''
    expect(sticky).toContain('review/not-analysed')
    expect(sticky).toContain(`${WAVELET}helpers.ts`)
    expect(sticky).toMatch(/A human must review it/)
  })

  it('a review that cannot finish completes its check run as failure, saying how to retry', async () => {
    const number = 106
    const scope = nock(API)
    scope.get(repoPath(`/pulls/${number}`)).reply(200, pullRequestObject({ number, headSha: commitSha('sec-106'), baseSha: BASE_SHA }))
    scope
      .get(repoPath(`/commits/${commitSha('sec-106')}/check-runs`))
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
    scope.post(repoPath('/check-runs')).reply(201, { id: 1601 })
    scope
      .get(repoPath('/contents/.github%2Fintegration-review.yml'))
      .query({ ref: 'main' })
      .reply(403, { message: 'Resource not accessible by integration' })
    let failed: CheckRunBody = {}
    scope.patch(repoPath('/check-runs/1601'), (body: CheckRunBody) => ((failed = body), true)).reply(200, {})
    await review(number, commitSha('sec-106'), 'sec-106')
    expect(scope.pendingMocks()).toEqual([])
    expect(failed).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect(failed.output?.title).toContain('/recheck')
  })
})

describe("GitHub's rate limits", () => {
  it('a secondary rate limit (documented message, and a bare 403 with Retry-After) is waited out and the review completes', async () => {
    const number = 107
    const headSha = commitSha('sec-107')
    const { scope, published } = mockReview({
      number,
      headSha,
      base: example.base,
      head: example.head,
      checkRunId: 1701,
      limited: [
        {
          path: `/pulls/${number}`,
          status: 403,
          headers: { 'retry-after': '2' },
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
        },
        { path: `/pulls/${number}/files`, status: 403, headers: { 'retry-after': '1' }, message: 'Forbidden' }
      ]
    })
    await review(number, headSha, 'sec-107')
    expect(outcomes.find((entry) => entry.number === number)?.outcome).toMatchObject({ outcome: 'published' })
    expect(completion(published).conclusion).toBe('failure')
    expect(scope.pendingMocks()).toEqual([])
  })
})

describe('bounded input', () => {
  it("a huge base config is refused by its size at once, while another pull request's webhook is answered and reviewed", async () => {
    const keys = Array.from({ length: 200_000 }, (_, index) => `  security/rule-${index}: off`).join('\n')
    const text = `rules:\n${keys}\n`
    const huge = mockReview({
      number: 108,
      headSha: commitSha('sec-108'),
      base: example.base,
      head: example.head,
      checkRunId: 1801,
      config: { size: Buffer.byteLength(text), content: Buffer.from(text).toString('base64') }
    })
    const other = mockReview({ number: 109, headSha: commitSha('sec-109'), base: example.base, head: example.head, checkRunId: 1901 })
    const [first, second] = await Promise.all([
      sendWebhook(
        'pull_request',
        'sec-108',
        pullRequestEvent('synchronize', { number: 108, headSha: commitSha('sec-108'), baseSha: BASE_SHA })
      ),
      sendWebhook(
        'pull_request',
        'sec-109',
        pullRequestEvent('synchronize', { number: 109, headSha: commitSha('sec-109'), baseSha: BASE_SHA })
      )
    ])
    expect([first.status, second.status]).toEqual([200, 200])
    await reviews.idle()
    expect(outcomes.filter((entry) => entry.number === 108 || entry.number === 109).map((entry) => entry.outcome.outcome)).toEqual([
      'published',
      'published'
    ])
    const sticky = huge.published.comments.find((body) => body.startsWith(COMMENT_MARKER)) ?? ''
    expect(sticky).toMatch(/over the 32768-byte limit for the config/)
    expect(other.published.comments.some((body) => body.startsWith(COMMENT_MARKER))).toBe(true)
    // Two whole reviews and a 7 MB answer: seconds alone, more beside the other test files on a busy 2-core runner.
  }, 90_000)

  it('a payload over the limit is refused with 413, a null or repository-less one with 400; the server keeps serving', async () => {
    const big = JSON.stringify({
      ...pullRequestEvent('opened', { number: 110, headSha: commitSha('x'), baseSha: BASE_SHA }),
      padding: 'x'.repeat(MAX_PAYLOAD)
    })
    expect((await post('pull_request', 'sec-110', big)).status).toBe(413)
    expect((await post('pull_request', 'sec-111', 'null')).status).toBe(400)
    const { repository: _repository, ...withoutRepository } = pullRequestEvent('opened', {
      number: 112,
      headSha: commitSha('y'),
      baseSha: BASE_SHA
    })
    expect((await sendWebhook('pull_request', 'sec-112', withoutRepository)).status).toBe(400)
    expect((await post('pull_request', 'sec-113', '{"not json')).status).toBe(400)
    await reviews.idle()
    expect(outcomes.some((entry) => entry.number >= 110 && entry.number <= 113)).toBe(false)
    expect((await fetch(`${baseUrl}/ping`)).status).toBe(200)
  })
})
