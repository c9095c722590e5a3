// End to end: the real Probot server on loopback, signed webhooks over HTTP, GitHub served by nock.
import { createHmac } from 'node:crypto'
import { createServer as createNetServer } from 'node:net'
import nock from 'nock'
import { Probot, ProbotOctokit, Server } from 'probot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandRunnerFor } from '../../src/app/handle-comment-command.js'
import appFn from '../../src/app/index.js'
import { ReviewService } from '../../src/app/review-service.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { COMMENT_MARKER, MAX_COMMENT_LENGTH, readStateBlock } from '../../src/pull-request/comment-state.js'
import type { ReviewOutcome } from '../../src/github/review-pull-request.js'
import { runReview } from '../../src/review/run-review.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import {
  API,
  OWNER,
  REPO,
  blobResponse,
  blobSha,
  changedFilesResponse,
  checkRunObject,
  capturingLogger,
  commitSha,
  exampleRevisions,
  mockInstallationToken,
  mockReviewReads,
  pullRequestEvent,
  pullRequestObject,
  repoPath,
  testPrivateKey,
  treeResponse,
  annotationsOf,
  exampleEvent,
  type CheckRunBody,
  type CommentBody,
  type LabelsBody,
  type PullRequest,
  type ReactionBody,
  type RepoFiles
} from '../github/github-fixture.js'

const SECRET = 'end-to-end-webhook-secret'
const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const LIB = 'packages/destination-actions/src/lib/hashing-utils.ts'
const BASE_SHA = commitSha('e2e-base')

let server: Server
let baseUrl: string
let reviews: ReviewService
const outcomes: Array<{ number: number; headSha: string; outcome: ReviewOutcome }> = []
/** Blob SHAs GitHub has served: the shared cache must never ask for one twice. */
const served = new Set<string>()
let tokenScope: nock.Scope
let example: { base: RepoFiles; head: RepoFiles }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

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
  // The review threads load the engine before the first webhook, as the App's start does.
  await reviews.warmUp()
  const port = await freePort()
  server = new Server({
    host: '127.0.0.1',
    port,
    log,
    Probot: Probot.defaults({
      appId: 123,
      privateKey: testPrivateKey(),
      secret: SECRET,
      // Retries stay on (a 502 is retried) but without waiting; throttling off for speed.
      Octokit: ProbotOctokit.defaults((options: object) => ({
        ...options,
        retry: { retryAfterBaseValue: 0 },
        throttle: { enabled: false }
      }))
    })
  })
  await server.load((app, options) => appFn(app, { ...options, reviewService: reviews }))
  await server.start()
  baseUrl = `http://127.0.0.1:${port}`
  // The installation token is fetched once and cached by Probot for every later event.
  tokenScope = mockInstallationToken(nock(API))
}, 180_000)

