import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { ProbotOctokit } from 'probot'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAction } from '../../action/main.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import type { GitHubClient } from '../../src/github/github-client.js'
import {
  API,
  OWNER,
  REPO,
  blobResponse,
  blobSha,
  changedFilesResponse,
  commitSha,
  exampleRevisions,
  mockReviewReads,
  pullRequestEvent,
  pullRequestObject,
  repoPath,
  treeResponse,
  webhookExamples,
  type CheckRunBody,
  type WebhookEvent
} from './github-fixture.js'

const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'
const LIB = 'packages/destination-actions/src/lib/hashing-utils.ts'

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
})

function eventFile(payload: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ir-action-')), 'event.json')
  writeFileSync(path, JSON.stringify(payload))
  return path
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'ir-workspace-'))
}

describe('the GitHub Action', () => {
  it('reviews the pull request of the workflow event through the App pipeline and fails the job when blocked', async () => {
    const { base, head } = exampleRevisions()
    const headSha = commitSha('action-head')
    const baseSha = commitSha('action-base')
    const headShas = new Set([...head.values()].map(blobSha))
    const scope = nock(API)
    mockReviewReads(scope, {
      base,
      head,
      baseSha,
      headSha,
      headBlobs: [...head.keys()].filter((path) => path.startsWith(WAVELET) || path === LIB),
      baseBlobs: [...base.keys()].filter((path) => path.startsWith(WAVELET) && !headShas.has(blobSha(base.get(path) ?? '')))
    })
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha, baseSha }))
    scope.patch(repoPath('/check-runs/9001'), (body: CheckRunBody) => body.conclusion === 'failure').reply(200, {})
    scope.post(repoPath('/issues/7/comments')).reply(201, { id: 1 })
    scope.post(repoPath('/labels')).times(4).reply(201, {})
    scope.post(repoPath('/issues/7/labels')).reply(200, [])
    const lines: string[] = []
    const client = new ProbotOctokit({
      auth: { token: 'ghs_workflow' },
      throttle: { enabled: false },
      retry: { enabled: false }
    }) as unknown as GitHubClient
    const result = await runAction(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventFile(pullRequestEvent('synchronize', { headSha, baseSha })),
        INPUT_TOKEN: 'ghs_workflow',
        GITHUB_WORKSPACE: workspace()
      },
      (line) => lines.push(line),
      { client, cache: new BlobCache() }
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toMatchObject({ exitCode: 1, outcome: { outcome: 'published', conclusion: 'failure' } })
    expect(result.message).toMatch(/something blocks/)
    expect(lines.some((line) => line.startsWith('review published') && line.includes('"pr":7'))).toBe(true)
  })

  it('with a read-only token (a fork) reviews anyway: summary in the job, annotations as workflow commands', async () => {
    const { base, head } = exampleRevisions()
    const headSha = commitSha('fork-head')
    const baseSha = commitSha('fork-base')
    const headShas = new Set([...head.values()].map(blobSha))
    const forbidden = { message: 'Resource not accessible by integration' }
    const scope = nock(API)
    // The App path: the check run cannot be created, so the review is reported as failed…
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha, baseSha }))
    scope
      .get(repoPath(`/commits/${headSha}/check-runs`))
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
    scope.post(repoPath('/check-runs')).times(2).reply(403, forbidden)
    // …then the read-only review loads the same files (blobs from a fresh cache) and writes nothing.
    scope.get(repoPath('/pulls/7')).reply(200, pullRequestObject({ headSha, baseSha }))
    scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' }).reply(404, {})
    scope.get(repoPath('/pulls/7/files')).query({ per_page: '100' }).reply(200, changedFilesResponse(base, head))
    // The same loader as the App: the sticky comment is read for its waivers.
    scope.get(repoPath('/issues/7/comments')).query(true).reply(200, [])
    scope
      .get(repoPath(`/git/trees/${headSha}`))
      .query({ recursive: '1' })
      .reply(200, treeResponse(head, headSha))
    for (const path of [...head.keys()].filter((path) => path.startsWith(WAVELET) || path === LIB))
      scope.get(repoPath(`/git/blobs/${blobSha(head.get(path) ?? '')}`)).reply(200, blobResponse(head.get(path) ?? ''))
    scope
      .get(repoPath(`/git/trees/${baseSha}`))
      .query({ recursive: '1' })
      .reply(200, treeResponse(base, baseSha))
    for (const path of [...base.keys()].filter((path) => path.startsWith(WAVELET) && !headShas.has(blobSha(base.get(path) ?? ''))))
      scope.get(repoPath(`/git/blobs/${blobSha(base.get(path) ?? '')}`)).reply(200, blobResponse(base.get(path) ?? ''))
    const summary = join(mkdtempSync(join(tmpdir(), 'ir-summary-')), 'summary.md')
    writeFileSync(summary, '')
    const lines: string[] = []
    const client = new ProbotOctokit({
      auth: { token: 'ghs_fork' },
      throttle: { enabled: false },
      retry: { enabled: false }
    }) as unknown as GitHubClient
    const result = await runAction(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventFile(pullRequestEvent('opened', { headSha, baseSha })),
        INPUT_TOKEN: 'ghs_fork',
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_WORKSPACE: workspace()
      },
      (line) => lines.push(line),
      { client, cache: new BlobCache() }
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(result.exitCode).toBe(1)
    expect(result.message).toMatch(/cannot write/)
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::error file=packages\/destination-actions\/src\/destinations\/wavelet\/identifyUser\/index\.ts,line=9,title=security\/hardcoded-secret::/
      )
    )
    expect(readFileSync(summary, 'utf8')).toContain('## Integration review')
  })

  it('reads its inputs as the runner names them and refuses values it does not know', async () => {
    const event = eventFile(pullRequestEvent('opened', { headSha: commitSha('h'), baseSha: commitSha('b') }))
    const base = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, INPUT_TOKEN: 't' }
    expect(await runAction({ ...base, INPUT_STAGE: 'alpha' }, () => {})).toMatchObject({
      exitCode: 1,
      message: 'stage must be private-beta or public, not "alpha"'
    })
    expect(await runAction({ ...base, 'INPUT_FAIL-ON-BLOCKING': 'yes' }, () => {})).toMatchObject({
      exitCode: 1,
      message: 'fail-on-blocking must be true or false, not "yes"'
    })
  })

  it('ignores what the App ignores: a title edit, an edited comment, a comment without a command, a comment on an issue', async () => {
    const titleEdit = pullRequestEvent(
      'edited',
      { headSha: commitSha('h'), baseSha: commitSha('b') },
      { changes: { title: { from: 'Old' } } }
    )
    expect(
      await runAction({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(titleEdit), INPUT_TOKEN: 't' }, () => {})
    ).toMatchObject({ exitCode: 0, message: expect.stringContaining('only the title changed') as unknown })
    const comment = (action: string, body: string, onPullRequest = true) => {
      const created = webhookExamples('issue_comment').find(
        (example): example is WebhookEvent<'issue_comment', 'created'> => example.action === 'created'
      )
      if (!created) throw new Error('no issue_comment.created example payload')
      const payload = { ...structuredClone(created), action }
      payload.comment.body = body
      payload.comment.user.type = 'User'
      if (onPullRequest) payload.issue.pull_request = { url: `${API}/repos/${OWNER}/${REPO}/pulls/7` }
      else delete payload.issue.pull_request
      return eventFile(payload)
    }
    const run = (path: string) => runAction({ GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: path, INPUT_TOKEN: 't' }, () => {})
    expect(await run(comment('edited', '/recheck'))).toMatchObject({
      exitCode: 0,
      message: expect.stringContaining('the comment was edited') as unknown
    })
    expect(await run(comment('created', 'Thanks, looks good'))).toMatchObject({
      exitCode: 0,
      message: 'nothing to do: the comment has no command'
    })
    expect(await run(comment('created', '/recheck', false))).toMatchObject({
      exitCode: 0,
      message: 'nothing to do: the comment is on an issue, not a pull request'
    })
  })

  it('does nothing on other events, and explains a missing token or payload', async () => {
    expect(await runAction({ GITHUB_EVENT_NAME: 'push' }, () => {})).toMatchObject({
      exitCode: 0,
      message: expect.stringContaining('"push"') as unknown
    })
    expect(await runAction({ GITHUB_EVENT_NAME: 'pull_request' }, () => {})).toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('token') as unknown
    })
    const notPullRequest = eventFile({ ref: 'refs/heads/main' })
    expect(
      await runAction({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: notPullRequest, GITHUB_TOKEN: 't' }, () => {})
    ).toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('not a pull request event') as unknown
    })
  })
})
