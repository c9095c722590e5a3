import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { ProbotOctokit } from 'probot'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runAction } from '../../action/main.js'
import type { GitHubClient } from '../../src/github/github-client.js'
import { API, blobSha, commitSha, exampleRevisions, mockReviewReads, pullRequestEvent, pullRequestObject, repoPath } from './github-fixture.js'

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
    scope.patch(repoPath('/check-runs/9001'), (body) => body.conclusion === 'failure').reply(200, {})
    scope.post(repoPath('/issues/7/comments')).reply(201, { id: 1 })
    scope.post(repoPath('/labels')).times(4).reply(201, {})
    scope.post(repoPath('/issues/7/labels')).reply(200, [])
    const lines: string[] = []
    const client = new ProbotOctokit({ auth: { token: 'ghs_workflow' }, throttle: { enabled: false }, retry: { enabled: false } }) as unknown as GitHubClient
    const result = await runAction(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(pullRequestEvent('synchronize', { headSha, baseSha })), INPUT_TOKEN: 'ghs_workflow' },
      (line) => lines.push(line),
      client
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toMatchObject({ exitCode: 1, outcome: { outcome: 'published', conclusion: 'failure' } })
    expect(result.message).toMatch(/something blocks/)
    expect(lines.some((line) => line.startsWith('review published') && line.includes('"pr":7'))).toBe(true)
  })

  it('does nothing on other events, and explains a missing token or payload', async () => {
    expect(await runAction({ GITHUB_EVENT_NAME: 'push' }, () => {})).toMatchObject({ exitCode: 0, message: expect.stringContaining('"push"') })
    expect(await runAction({ GITHUB_EVENT_NAME: 'pull_request' }, () => {})).toMatchObject({ exitCode: 1, message: expect.stringContaining('token') })
    const notPullRequest = eventFile({ ref: 'refs/heads/main' })
    expect(await runAction({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: notPullRequest, GITHUB_TOKEN: 't' }, () => {})).toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('not a pull request event')
    })
  })
})