afterAll(async () => {
  await server?.stop()
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
  expect(tokenScope.pendingMocks()).toEqual([])
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(condition()).toBe(true)
}

async function sendWebhook(name: string, id: string, payload: unknown, secret = SECRET): Promise<Response> {
  const body = JSON.stringify(payload)
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  return fetch(`${baseUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': id, 'x-hub-signature-256': signature },
    body
  })
}

/** What a review loads: the integration folder, plus the shared library file its actions import. */
function neededPaths(files: RepoFiles): string[] {
  const folder = [...files.keys()].filter((path) => path.startsWith(WAVELET))
  const importsLib = folder.some((path) => (files.get(path) ?? '').includes('lib/hashing-utils'))
  return importsLib ? [...folder, LIB] : folder
}

/** Paths whose blobs are not in the cache yet (and marks them served). */
function unserved(files: RepoFiles, paths: string[]): string[] {
  return paths.filter((path) => {
    const sha = blobSha(files.get(path) ?? '')
    if (served.has(sha)) return false
    served.add(sha)
    return true
  })
}

/** The example head plus a `syncProfile` action whose profile attributes have no description. */
function withProfileAttributes(count: number): RepoFiles {
  const files = new Map(example.head)
  const attributes = Array.from({ length: count }, (_, index) => `profile_attribute_${String(index + 1).padStart(3, '0')}`)
  files.set(
    `${WAVELET}syncProfile/profile-fields.ts`,
    [
      "import type { InputField } from '@segment/actions-core'",
      '',
      '// One field per attribute of the Wavelet profile schema.',
      'export const profileFields: Record<string, InputField> = {',
      ...attributes.map(
        (name) =>
          `  ${name}: {\n    label: '${name.replace(/_/g, ' ')}',\n    type: 'string',\n    required: false,\n    default: { '@path': '$.traits.${name}' }\n  },`
      ),
      '}',
      ''
    ].join('\n')
  )
  files.set(
    `${WAVELET}syncProfile/index.ts`,
    `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import { REGION_HOSTS, WAVELET_API_VERSION } from '../constants'
import { profileFields } from './profile-fields'

const action: ActionDefinition<Settings, Record<string, string | undefined>> = {
  title: 'Sync Profile',
  description: 'Copy profile attributes from Segment traits to the Wavelet profile.',
  defaultSubscription: 'type = "identify"',
  fields: { ...profileFields },
  perform: (request, { settings, payload }) => {
    return request(\`\${REGION_HOSTS[settings.region ?? 'us']}/\${WAVELET_API_VERSION}/profiles\`, { method: 'put', json: payload })
  }
}

export default action
`
  )
  const index = files.get(`${WAVELET}index.ts`) ?? ''
  files.set(
    `${WAVELET}index.ts`,
    index
      .replace(
        "import identifyUser from './identifyUser'\n",
        "import identifyUser from './identifyUser'\nimport syncProfile from './syncProfile'\n"
      )
      .replace('    identifyUser\n  }', '    identifyUser,\n    syncProfile\n  }')
  )
  return files
}

interface Published {
  checkRunPatches: CheckRunBody[]
  comment?: string
  labels?: string[]
}

/** Mocks one whole review that publishes: reads, the check run, a new comment and the labels. */
function mockPublishingReview(
  number: number,
  headSha: string,
  base: RepoFiles,
  head: RepoFiles,
  checkRunId: number,
  labelsToCreate: number,
  firstRead?: () => Promise<PullRequest>
): { scope: nock.Scope; published: Published } {
  const published: Published = { checkRunPatches: [] }
  const scope = nock(API)
  mockReviewReads(scope, {
    number,
    base,
    head,
    baseSha: BASE_SHA,
    headSha,
    headBlobs: unserved(head, neededPaths(head)),
    baseBlobs: unserved(base, neededPaths(base)),
    checkRunId,
    firstRead
  })
  scope.get(repoPath(`/pulls/${number}`)).reply(200, pullRequestObject({ number, headSha, baseSha: BASE_SHA }))
  scope
    .patch(repoPath(`/check-runs/${checkRunId}`), (body: CheckRunBody) => (published.checkRunPatches.push(body), true))
    .times(100)
    .optionally()
    .reply(200, { id: checkRunId })
  scope
    .post(repoPath(`/issues/${number}/comments`), (body: CommentBody) => ((published.comment = body.body), true))
    .reply(201, { id: 7000 + number })
  if (labelsToCreate > 0)
    scope
      .post(repoPath('/labels'))
      .times(labelsToCreate)
      .reply(422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] })
  scope.post(repoPath(`/issues/${number}/labels`), (body: LabelsBody) => ((published.labels = body.labels), true)).reply(200, [])
  return { scope, published }
}

describe('the Probot server on loopback', () => {
  it('refuses a webhook with a bad signature and does nothing', async () => {
    const response = await sendWebhook(
      'pull_request',
      'forged-1',
      pullRequestEvent('opened', { number: 10, headSha: commitSha('x'), baseSha: BASE_SHA }),
      'wrong-secret'
    )
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    await reviews.idle()
    expect(outcomes).toEqual([])
  })

  it('answers at once, then publishes 120+ annotations in batches of 50 and ignores a redelivery', async () => {
    const number = 11
    const headSha = commitSha('e2e-11')
    const head = withProfileAttributes(120)
    const base = example.head
    // Hold GitHub's first answer until the webhook response is in: the review runs after it.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let firstReadDone = false
    const { scope, published } = mockPublishingReview(number, headSha, base, head, 811, 3, async () => {
      await held
      firstReadDone = true
      return pullRequestObject({ number, headSha, baseSha: BASE_SHA })
    })

    const payload = pullRequestEvent('synchronize', { number, headSha, baseSha: BASE_SHA })
    const response = await sendWebhook('pull_request', 'delivery-11', payload)
    expect(response.status).toBe(200)
    expect(firstReadDone).toBe(false)
    release()
    await reviews.idle()
    expect(firstReadDone).toBe(true)
    expect(scope.pendingMocks()).toEqual([])

    const [completion, ...more] = published.checkRunPatches
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' })
    const batches = published.checkRunPatches.map((patch) => annotationsOf(patch).length)
    const total = batches.reduce((sum, size) => sum + size, 0)
    expect(total).toBeGreaterThanOrEqual(120)
    expect(batches.length).toBe(Math.ceil(total / 50))
    expect(batches.length).toBeGreaterThanOrEqual(3)
    expect(batches.slice(0, -1).every((size) => size === 50)).toBe(true)
    for (const patch of more) expect(patch.status).toBeUndefined()
    const fieldFindings = published.checkRunPatches
      .flatMap((patch) => annotationsOf(patch))
      .filter((a) => a.title === 'structure/field-description')
    expect(fieldFindings).toHaveLength(120)
    expect(published.comment?.startsWith(COMMENT_MARKER)).toBe(true)

    // GitHub redelivers the same delivery: nothing happens (no mock is left to answer).
    const again = await sendWebhook('pull_request', 'delivery-11', payload)
    expect(again.status).toBe(200)
    await reviews.idle()
    expect(outcomes.filter((entry) => entry.number === number)).toHaveLength(1)
  })

  it('cuts a comment that would be too long, with a note, under 65,536 characters', async () => {
    const number = 12
    const headSha = commitSha('e2e-12')
    const { scope, published } = mockPublishingReview(number, headSha, example.head, withProfileAttributes(700), 812, 3)
    expect(
      (await sendWebhook('pull_request', 'delivery-12', pullRequestEvent('opened', { number, headSha, baseSha: BASE_SHA }))).status
    ).toBe(200)
    await reviews.idle()
    expect(scope.pendingMocks()).toEqual([])
    const comment = published.comment ?? ''
    expect(comment.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
    expect(comment).toMatch(/cut/)
    expect(comment).toContain('<!-- integration-review:state v1 ')
    const total = published.checkRunPatches.reduce((sum, patch) => sum + annotationsOf(patch).length, 0)
    expect(total).toBeGreaterThanOrEqual(700)
  })

  it('publishes only the newest of two quick pushes', async () => {
    const number = 13
    const firstSha = commitSha('e2e-13-a')
    const secondSha = commitSha('e2e-13-b')
    const firstHead = withProfileAttributes(3)
    const secondHead = new Map(firstHead)
    secondHead.set(
      `${WAVELET}syncProfile/profile-fields.ts`,
      (firstHead.get(`${WAVELET}syncProfile/profile-fields.ts`) ?? '').replace(
        "type: 'string'",
        "description: 'An attribute of the profile.',\n    type: 'string'"
      )
    )

    // First push: its review is held at its first read until the second push has been answered.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let firstReviewStarted = false
    const first = nock(API)
    mockReviewReads(first, {
      number,
      base: example.head,
      head: firstHead,
      baseSha: BASE_SHA,
      headSha: firstSha,
      headBlobs: unserved(firstHead, neededPaths(firstHead)),
      baseBlobs: unserved(example.head, neededPaths(example.head)),
      checkRunId: 8131,
      firstRead: async () => {
        firstReviewStarted = true
        await held
        return pullRequestObject({ number, headSha: firstSha, baseSha: BASE_SHA })
      }
    })
    let superseded: CheckRunBody = {}
    first.patch(repoPath('/check-runs/8131'), (body: CheckRunBody) => ((superseded = body), true)).reply(200, {})

    expect(
      (await sendWebhook('pull_request', 'delivery-13a', pullRequestEvent('synchronize', { number, headSha: firstSha, baseSha: BASE_SHA })))
        .status
    ).toBe(200)
    // The first review is running (held at its first read) when the second push arrives.
    await waitFor(() => firstReviewStarted)
    const second = mockPublishingReview(number, secondSha, example.head, secondHead, 8132, 3)
    expect(
      (
        await sendWebhook(
          'pull_request',
          'delivery-13b',
          pullRequestEvent('synchronize', { number, headSha: secondSha, baseSha: BASE_SHA })
        )
      ).status
    ).toBe(200)
    release()
    await reviews.idle()

    expect(first.pendingMocks()).toEqual([])
    expect(second.scope.pendingMocks()).toEqual([])
    expect(superseded).toMatchObject({ conclusion: 'neutral', output: { title: 'Superseded by a newer commit' } })
    expect(outcomes.filter((entry) => entry.number === number).map((entry) => [entry.headSha, entry.outcome.outcome])).toEqual([
      [firstSha, 'stale'],
      [secondSha, 'published']
    ])
    // The newer review fixed the first attribute's description: one fewer finding than three.
    const fieldFindings = second.published.checkRunPatches
      .flatMap((patch) => annotationsOf(patch))
      .filter((a) => a.title === 'structure/field-description')
    expect(fieldFindings).toHaveLength(2)
  })

  it('retries a GitHub 502 and then publishes', async () => {
    const number = 14
    const headSha = commitSha('e2e-14')
    const flaky = nock(API)
      .get(repoPath(`/pulls/${number}`))
      .reply(502, 'Bad Gateway')
    const { scope, published } = mockPublishingReview(number, headSha, example.head, withProfileAttributes(5), 814, 3)
    expect(
      (await sendWebhook('pull_request', 'delivery-14', pullRequestEvent('opened', { number, headSha, baseSha: BASE_SHA }))).status
    ).toBe(200)
    await reviews.idle()
    expect(flaky.pendingMocks()).toEqual([])
    expect(scope.pendingMocks()).toEqual([])
    expect(outcomes.find((entry) => entry.number === number)?.outcome).toMatchObject({ outcome: 'published' })
    expect(published.comment).toContain('structure/field-description')
  })
})

describe('reviewer commands over the server', () => {
  /** An `issue_comment.created` payload from GitHub's own example, on pull request `number`. */
  function issueCommentEvent(number: number, commentId: number, login: string, body: string) {
    const payload = exampleEvent('issue_comment', 'created')
    const pr = pullRequestObject({ number, headSha: commitSha('unused'), baseSha: BASE_SHA })
    payload.repository = pullRequestEvent('opened', { number, headSha: commitSha('unused'), baseSha: BASE_SHA }).repository
    payload.issue.number = number
    payload.issue.pull_request = {
      url: pr.url,
      html_url: pr.html_url,
      diff_url: `${pr.html_url}.diff`,
      patch_url: `${pr.html_url}.patch`,
      merged_at: null
    }
    payload.comment = {
      ...payload.comment,
      id: commentId,
      body,
      user: { ...payload.comment.user, login, type: 'User' },
      created_at: '2026-11-27T11:00:00Z',
      updated_at: '2026-11-27T11:00:00Z'
    }
    payload.sender = { ...payload.sender, login }
    payload.installation = { id: 4242, node_id: 'I' }
    return payload
  }

  it('a reviewer waives the blocking findings and approves Private Beta: label set, state kept, review re-run with the waivers', async () => {
    const number = 15
    const headSha = commitSha('e2e-15')
    const commentId = 15_001
    const reviewer = 'segment-reviewer'
    const base = example.base
    const head = example.head

    // 1. The pull request is opened and reviewed: blocked.
    const first = mockPublishingReview(number, headSha, base, head, 815, 4)
    expect(
      (await sendWebhook('pull_request', 'delivery-15', pullRequestEvent('opened', { number, headSha, baseSha: BASE_SHA }))).status
    ).toBe(200)
    await reviews.idle()
    expect(first.scope.pendingMocks()).toEqual([])
    expect(first.published.checkRunPatches[0]).toMatchObject({ conclusion: 'failure' })
    let sticky = first.published.comment ?? ''
    const stickyId = 7000 + number

    // What blocks Private Beta, as the engine itself computes it (the rules evolve; the test follows).
    const blocking = [
      ...new Set(
        runReview({
          head: new MemoryFileSource(head),
          base: new MemoryFileSource(base),
          changedPaths: changedFilesResponse(base, head).map((file) => file.filename),
          config: defaultReviewConfig(),
          pullRequest: { body: 'Adds an Identify User action to Wavelet.', authorIsPartner: true }
        })
          .findings.filter((finding) => finding.blocks.includes('private-beta'))
          .map((finding) => finding.ruleId)
      )
    ]
    expect(blocking.length).toBeGreaterThan(0)

    // 2. The reviewer's comment: one waiver per blocking rule, then the approval.
    const scope = nock(API)
    const reactions: string[] = []
    const replies: string[] = []
    const labelsAdded: string[][] = []
    const checkRuns: CheckRunBody[] = []
    const pr = () => pullRequestObject({ number, headSha, baseSha: BASE_SHA, labels: ['review: blocked'] })
    const comments = () => [
      {
        id: stickyId,
        body: sticky,
        user: { login: 'integration-review[bot]', type: 'Bot' },
        created_at: '2026-11-27T10:00:00Z',
        updated_at: '2026-11-27T10:00:00Z'
      }
    ]
    scope
      .post(repoPath(`/issues/comments/${commentId}/reactions`), (body: ReactionBody) => (reactions.push(body.content), true))
      .times(2)
      .reply(201, {})
    scope
      .get(repoPath(`/pulls/${number}`))
      .times(3)
      .reply(200, pr)
    scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).times(2).reply(404, { message: 'Not Found' })
    scope
      .get(repoPath(`/issues/${number}/comments`))
      .query({ per_page: '100' })
      .times(2)
      .reply(200, comments)
    scope
      .get(repoPath(`/collaborators/${reviewer}/permission`))
      .reply(200, { permission: 'write', role_name: 'write', user: { login: reviewer } })
    // The approval runs the review at head to know the gate; so does the re-run.
    scope
      .get(repoPath(`/pulls/${number}/files`))
      .query({ per_page: '100' })
      .times(2)
      .reply(200, changedFilesResponse(base, head))
    scope
      .get(repoPath(`/git/trees/${headSha}`))
      .query({ recursive: '1' })
      .times(2)
      .reply(200, treeResponse(head, headSha))
    scope
      .get(repoPath(`/git/trees/${BASE_SHA}`))
      .query({ recursive: '1' })
      .times(2)
      .reply(200, treeResponse(base, BASE_SHA))
    for (const text of new Set([...head.values(), ...base.values()]))
      scope
        .get(repoPath(`/git/blobs/${blobSha(text)}`))
        .optionally()
        .reply(200, blobResponse(text))
    scope
      .post(repoPath('/labels'))
      .times(10)
      .optionally()
      .reply(422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] })
    scope
      .post(repoPath(`/issues/${number}/labels`), (body: LabelsBody) => (labelsAdded.push(body.labels), true))
      .times(2)
      .optionally()
      .reply(200, [])
    scope
      .delete((uri) => uri.startsWith(repoPath(`/issues/${number}/labels/`)))
      .times(3)
      .optionally()
      .reply(200, [])
    scope
      .get(repoPath(`/issues/comments/${stickyId}`))
      .times(2)
      .reply(200, () => ({ id: stickyId, body: sticky }))
    scope
      .patch(repoPath(`/issues/comments/${stickyId}`), (body: CommentBody) => ((sticky = body.body), true))
      .times(2)
      .reply(200, {})
    scope
      .post(repoPath(`/issues/${number}/comments`), (body: CommentBody) => (replies.push(body.body.replace(/\u200b/g, '')), true))
      .reply(201, { id: 15_002 })
    // The re-run finds the first check run (with annotations) and replaces it with a fresh one.
    const firstRun = first.published.checkRunPatches[0]
    scope
      .get(repoPath(`/commits/${headSha}/check-runs`))
      .query({ check_name: 'integration-review', filter: 'latest', per_page: '100' })
      .reply(200, {
        total_count: 1,
        check_runs: [
          checkRunObject(
            { id: 815, status: 'completed', external_id: firstRun.external_id ?? null, annotations_count: annotationsOf(firstRun).length },
            headSha
          )
        ]
      })
    scope.post(repoPath('/check-runs'), (body: CheckRunBody) => (checkRuns.push(body), true)).reply(201, { id: 816 })

    const body = [
      'Went through these with Wavelet.',
      ...blocking.map((ruleId) => `/waive ${ruleId} -- reviewed with the partner`),
      '/approve beta'
    ].join('\n')
    expect((await sendWebhook('issue_comment', 'delivery-15-comment', issueCommentEvent(number, commentId, reviewer, body))).status).toBe(
      200
    )
    // The webhook is answered once the comment is taken up; the command runner, then the review queue, drain.
    await commandRunnerFor(reviews).idle()
    await reviews.idle()
    expect(scope.pendingMocks()).toEqual([])

    expect(reactions).toEqual(['eyes', '+1'])
    expect(replies).toHaveLength(1)
    for (const ruleId of blocking)
      expect(replies[0]).toContain(`Waived \`${ruleId}\` (everywhere) by @${reviewer}: reviewed with the partner`)
    expect(replies[0]).toContain(`Private Beta approved by @${reviewer} at ${headSha.slice(0, 7)}. Label \`release: private beta\` set.`)
    expect(labelsAdded).toContainEqual(['release: private beta'])
    const state = readStateBlock(sticky, { owner: OWNER, repo: REPO, number })
    expect(state?.waivers.map((waiver) => waiver.ruleId)).toEqual(blocking)
    expect(state?.approvals).toEqual([{ stage: 'private-beta', by: reviewer, at: '2026-11-27T11:00:00Z', headSha, commentId }])
    // The re-run applied the waivers: nothing fails any more, and the comment shows them as waived.
    expect(checkRuns[0]).toMatchObject({ status: 'completed' })
    expect(checkRuns[0].conclusion).not.toBe('failure')
    expect(annotationsOf(checkRuns[0]).filter((annotation) => annotation.annotation_level === 'failure')).toEqual([])
    expect(sticky).toMatch(/waived/i)
    expect(outcomes.filter((entry) => entry.number === number).map((entry) => entry.outcome.outcome)).toEqual(['published', 'published'])
  })
})
