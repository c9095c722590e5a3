// Reviewer and partner commands through the real Probot app: GitHub's own issue_comment payload
// shape, every GitHub call intercepted with nock and asserted.
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { commandRunnerFor } from '../../src/app/handle-comment-command.js'
import appFn from '../../src/app/index.js'
import { ReviewService, type ReviewRequest } from '../../src/app/review-service.js'
import type { PipelineInput, Publication } from '../../src/pull-request/review-pipeline.js'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { COMMENT_MARKER, composeCommentBody, readStateBlock } from '../../src/pull-request/comment-state.js'
import { runReview } from '../../src/review/run-review.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import {
  API,
  PR7,
  OWNER,
  REPO,
  blobResponse,
  blobSha,
  changedFilesResponse,
  commitSha,
  exampleRevisions,
  mockInstallationToken,
  pullRequestObject,
  repoPath,
  testPrivateKey,
  treeResponse,
  captured,
  exampleEvent,
  type CommentBody,
  type LabelsBody,
  type ReactionBody,
  type RepoFiles,
  type WebhookEvent
} from '../github/github-fixture.js'

const BASE_SHA = commitSha('base')
const HEAD_SHA = commitSha('head-1')
const PARTNER = 'wavelet-dev'
const REVIEWER = 'segment-reviewer'
const STICKY_ID = 555
const COMMENT_ID = 9100

let privateKey: string
let base: RepoFiles
let head: RepoFiles

beforeAll(() => {
  privateKey = testPrivateKey()
  ;({ base, head } = exampleRevisions())
})

/** Requests no interceptor answered: the handler swallows the error into a reply, so the test must look. */
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

/** Records review requests instead of running them: these tests are about the commands. */
class RecordingReviewService extends ReviewService {
  readonly requested: ReviewRequest[] = []
  /** Reviews computed for an approval's gates: on the service's review threads, not the webhook's. */
  gateReviews = 0
  override async request(request: ReviewRequest): Promise<void> {
    this.requested.push(request)
  }
  override computePublication(input: PipelineInput): Promise<Publication> {
    this.gateReviews++
    return super.computePublication(input)
  }
}

async function harness() {
  // Probot sets its own throttle options on each installation client, replacing a plain default;
  // a function default runs last, so the writes here are not spaced out by seconds.
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false }
  }))
  const probot = new Probot({ appId: 123, privateKey, logLevel: 'fatal', Octokit })
  const reviews = new RecordingReviewService()
  await probot.load(appFn, { cwd: process.cwd(), addHandler: () => {}, reviewService: reviews })
  const receive = async (payload: object, id = `delivery-${Math.random()}`, name = 'issue_comment') => {
    await probot.receive({ id, name, payload } as never)
    await commandRunnerFor(reviews).idle()
  }
  return { probot, reviews, receive }
}

/** An `issue_comment` payload of any action the tests send (typed as the `created` one; the others share its shape). */
type IssueCommentEvent = Omit<WebhookEvent<'issue_comment', 'created'>, 'action'> & { action: string }

interface CommentOptions {
  body: string
  login?: string
  id?: number
  userType?: IssueCommentEvent['comment']['user']['type']
  onIssue?: boolean
  action?: string
}

/** An `issue_comment` payload from GitHub's own example, moved onto pull request #7. */
function commentEvent(options: CommentOptions): IssueCommentEvent {
  const payload: IssueCommentEvent = exampleEvent('issue_comment', options.action ?? 'created')
  const pr = pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA })
  payload.repository.name = REPO
  payload.repository.full_name = `${OWNER}/${REPO}`
  payload.repository.owner.login = OWNER
  payload.issue.number = 7
  payload.issue.user.login = PARTNER
  payload.issue.html_url = `https://github.com/${OWNER}/${REPO}/pull/7`
  if (options.onIssue) delete payload.issue.pull_request
  else
    payload.issue.pull_request = {
      url: pr.url,
      html_url: pr.html_url,
      diff_url: `${pr.html_url}.diff`,
      patch_url: `${pr.html_url}.patch`,
      merged_at: null
    }
  payload.comment.id = options.id ?? COMMENT_ID
  payload.comment.body = options.body
  payload.comment.user.login = options.login ?? REVIEWER
  payload.comment.user.type = options.userType ?? 'User'
  payload.comment.created_at = '2026-11-27T10:30:00Z'
  payload.comment.updated_at = '2026-11-27T10:30:00Z'
  payload.sender.login = options.login ?? REVIEWER
  payload.installation = { id: 4242, node_id: 'I' }
  return payload
}

