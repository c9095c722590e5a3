// The Action's read-only path (a fork's token) loads through the App's own loader: it keeps what
// the limits left out in the report and starts from the sticky comment's state, so waivers hold.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Octokit } from '@octokit/rest'
import { afterEach, describe, expect, it } from 'vitest'
import { runAction } from '../../action/main.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { composeCommentBody } from '../../src/pull-request/comment-state.js'
import type { GitHubClient } from '../../src/github/github-client.js'
import { OWNER, REPO, commitSha, exampleRevisions, pullRequestEvent } from '../github/github-fixture.js'
import { ACTIONS_BOT, FakeGitHubApi, type FakeRepository } from '../support/fake-github-api.js'

const PULL_REQUEST = { number: 7, headSha: commitSha('ro-head'), baseSha: commitSha('ro-base'), login: 'wavelet-dev' }
const SECRET_RULE = 'security/hardcoded-secret'

let api: FakeGitHubApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function runReadOnly(options: Partial<FakeRepository>, prepare: (server: FakeGitHubApi) => void = () => {}) {
  const { base, head } = exampleRevisions()
  api = await new FakeGitHubApi({ base, head, pullRequest: PULL_REQUEST, readOnly: true, ...options }).start()
  prepare(api)
  const dir = mkdtempSync(join(tmpdir(), 'ir-read-only-'))
  const eventPath = join(dir, 'event.json')
  const summaryPath = join(dir, 'summary.md')
  writeFileSync(eventPath, JSON.stringify(pullRequestEvent('opened', PULL_REQUEST)))
  writeFileSync(summaryPath, '')
  const lines: string[] = []
  const client = new Octokit({ auth: 'ghs_fork', baseUrl: api.url, log: { debug() {}, info() {}, warn() {}, error() {} } }) as GitHubClient
  const result = await runAction(
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      INPUT_TOKEN: 'ghs_fork',
      'INPUT_FAIL-ON-BLOCKING': 'false',
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: dir
    },
    (line) => lines.push(line),
    { client, cache: new BlobCache() }
  )
  return { result, lines, summary: readFileSync(summaryPath, 'utf8'), server: api }
}

describe("the Action's read-only review", () => {
  it('honours the waivers in the existing sticky comment', async () => {
    const unwaived = await runReadOnly({})
    expect(unwaived.lines.some((line) => line.includes(`title=${SECRET_RULE}::`))).toBe(true)
    await api?.close()

    const waiver = { ruleId: SECRET_RULE, reason: 'public sandbox key', by: 'segment-reviewer', at: '2026-11-27T10:00:00Z' }
    const { result, lines, summary, server } = await runReadOnly({}, (server) => {
      server.comments.push({
        id: 11,
        body: composeCommentBody(
          'earlier review',
          { version: 1, waivers: [waiver], approvals: [] },
          { owner: OWNER, repo: REPO, number: PULL_REQUEST.number }
        ),
        user: ACTIONS_BOT,
        created_at: '2026-11-27T10:00:00Z',
        updated_at: '2026-11-27T10:00:00Z'
      })
    })
    expect(result.exitCode).toBe(0)
    expect(lines.some((line) => line.includes(`title=${SECRET_RULE}::`))).toBe(false)
    expect(summary).toContain('public sandbox key')
    // Read-only: nothing was written.
    expect(server.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /repos/segment-partners/action-destinations/check-runs',
      'POST /repos/segment-partners/action-destinations/check-runs'
    ])
  })

  it('says that only the first changed files were reviewed when the pull request is over the limit', async () => {
    const { summary } = await runReadOnly({ config: 'limits:\n  maxFiles: 2\n' })
    expect(summary).toContain('only the first 2 changed files were reviewed')
  })
})
