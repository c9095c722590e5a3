// The GitHub Action front door: reads the workflow's pull_request event and token, then runs the
// App's own review-and-publish path (same loader, pipeline and publisher) once.
import { appendFileSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ReviewOctokit } from '../src/github/review-octokit.js'
import { z } from 'zod'
import type { BlobCache } from '../src/github/blob-cache.js'
import { emptyCommentState } from '../src/github/comment-state.js'
import type { GitHubClient, ReviewLogger } from '../src/github/github-client.js'
import { changedPathsOf, fetchPullRequest, isInternalAuthor, listChangedFiles, loadReviewConfig, loadRevisions, unlistedChanges } from '../src/github/load-pull-request.js'
import { reviewForPublication } from '../src/github/review-pipeline.js'
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
  GITHUB_STEP_SUMMARY?: string
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

export async function runAction(env: ActionEnvironment, write: (line: string) => void, client?: GitHubClient, cache?: BlobCache): Promise<ActionResult> {
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
  // The App's client: Probot's Octokit with the same retry, throttling and rate-limit budget.
  const octokit = client ?? (new ReviewOctokit({ auth: { token }, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }) as unknown as GitHubClient)
  const pullRequest = { owner: event.repository.owner.login, repo: event.repository.name, number: event.pull_request.number }
  const log = actionsLogger(write, { repo: `${pullRequest.owner}/${pullRequest.repo}`, pr: pullRequest.number })
  const outcome = await reviewPullRequest({ octokit, pullRequest, headSha: event.pull_request.head.sha, log, cache })
  switch (outcome.outcome) {
    case 'published': {
      const blocked = outcome.conclusion === 'failure'
      const fail = blocked && env.INPUT_FAIL_ON_BLOCKING !== 'false'
      return { exitCode: fail ? 1 : 0, outcome, message: `review published: ${outcome.conclusion}, ${outcome.findings} findings${fail ? ' (something blocks: see the integration-review check run)' : ''}` }
    }
    case 'failed': {
      // A fork's default token is read-only: review anyway and report in the job itself.
      const fallback = await reviewReadOnly(octokit, pullRequest, event.pull_request.head.sha, env, write, cache).catch(() => undefined)
      if (fallback) return { ...fallback, outcome }
      return {
        exitCode: 1,
        outcome,
        message: `the review could not finish: ${outcome.reason}. On pull requests from forks the default token is read-only; the GitHub App has no such limit.`
      }
    }
    case 'stale':
      return { exitCode: 0, outcome, message: 'a newer commit was pushed; its workflow run publishes the review' }
    case 'closed':
      return { exitCode: 0, outcome, message: 'the pull request is closed' }
  }
}

/** GitHub shows at most this many annotations written as workflow commands in one job. */
const WORKFLOW_ANNOTATION_LIMIT = 50

/**
 * Runs the same pipeline without writing to GitHub: the comment goes to the job summary and the
 * annotations to workflow commands. Used when the token cannot write (pull requests from forks).
 */
async function reviewReadOnly(
  octokit: GitHubClient,
  pullRequest: { owner: string; repo: string; number: number },
  headSha: string,
  env: ActionEnvironment,
  write: (line: string) => void,
  cache: BlobCache | undefined
): Promise<ActionResult | undefined> {
  const repository = { owner: pullRequest.owner, repo: pullRequest.repo }
  const pr = await fetchPullRequest(octokit, pullRequest)
  const { config, errors } = await loadReviewConfig(octokit, repository, pr.baseRef)
  const internal = await isInternalAuthor(octokit, pr, config, actionsLogger(write))
  const changed = await listChangedFiles(octokit, pullRequest, config.limits.maxFiles)
  const changedPaths = changedPathsOf(changed.files)
  const revisions = await loadRevisions(octokit, repository, { headSha, baseSha: pr.baseSha }, { changedPaths, config, cache })
  const publication = reviewForPublication({
    head: revisions.head,
    base: revisions.base,
    changedPaths,
    config,
    configErrors: errors,
    skipped: revisions.skipped,
    unanalysed: [...unlistedChanges(changed, config.limits.maxFiles), ...revisions.unanalysed],
    pullRequest: { body: pr.body, title: pr.title, labels: pr.labels, authorIsPartner: !internal },
    state: emptyCommentState(),
    stateScope: pullRequest,
    repositoryUrl: pr.repositoryUrl,
    headSha
  })
  const { checkRun } = publication
  for (const annotation of checkRun.annotations.slice(0, WORKFLOW_ANNOTATION_LIMIT)) {
    const command = annotation.annotation_level === 'failure' ? 'error' : annotation.annotation_level === 'warning' ? 'warning' : 'notice'
    write(`::${command} file=${escapeProperty(annotation.path)},line=${annotation.start_line},title=${escapeProperty(annotation.title)}::${escapeData(annotation.message)}`)
  }
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${publication.markdown}\n`)
  const fail = checkRun.conclusion === 'failure' && env.INPUT_FAIL_ON_BLOCKING !== 'false'
  return {
    exitCode: fail ? 1 : 0,
    message: `the token cannot write to this repository (a fork?): the review is in the job summary and ${Math.min(checkRun.annotations.length, WORKFLOW_ANNOTATION_LIMIT)} of ${checkRun.annotations.length} annotations are in the log — ${checkRun.title}`
  }
}

// Workflow command escaping, as @actions/core does it.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
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