interface RestComment {
  id: number
  body: string
  login: string
  type?: string
  at?: string
}

function restComment(comment: RestComment) {
  const at = comment.at ?? '2026-11-27T10:00:00Z'
  return {
    id: comment.id,
    body: comment.body,
    user: { login: comment.login, type: comment.type ?? 'User' },
    created_at: at,
    updated_at: at,
    author_association: 'NONE'
  }
}

function stickyBody(state: Record<string, unknown>) {
  return composeCommentBody('## integration-review\n\nThe review of wavelet: 3 findings block Private Beta.', state as never, PR7)
}

/** What a handler run writes, captured for assertions. */
interface Captured {
  reactions: string[]
  replies: string[]
  stickyUpdates: string[]
  stickyCreated: string[]
  labelsAdded: string[][]
  labelsRemoved: string[]
}

function capture(): Captured {
  return { reactions: [], replies: [], stickyUpdates: [], stickyCreated: [], labelsAdded: [], labelsRemoved: [] }
}

interface ScopeOptions {
  captured: Captured
  config?: string
  comments?: RestComment[]
  commentId?: number
  /** Whether the handler reads and writes the state (any state command in the comment). */
  state?: boolean
  labels?: string[]
}

/** The calls every command comment makes, plus the state read and write when asked. */
function commandScope(options: ScopeOptions): nock.Scope {
  const { captured } = options
  const commentId = options.commentId ?? COMMENT_ID
  const scope = nock(API)
  // Probot caches the installation token, so a second comment in one test does not ask again.
  scope
    .post('/app/installations/4242/access_tokens')
    .optionally()
    .reply(201, {
      token: 'ghs_test_installation_token',
      expires_at: '2099-01-01T00:00:00Z',
      permissions: { issues: 'write', pull_requests: 'write' },
      repository_selection: 'all'
    })
  scope
    .post(repoPath(`/issues/comments/${commentId}/reactions`), (body: ReactionBody) => (captured.reactions.push(body.content), true))
    .times(3)
    .optionally()
    .reply(201, {})
  scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA, labels: options.labels }))
  const config = scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' })
  if (options.config === undefined) config.reply(404, { message: 'Not Found' })
  else
    config.reply(200, {
      type: 'file',
      encoding: 'base64',
      path: '.github/integration-review.yml',
      content: Buffer.from(options.config).toString('base64')
    })
  scope
    .post(repoPath('/issues/7/comments'), (body: CommentBody) => {
      if (body.body.startsWith(COMMENT_MARKER)) captured.stickyCreated.push(body.body)
      // Replies are escaped (mentions carry a zero-width space); compared here as they read.
      else captured.replies.push(body.body.replace(/\u200b/g, ''))
      return true
    })
    .times(2)
    .optionally()
    .reply(201, { id: 777 })
  if (options.state) {
    const comments = options.comments ?? []
    scope.get(repoPath('/issues/7/comments')).query({ per_page: '100' }).reply(200, comments.map(restComment))
    const sticky = comments.find((comment) => comment.id === STICKY_ID)
    if (sticky) {
      scope
        .get(repoPath(`/issues/comments/${STICKY_ID}`))
        .optionally()
        .reply(200, { id: STICKY_ID, body: sticky.body })
      scope
        .patch(repoPath(`/issues/comments/${STICKY_ID}`), (body: CommentBody) => (captured.stickyUpdates.push(body.body), true))
        .optionally()
        .reply(200, {})
    }
  }
  scope.post(repoPath('/labels')).optionally().reply(201, {})
  scope
    .post(repoPath('/issues/7/labels'), (body: LabelsBody) => (captured.labelsAdded.push(body.labels), true))
    .optionally()
    .reply(200, [])
  scope
    .delete((uri) => uri.startsWith(repoPath('/issues/7/labels/')))
    .optionally()
    .reply(function (uri) {
      captured.labelsRemoved.push(decodeURIComponent(uri.slice(repoPath('/issues/7/labels/').length)))
      return [200, []]
    })
  return scope
}

