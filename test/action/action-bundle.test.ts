// The bundled Action (action/dist/index.js) run as the runner runs it, against a local HTTP server
// playing GitHub's API over the example pull request (a partner adds an action to one destination).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseStateBlock } from '../../src/pull-request/comment-state.js'
import { OWNER, REPO, commitSha, exampleRevisions, pullRequestEvent } from '../github/github-fixture.js'
import { issueCommentEvent, runBundledAction } from '../support/action-process.js'
import { FakeGitHubApi, type FakeRepository } from '../support/fake-github-api.js'
import { ReadinessOutputShape, SarifLogShape } from '../support/report-output-schemas.js'

const PARTNER = 'wavelet-dev'
const REVIEWER = 'segment-reviewer'
const PULL_REQUEST = { number: 7, headSha: commitSha('bundle-head'), baseSha: commitSha('bundle-base'), login: PARTNER }
const SECRET_RULE = 'security/hardcoded-secret'
const PROCESS_TIMEOUT = 90_000

let api: FakeGitHubApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function startApi(options: Partial<FakeRepository> = {}): Promise<FakeGitHubApi> {
  const { base, head } = exampleRevisions()
  api = await new FakeGitHubApi({
    base,
    head,
    pullRequest: PULL_REQUEST,
    permissions: { [REVIEWER]: 'write', [PARTNER]: 'write' },
    ...options
  }).start()
  return api
}

const stickyComments = (server: FakeGitHubApi) =>
  server.comments.filter((comment) => comment.user.type === 'Bot' && comment.body.includes('integration-review'))

function stateOf(server: FakeGitHubApi) {
  const [sticky] = stickyComments(server)
  const parsed = parseStateBlock(sticky?.body, { owner: OWNER, repo: REPO, number: PULL_REQUEST.number })
  if (parsed.status !== 'ok') throw new Error(`no readable state block: ${parsed.status}`)
  return parsed.state
}

const latestCheckRun = (server: FakeGitHubApi) => server.checkRuns.filter((run) => run.head_sha === PULL_REQUEST.headSha).at(-1)

