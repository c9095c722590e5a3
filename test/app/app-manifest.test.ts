import { readFileSync } from 'node:fs'
import { ProbotOctokit } from 'probot'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

/** The parts of GitHub's App manifest format this test reads. */
interface AppManifest {
  name: string
  url: string
  default_permissions: Record<string, string>
  default_events: string[]
}

describe('app.yml', () => {
  const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as AppManifest

  it('asks for the fewest permissions that work and the events the App handles', () => {
    expect(manifest.default_permissions).toEqual({
      metadata: 'read',
      contents: 'read',
      pull_requests: 'write',
      issues: 'write',
      checks: 'write',
      members: 'read'
    })
    expect([...manifest.default_events].sort()).toEqual(['check_run', 'check_suite', 'issue_comment', 'pull_request'])
    expect(manifest.name).toBe('integration-review')
    expect(typeof manifest.url).toBe('string')
  })
})

describe("Probot's Octokit, as `npm start` builds it", () => {
  it('retries and throttles requests', () => {
    const plugins = (ProbotOctokit as unknown as { plugins: Array<{ name: string }> }).plugins.map((plugin) => plugin.name)
    expect(plugins).toEqual(expect.arrayContaining(['retry', 'throttling']))
    const octokit = new ProbotOctokit() as unknown as { retry?: { retryRequest?: unknown } }
    expect(typeof octokit.retry?.retryRequest).toBe('function')
  })
})