function permission(scope: nock.Scope, login: string, role: 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 404) {
  const interceptor = scope.get(repoPath(`/collaborators/${login}/permission`))
  if (role === 404) return interceptor.reply(404, { message: 'Not Found' })
  const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role
  return interceptor.reply(200, { permission: legacy, role_name: role, user: { login, type: 'User' } })
}

/** The files a review at head needs (blobs may come from the shared cache, so they are optional). */
function reviewFiles(scope: nock.Scope) {
  scope.get(repoPath('/pulls/7/files')).query({ per_page: '100' }).reply(200, changedFilesResponse(base, head))
  scope
    .get(repoPath(`/git/trees/${HEAD_SHA}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(head, HEAD_SHA))
  scope
    .get(repoPath(`/git/trees/${BASE_SHA}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(base, BASE_SHA))
  for (const text of new Set([...head.values(), ...base.values()])) {
    scope
      .get(repoPath(`/git/blobs/${blobSha(text)}`))
      .optionally()
      .reply(200, blobResponse(text))
  }
}

/** The rule ids that block Private Beta on the example pull request, computed by the engine itself. */
function blockingRuleIds(): string[] {
  const review = runReview({
    head: new MemoryFileSource(head),
    base: new MemoryFileSource(base),
    changedPaths: changedFilesResponse(base, head).map((file) => file.filename),
    config: defaultReviewConfig(),
    pullRequest: { body: 'Adds an Identify User action to Wavelet.', authorIsPartner: true }
  })
  return [...new Set(review.findings.filter((finding) => finding.blocks.includes('private-beta')).map((finding) => finding.ruleId))]
}

function stateOfLast(bodies: string[]) {
  const body = bodies.at(-1)
  expect(body).toBeDefined()
  return captured(readStateBlock(body, PR7), 'readable state block')
}

const emptyState = { version: 1, waivers: [], approvals: [], handledComments: [] }

describe('comments that are not commands for the App', () => {
  it('ignores comments on issues, comments by bots, comments without a command, and edits', async () => {
    const { receive, reviews } = await harness()
    await receive(commentEvent({ body: '/recheck', onIssue: true }))
    await receive(commentEvent({ body: '/approve beta', login: 'integration-review[bot]', userType: 'Bot' }))
    await receive(commentEvent({ body: '/approve beta', login: 'dependabot[bot]', userType: 'Bot' }))
    await receive(commentEvent({ body: 'Looks good, thanks!\n> /approve beta\n```\n/waive x -- y\n```' }))
    await receive(commentEvent({ body: '/approve beta', action: 'edited' }))
    expect(reviews.requested).toEqual([])
    // No interceptor was set up: any GitHub call would have failed the test.
  })
})

describe('commands anyone may use', () => {
  it('/recheck reacts and queues a review at the current head, without a reply', async () => {
    const { receive, reviews } = await harness()
    const captured = capture()
    const scope = commandScope({ captured })
    await receive(commentEvent({ body: '/recheck', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.replies).toEqual([])
    expect(reviews.requested.map((request) => [request.pullRequest, request.headSha])).toEqual([
      [{ owner: OWNER, repo: REPO, number: 7 }, HEAD_SHA]
    ])
    expect(scope.isDone()).toBe(true)
  })

  it('/explain answers with the rule documentation, and /help with the commands and rules', async () => {
    const { receive } = await harness()
    const captured = capture()
    commandScope({ captured })
    await receive(commentEvent({ body: '/explain security/hardcoded-secret\n/help', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.replies).toHaveLength(1)
    const reply = captured.replies[0]
    expect(reply).toContain(`@${PARTNER}`)
    expect(reply).toContain('### `security/hardcoded-secret`')
    expect(reply).toContain('**Why it matters.**')
    expect(reply).toContain('| `/waive <rule-id> [<path>[:<line>]] -- <reason>` |')
    expect(reply).toContain('`structure/action-description`')
  })

  it('/explain review/not-analysed explains the fail-closed finding, which is not a catalog rule', async () => {
    const { receive } = await harness()
    const captured = capture()
    commandScope({ captured })
    await receive(commentEvent({ body: '/explain review/not-analysed', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.replies[0]).toContain('### `review/not-analysed` — Every file of a touched integration was analysed')
    expect(captured.replies[0]).toContain('`limits.maxFileBytes`')
  })

  it('a misspelt or malformed command gets 😕, the reason, the closest command and the help text', async () => {
    const { receive, reviews } = await harness()
    const captured = capture()
    commandScope({ captured })
    await receive(commentEvent({ body: '/wave security/hardcoded-secret -- public id\n/approve alpha', login: REVIEWER }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    const reply = captured.replies[0]
    expect(reply).toContain('> /wave security/hardcoded-secret -- public id')
    expect(reply).toContain('did you mean `/waive <rule-id> [<path>[:<line>]] -- <reason>`?')
    expect(reply).toContain('unknown stage "alpha"')
    expect(reply.match(/\*\*integration-review commands\*\*/g)).toHaveLength(1)
    expect(reviews.requested).toEqual([])
  })
})

describe('/waive and /unwaive', () => {
  const sticky = () => ({ id: STICKY_ID, body: stickyBody(emptyState), login: 'integration-review[bot]', type: 'Bot' })

  it('a reviewer with write permission waives a finding: state recorded with who, when, head SHA; review queued', async () => {
    const { receive, reviews } = await harness()
    const captured = capture()
    const scope = commandScope({ captured, state: true, comments: [sticky()] })
    permission(scope, REVIEWER, 'write')
    const path = 'packages/destination-actions/src/destinations/wavelet/identifyUser/index.ts'
    await receive(
      commentEvent({ body: `Checked with Wavelet.\n/waive security/hardcoded-secret ${path}:9 -- the key is a public sandbox id` })
    )

    expect(captured.reactions).toEqual(['eyes', '+1'])
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.waivers).toEqual([
      {
        ruleId: 'security/hardcoded-secret',
        path,
        line: 9,
        reason: 'the key is a public sandbox id',
        by: REVIEWER,
        at: '2026-11-27T10:30:00Z',
        headSha: HEAD_SHA,
        commentId: COMMENT_ID
      }
    ])
    expect(state.handledComments).toEqual([COMMENT_ID])
    expect(captured.stickyUpdates[0]).toContain('The review of wavelet') // the review text is kept
    expect(captured.replies[0]).toContain(
      `Waived \`security/hardcoded-secret\` at \`${path}:9\` by @${REVIEWER}: the key is a public sandbox id`
    )
    expect(reviews.requested).toHaveLength(1)
    expect(scope.isDone()).toBe(true)
  })

  it.each(['admin', 'maintain'] as const)('a reviewer with %s permission may waive', async (role) => {
    const { receive } = await harness()
    const captured = capture()
    const scope = commandScope({ captured, state: true, comments: [sticky()] })
    permission(scope, REVIEWER, role)
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- public id' }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(stateOfLast(captured.stickyUpdates).waivers).toHaveLength(1)
  })

  it.each(['read', 'triage', 404] as const)('someone with %s access is refused, with the reason, and nothing changes', async (role) => {
    const { receive, reviews } = await harness()
    const captured = capture()
    const scope = commandScope({ captured, state: true, comments: [sticky()] })
    permission(scope, 'drive-by', role)
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- please', login: 'drive-by' }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain('Only reviewers may `/waive`')
    expect(stateOfLast(captured.stickyUpdates)).toEqual({ ...emptyState, handledComments: [COMMENT_ID], answeredComments: [COMMENT_ID] })
    expect(reviews.requested).toEqual([])
  })

  it('the partner who opened the pull request cannot waive on it, even with write access', async () => {
    const { receive } = await harness()
    const captured = capture()
    commandScope({ captured, state: true, comments: [sticky()] })
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- it is fine', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain(`@${PARTNER} opened this pull request, so they cannot waive on it, even with write access`)
    expect(stateOfLast(captured.stickyUpdates).waivers).toEqual([])
  })

  it('…unless the config allows authors to review', async () => {
    const { receive } = await harness()
    const captured = capture()
    const scope = commandScope({ captured, state: true, comments: [sticky()], config: 'reviewers:\n  allowAuthorToReview: true\n' })
    permission(scope, PARTNER, 'write')
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- it is fine', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
  })

  it('members of a team named in config may waive; users named in config too', async () => {
    const { receive } = await harness()
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      comments: [sticky()],
      config: 'reviewers:\n  teams: [integrations-review]\n  users: [partner-success]\n'
    })
    permission(scope, 'team-member', 'read')
    scope.get(`/orgs/${OWNER}/teams/integrations-review/memberships/team-member`).reply(200, { role: 'member', state: 'active', url: '' })
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- reviewed by the security team', login: 'team-member' }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(stateOfLast(captured.stickyUpdates).waivers[0].by).toBe('team-member')

    const second = capture()
    commandScope({
      captured: second,
      state: true,
      comments: [sticky()],
      config: 'reviewers:\n  users: [partner-success]\n',
      commentId: 9101
    })
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- ok', login: 'Partner-Success', id: 9101 }))
    expect(second.reactions).toEqual(['eyes', '+1'])
  })

  it('/unwaive removes the waiver and queues a review; unwaiving nothing is refused', async () => {
    const { receive, reviews } = await harness()
    const waiver = { ruleId: 'security/hardcoded-secret', reason: 'public id', by: 'lead', at: '2026-11-27T09:00:00Z', headSha: HEAD_SHA }
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ ...sticky(), body: stickyBody({ ...emptyState, waivers: [waiver] }) }]
    })
    permission(scope, REVIEWER, 'write')
    await receive(commentEvent({ body: '/unwaive security/hardcoded-secret\n/unwaive security/no-process-env' }))
    expect(captured.reactions).toEqual(['eyes', '+1', 'confused'])
    expect(stateOfLast(captured.stickyUpdates).waivers).toEqual([])
    expect(captured.replies[0]).toContain('Removed the waiver of `security/hardcoded-secret` (everywhere)')
    expect(captured.replies[0]).toContain('No waiver of `security/no-process-env` (everywhere) to remove')
    expect(reviews.requested).toHaveLength(1)
  })
})

describe('/approve and /revoke', () => {
  it('refuses to approve Private Beta while findings block it, and says which', async () => {
    const { receive } = await harness()
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: stickyBody(emptyState), login: 'integration-review[bot]', type: 'Bot' }]
    })
    permission(scope, REVIEWER, 'write')
    reviewFiles(scope)
    await receive(commentEvent({ body: '/approve beta' }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain('Not approved for Private Beta: its gate does not hold at')
    for (const ruleId of blockingRuleIds()) expect(captured.replies[0]).toContain(`\`${ruleId}\``)
    expect(captured.labelsAdded).toEqual([])
    expect(stateOfLast(captured.stickyUpdates).approvals).toEqual([])
  })

  it('waives every blocking finding and approves Private Beta in one comment, in order: label set, approval recorded', async () => {
    const { receive, reviews } = await harness()
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: stickyBody(emptyState), login: 'integration-review[bot]', type: 'Bot' }]
    })
    permission(scope, REVIEWER, 'write')
    reviewFiles(scope)
    const blocking = blockingRuleIds()
    expect(blocking.length).toBeGreaterThan(0)
    const body = [...blocking.map((ruleId) => `/waive ${ruleId} -- reviewed with Wavelet`), '/approve beta'].join('\n')
    await receive(commentEvent({ body }))

    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.labelsAdded).toEqual([['release: private beta']])
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.waivers.map((waiver) => waiver.ruleId)).toEqual(blocking)
    expect(state.approvals).toEqual([
      { stage: 'private-beta', by: REVIEWER, at: '2026-11-27T10:30:00Z', headSha: HEAD_SHA, commentId: COMMENT_ID }
    ])
    expect(captured.replies[0]).toContain(
      `Private Beta approved by @${REVIEWER} at ${HEAD_SHA.slice(0, 7)}. Label \`release: private beta\` set.`
    )
    expect(reviews.requested).toHaveLength(1)
    expect(reviews.gateReviews).toBe(1)
  })

  it('the author cannot approve their own pull request', async () => {
    const { receive } = await harness()
    const captured = capture()
    commandScope({ captured, state: true, comments: [] })
    await receive(commentEvent({ body: '/approve beta', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain('cannot approve on it')
    expect(captured.labelsAdded).toEqual([])
    // No review comment exists yet and the state is empty: none is created just to hold it.
    expect(captured.stickyCreated).toEqual([])
  })

  it('/revoke removes the approval and the release label (configured name)', async () => {
    const { receive } = await harness()
    const approval = { stage: 'private-beta', by: 'lead', at: '2026-11-27T09:00:00Z', headSha: HEAD_SHA }
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      config: "labels:\n  releasePrivateBeta: 'launch: beta'\n",
      comments: [
        { id: STICKY_ID, body: stickyBody({ ...emptyState, approvals: [approval] }), login: 'integration-review[bot]', type: 'Bot' }
      ]
    })
    permission(scope, REVIEWER, 'write')
    await receive(commentEvent({ body: '/revoke beta' }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.labelsRemoved).toEqual(['launch: beta'])
    expect(stateOfLast(captured.stickyUpdates).approvals).toEqual([])
    expect(captured.replies[0]).toContain(`Private Beta approval (by @lead) revoked by @${REVIEWER}. Label \`launch: beta\` removed.`)
  })
})