describe('the bundled Action as a child process', () => {
  it(
    'on pull_request publishes one check run and one comment, sets the outputs, writes SARIF and fails the job on a blocker',
    async () => {
      const server = await startApi()
      const result = await runBundledAction({
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent('opened', PULL_REQUEST)
      })
      expect(result.stderr).toBe('')
      expect(result.exitCode).toBe(1)
      expect(server.checkRuns).toHaveLength(1)
      expect(server.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', head_sha: PULL_REQUEST.headSha })
      expect(server.checkRuns[0].output.annotations).toContainEqual(expect.objectContaining({ title: SECRET_RULE }))
      expect(stickyComments(server)).toHaveLength(1)
      expect(server.comments).toHaveLength(1)

      const readiness = ReadinessOutputShape.parse(JSON.parse(result.outputs.readiness))
      expect(readiness['packages/destination-actions/src/destinations/wavelet']).toMatchObject({
        slug: 'actions-wavelet',
        readiness: 'blocked'
      })
      expect(Number(result.outputs.blocking)).toBeGreaterThan(0)
      expect(result.outputs['sarif-file']).toBe('integration-review.sarif')
      const sarif = SarifLogShape.parse(JSON.parse(readFileSync(join(result.workspace, result.outputs['sarif-file']), 'utf8')))
      expect(sarif.version).toBe('2.1.0')
      expect(sarif.runs[0].results.map((entry) => entry.ruleId)).toContain(SECRET_RULE)
      expect(result.stdout).toMatch(/^check run published \d+ ms after the process started \(\d+ ms of CPU\)$/m)
      expect(result.stdout).toMatch(/^::error::review published: failure/m)
    },
    PROCESS_TIMEOUT
  )

  it(
    'on issue_comment a reviewer\u2019s /waive updates the sticky state and the check run; the same from the author is refused with a reply',
    async () => {
      const server = await startApi()
      // The review is there first, as a pull_request_target workflow leaves it.
      const first = await runBundledAction({
        apiUrl: server.url,
        eventName: 'pull_request_target',
        payload: pullRequestEvent('opened', PULL_REQUEST)
      })
      expect(first.stdout).toContain(
        '::notice::pull_request_target: the review reads the pull request through the API and never checks out or runs its code'
      )
      expect(first.exitCode).toBe(1)
      const before = latestCheckRun(server)
      expect(before?.output.annotations.some((annotation) => annotation.title === SECRET_RULE)).toBe(true)

      // The author may not waive their own finding: refused, with a reply, and nothing changes.
      const own = server.addComment(PARTNER, `/waive ${SECRET_RULE} -- it is a test key`)
      const refused = await runBundledAction({
        apiUrl: server.url,
        eventName: 'issue_comment',
        payload: issueCommentEvent({ pullRequest: PULL_REQUEST, commentId: own.id, body: own.body, login: PARTNER, author: PARTNER })
      })
      expect(refused.stderr).toBe('')
      expect(refused.exitCode).toBe(0)
      const refusal = server.comments.at(-1)
      expect(refusal?.user.type).toBe('Bot')
      expect(refusal?.body).toContain(`@${PARTNER}`)
      expect(refusal?.body).toContain('opened this pull request, so they cannot waive')
      expect(server.reactions).toContainEqual({ commentId: own.id, content: 'confused' })
      expect(stateOf(server).waivers).toEqual([])
      expect(latestCheckRun(server)).toBe(before)

      // A reviewer's waiver: recorded in the sticky comment's state, and the check run no longer shows the finding.
      const waiver = server.addComment(REVIEWER, `/waive ${SECRET_RULE} -- public sandbox key, confirmed with Wavelet`)
      const waived = await runBundledAction({
        apiUrl: server.url,
        eventName: 'issue_comment',
        payload: issueCommentEvent({ pullRequest: PULL_REQUEST, commentId: waiver.id, body: waiver.body, login: REVIEWER, author: PARTNER })
      })
      expect(waived.stderr).toBe('')
      expect(stateOf(server).waivers).toEqual([
        expect.objectContaining({ ruleId: SECRET_RULE, by: REVIEWER, reason: 'public sandbox key, confirmed with Wavelet' })
      ])
      expect(server.reactions).toContainEqual({ commentId: waiver.id, content: '+1' })
      const reply = server.comments.at(-1)
      expect(reply?.body).toContain(`@${REVIEWER}`)
      expect(reply?.body).toContain('The review runs again with this change.')
      const after = latestCheckRun(server)
      expect(after).not.toBe(before)
      expect(after?.status).toBe('completed')
      expect(after?.output.annotations.some((annotation) => annotation.title === SECRET_RULE)).toBe(false)
      expect(stickyComments(server)).toHaveLength(1)
      expect(stickyComments(server)[0].body).toContain('public sandbox key')
    },
    PROCESS_TIMEOUT * 2
  )

  it(
    'waits out GitHub\u2019s secondary and primary rate limits and a bare 403 with retry-after, then publishes as usual',
    async () => {
      const server = await startApi({ rateLimits: ['secondary', 'primary', 'forbidden'] })
      const result = await runBundledAction({
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent('opened', PULL_REQUEST),
        throttle: true
      })
      expect(result.stderr).toBe('')
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toMatch(/^::warning::GitHub secondary rate limit on GET .*: retrying in 1 s/m)
      expect(result.stdout).toMatch(/^::warning::GitHub primary rate limit on GET .*: retrying in \d+ s/m)
      expect(result.stdout).toMatch(/^::warning::GitHub answered GET .* with 403 and retry-after 1: retrying/m)
      // The refused first request was asked again.
      const [first] = server.requests
      expect(
        server.requests.filter((request) => request.path === first?.path && request.method === first?.method).length
      ).toBeGreaterThanOrEqual(2)
      expect(server.checkRuns).toHaveLength(1)
      expect(server.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', head_sha: PULL_REQUEST.headSha })
      expect(stickyComments(server)).toHaveLength(1)
    },
    PROCESS_TIMEOUT
  )

  it(
    'with a read-only token (403 on every write) reviews anyway: job summary, annotations as workflow commands, exit code by fail-on-blocking',
    async () => {
      const server = await startApi({ readOnly: true })
      const blocking = await runBundledAction({
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent('opened', PULL_REQUEST)
      })
      expect(blocking.stderr).toBe('')
      expect(blocking.exitCode).toBe(1)
      expect(blocking.summary).toContain('## Integration review')
      expect(blocking.stdout).toMatch(
        new RegExp(
          `^::error file=packages/destination-actions/src/destinations/wavelet/identifyUser/index\\.ts,line=\\d+,title=${SECRET_RULE}::`,
          'm'
        )
      )
      expect(blocking.stdout).toMatch(/^::error::the review could not be published \(.*\); a fork's token cannot write/m)
      expect(blocking.outputs.blocking).not.toBe('0')
      expect(server.checkRuns).toEqual([])
      expect(server.comments).toEqual([])

      const lenient = await runBundledAction({
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent('opened', PULL_REQUEST),
        inputs: { 'fail-on-blocking': 'false' }
      })
      expect(lenient.exitCode).toBe(0)
      expect(lenient.summary).toContain('## Integration review')
      expect(lenient.stdout).toContain('fail-on-blocking is false')
    },
    PROCESS_TIMEOUT * 2
  )
})
