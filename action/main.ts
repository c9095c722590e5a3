// The GitHub Action front door: reads the workflow's pull_request event and token, then runs the
// App's own review-and-publish path (same loader, pipeline and publisher) once.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ProbotOctokit } from 'probot'
import { z } from 'zod'
import type { GitHubClient, ReviewLogger } from '../src/github/github-client.js'
import { reviewPullRequest, type ReviewOutcome } from '../src/github/review-pull-request.js'

const PullRequestEventSchema = z.object({
  pull_request: z.object({ number: z.number(), head: z.object({ sha: z.string() }) }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) })
})

export interface ActionEnvironment {
  GITHUB_EVENT_NAME?: string
  GITHUB_EVENT_PATH?: string
  INPUT_TOKEN?: string
  GITHUB_TOKEN?: string
  INPUT_FAIL_ON_BLOCKING?: string
  GITHUB_API_URL?: string
}

export interface ActionResult {
  exitCode: number
  message: string
  outcome?: ReviewOutcome
}

/** Logs as GitHub Actions expects: plain lines, warnings and errors as workflow commands. */
export function actionsLogger(write: (line: string) => void, bindings: Record<string, unknown> = {}): ReviewLogger {
  const line = (prefix: string, object: object, message?: string) => write(`${prefix}${message ?? ''} ${JSON.stringify({ ...bindings, ...object })}`)
  return {
    info: (object, message) => line('', object, message),
    debug: (object, message) => line('::debug::', object, message),
    warn: (object, message) => line('::warning::', object, message),
    error: (object, message) => line('::error::', object, message),
    child: (more) => actionsLogger(write, { ...bindings, ...more })
  }
}

export async function runAction(env: ActionEnvironment, write: (line: string) => void, client?: GitHubClient): Promise<ActionResult> {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') {
    return { exitCode: 0, message: `integration-review reviews pull requests; the "${eventName || 'unknown'}" event has nothing to review` }
  }
  if (eventName === 'pull_request_target') {
    // Safe here: nothing from the pull request is checked out or run, its files are only read through the API.
    write('::notice::pull_request_target: the review reads the pull request through the API and never runs its code')
  }
  const token = env.INPUT_TOKEN || env.GITHUB_TOKEN
  if (!token) return { exitCode: 1, message: 'no token: set the `token` input or GITHUB_TOKEN' }
  if (!env.GITHUB_EVENT_PATH) return { exitCode: 1, message: 'GITHUB_EVENT_PATH is not set: run this inside a GitHub Actions workflow' }
  const parsed = PullRequestEventSchema.safeParse(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')))
  if (!parsed.success) return { exitCode: 1, message: `the event payload is not a pull request event: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  const event = parsed.data
  // Probot's client: Octokit REST with the same retry and throttling plugins as the App.
  const octokit = client ?? (new ProbotOctokit({ auth: { token }, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }) as unknown as GitHubClient)
  const pullRequest = { owner: event.repository.owner.login, repo: event.repository.name, number: event.pull_request.number }
  const log = actionsLogger(write, { repo: `${pullRequest.owner}/${pullRequest.repo}`, pr: pullRequest.number })
  const outcome = await reviewPullRequest({ octokit, pullRequest, headSha: event.pull_request.head.sha, log })
  switch (outcome.outcome) {
    case 'published': {
      const blocked = outcome.conclusion === 'failure'
      const fail = blocked && env.INPUT_FAIL_ON_BLOCKING !== 'false'
      return { exitCode: fail ? 1 : 0, outcome, message: `review published: ${outcome.conclusion}, ${outcome.findings} findings${fail ? ' (something blocks: see the integration-review check run)' : ''}` }
    }
    case 'failed':
      return {
        exitCode: 1,
        outcome,
        message: `the review could not finish: ${outcome.reason}. On pull requests from forks the default token is read-only; the GitHub App has no such limit.`
      }
    case 'stale':
      return { exitCode: 0, outcome, message: 'a newer commit was pushed; its workflow run publishes the review' }
    case 'closed':
      return { exitCode: 0, outcome, message: 'the pull request is closed' }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = (line: string) => process.stdout.write(`${line}\n`)
  runAction(process.env as ActionEnvironment, write).then(
    (result) => {
      write(result.exitCode === 0 ? result.message : `::error::${result.message}`)
      process.exitCode = result.exitCode
    },
    (error: unknown) => {
      write(`::error::integration-review crashed: ${error instanceof Error ? error.message : String(error)}`)
      process.exitCode = 1
    }
  )
}