describe('state lost and rebuilt', () => {
  const history: RestComment[] = [
    { id: 100, login: REVIEWER, body: '/waive security/hardcoded-secret -- public sandbox id', at: '2026-11-27T09:00:00Z' },
    { id: 101, login: PARTNER, body: '/waive tests/action-tests-present -- tests come later', at: '2026-11-27T09:05:00Z' },
    { id: 102, login: 'integration-review[bot]', type: 'Bot', body: '@segment-reviewer Waived …', at: '2026-11-27T09:06:00Z' },
    { id: 103, login: 'drive-by', body: 'Can someone\n/waive security/secret-setting-not-password -- please', at: '2026-11-27T09:07:00Z' }
  ]

  it('after the sticky comment was deleted, replays the authorised commands, applies the new one, and writes a new comment', async () => {
    const { receive, reviews } = await harness()
    const captured = capture()
    const scope = commandScope({ captured, state: true, comments: history })
    permission(scope, REVIEWER, 'write')
    permission(scope, 'drive-by', 'read')
    await receive(commentEvent({ body: '/waive security/secret-setting-not-password -- signing secret is public by design' }))

    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.stickyCreated).toHaveLength(1)
    const state = stateOfLast(captured.stickyCreated)
    expect(state.waivers.map((waiver) => [waiver.ruleId, waiver.by, waiver.replayed ?? false])).toEqual([
      ['security/hardcoded-secret', REVIEWER, true],
      ['security/secret-setting-not-password', REVIEWER, false]
    ])
    // The partner's own waiver and the drive-by's were not authorised then and are not now.
    expect(state.handledComments).toEqual([100, 101, 103, COMMENT_ID])
    expect(captured.replies[0]).toContain(
      "_Note: state rebuilt from the pull request's comments: the review comment is missing. 1 earlier command was replayed from reviewers' comments; 2 from people who may not issue them were skipped."
    )
    expect(reviews.requested).toHaveLength(1)
    expect(scope.isDone()).toBe(true)
  })

  it('replays the history when the review comment was recreated by a review with a fresh, empty state', async () => {
    const { receive } = await harness()
    const captured = capture()
    const fresh = {
      id: STICKY_ID,
      body: stickyBody({ version: 1, waivers: [], approvals: [] }),
      login: 'integration-review[bot]',
      type: 'Bot',
      at: '2026-11-27T10:10:00Z'
    }
    const scope = commandScope({ captured, state: true, comments: [...history, fresh] })
    permission(scope, REVIEWER, 'write')
    permission(scope, 'drive-by', 'read')
    await receive(commentEvent({ body: '/recheck\n/waive security/secret-setting-not-password -- signing secret is public by design' }))
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.waivers.map((waiver) => waiver.ruleId)).toEqual(['security/hardcoded-secret', 'security/secret-setting-not-password'])
  })

  it('rebuilds when the state block is damaged', async () => {
    const { receive } = await harness()
    const captured = capture()
    const damaged = `${COMMENT_MARKER}\n## integration-review\n\n<!-- integration-review:state v1 bm90IGpzb24= -->\n`
    const scope = commandScope({
      captured,
      state: true,
      comments: [...history, { id: STICKY_ID, body: damaged, login: 'integration-review[bot]', type: 'Bot' }]
    })
    permission(scope, REVIEWER, 'write')
    permission(scope, 'drive-by', 'read')
    await receive(commentEvent({ body: '/recheck\n/unwaive security/hardcoded-secret' }))
    expect(captured.reactions).toEqual(['eyes', '+1'])
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.waivers).toEqual([])
    expect(captured.replies[0]).toContain('Removed the waiver of `security/hardcoded-secret` (everywhere)')
  })

  it('does not overwrite a state block written by a newer version', async () => {
    const { receive } = await harness()
    const captured = capture()
    const newer = `${COMMENT_MARKER}\n## integration-review\n\n<!-- integration-review:state v2 e30= -->\n`
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: newer, login: 'integration-review[bot]', type: 'Bot' }]
    })
    permission(scope, REVIEWER, 'write')
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- ok' }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain('newer than this app understands')
    expect(captured.stickyUpdates).toEqual([])
  })
})

describe('idempotency', () => {
  it('handles a comment once: same delivery id, or the same comment under another delivery id', async () => {
    const { receive } = await harness()
    const captured = capture()
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: stickyBody(emptyState), login: 'integration-review[bot]', type: 'Bot' }]
    })
    permission(scope, REVIEWER, 'write')
    const event = commentEvent({ body: '/waive security/hardcoded-secret -- ok' })
    await receive(event, 'delivery-a')
    await receive(event, 'delivery-a')
    await receive(event, 'delivery-b')
    expect(captured.reactions).toEqual(['eyes', '+1'])
    expect(captured.replies).toHaveLength(1)
    expect(scope.isDone()).toBe(true)
  })

  it('a fresh process skips a comment the state already records as handled and answered', async () => {
    const { receive } = await harness()
    const captured = capture()
    const handled = { ...emptyState, handledComments: [COMMENT_ID], answeredComments: [COMMENT_ID] }
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: stickyBody(handled), login: 'integration-review[bot]', type: 'Bot' }]
    })
    await receive(commentEvent({ body: '/waive security/hardcoded-secret -- ok' }))
    expect(captured.reactions).toEqual(['eyes'])
    expect(captured.replies).toEqual([])
    expect(captured.stickyUpdates).toEqual([])
    scope.done()
  })
})

describe('a command a review replayed before the handler saw it', () => {
  it("a partner's /approve already replayed by a review still gets its refusal, and is recorded as answered", async () => {
    const { receive } = await harness()
    const captured = capture()
    // A push's review rebuilt the state from the comments first: the partner's comment is handled (skipped as unauthorised).
    const replayed = { ...emptyState, handledComments: [COMMENT_ID] }
    const scope = commandScope({
      captured,
      state: true,
      comments: [{ id: STICKY_ID, body: stickyBody(replayed), login: 'integration-review[bot]', type: 'Bot' }]
    })
    scope
      .get(repoPath(`/collaborators/${PARTNER}/permission`))
      .optionally()
      .reply(200, { permission: 'read', role_name: 'read', user: { login: PARTNER, type: 'User' } })
    await receive(commentEvent({ body: '/approve public', login: PARTNER }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies).toHaveLength(1)
    expect(captured.replies[0]).toContain(`@${PARTNER}`)
    expect(captured.replies[0]).toMatch(/cannot approve|Only reviewers/)
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.approvals).toEqual([])
    expect(state.answeredComments).toEqual([COMMENT_ID])
    scope.done()
  })
})

describe('failures are answered, not swallowed', () => {
  it('a command that fails stops the ones after it and keeps the ones before', async () => {
    const { receive } = await harness()
    const approval = { stage: 'public', by: 'lead', at: '2026-11-27T09:00:00Z', headSha: HEAD_SHA }
    const captured = capture()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope
      .post(repoPath(`/issues/comments/${COMMENT_ID}/reactions`), (body: ReactionBody) => (captured.reactions.push(body.content), true))
      .times(3)
      .reply(201, {})
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha: HEAD_SHA, baseSha: BASE_SHA }))
    scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).reply(404, { message: 'Not Found' })
    const sticky = stickyBody({ ...emptyState, approvals: [approval] })
    scope
      .get(repoPath('/issues/7/comments'))
      .query({ per_page: '100' })
      .reply(200, [restComment({ id: STICKY_ID, body: sticky, login: 'integration-review[bot]', type: 'Bot' })])
    permission(scope, REVIEWER, 'write')
    scope.delete(repoPath('/issues/7/labels/release%3A%20public')).reply(500, { message: 'Server Error' })
    scope.get(repoPath(`/issues/comments/${STICKY_ID}`)).reply(200, { id: STICKY_ID, body: sticky })
    scope
      .patch(repoPath(`/issues/comments/${STICKY_ID}`), (body: CommentBody) => (captured.stickyUpdates.push(body.body), true))
      .reply(200, {})
    scope
      .post(repoPath('/issues/7/comments'), (body: CommentBody) => (captured.replies.push(body.body.replace(/\u200b/g, '')), true))
      .reply(201, { id: 1 })
    await receive(
      commentEvent({ body: '/waive security/hardcoded-secret -- public id\n/revoke public\n/unwaive security/hardcoded-secret' })
    )

    expect(captured.reactions).toEqual(['eyes', '+1', 'confused'])
    const state = stateOfLast(captured.stickyUpdates)
    expect(state.waivers.map((waiver) => waiver.ruleId)).toEqual(['security/hardcoded-secret'])
    expect(state.approvals).toEqual([approval])
    expect(captured.replies[0]).toContain(
      '> /revoke public\n\nSomething went wrong (Server Error); this command and those after it were not applied.'
    )
    expect(captured.replies[0]).not.toContain('Removed the waiver')
    expect(scope.isDone()).toBe(true)
  })

  it('replies with the reason and 😕 when GitHub fails mid-way', async () => {
    const { receive } = await harness()
    const captured: Captured = capture()
    const scope = nock(API)
    mockInstallationToken(scope)
    scope
      .post(repoPath(`/issues/comments/${COMMENT_ID}/reactions`), (body: ReactionBody) => (captured.reactions.push(body.content), true))
      .times(2)
      .reply(201, {})
    scope.get(repoPath('/pulls/7')).reply(502, { message: 'Bad Gateway' })
    scope
      .post(repoPath('/issues/7/comments'), (body: CommentBody) => (captured.replies.push(body.body.replace(/\u200b/g, '')), true))
      .reply(201, { id: 1 })
    await receive(commentEvent({ body: '/recheck' }))
    expect(captured.reactions).toEqual(['eyes', 'confused'])
    expect(captured.replies[0]).toContain('Something went wrong while handling this comment (Bad Gateway')
  })
})
