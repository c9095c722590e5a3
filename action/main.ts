// The GitHub Action front door: reads the workflow's event, inputs and token, then runs the App's
// own paths once: the review-and-publish path for pull request events, the command handling for
// `issue_comment` events. Bundled into action/dist/index.js by `npm run build:action`.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import { z } from 'zod'
import { commentCommandsOf, handleCommentCommands } from '../src/app/handle-comment-command.js'
import type { ReviewRequest } from '../src/app/review-service.js'
import type { BlobCache } from '../src/source/blob-cache.js'
import { STATE_SECRET_ENV } from '../src/pull-request/comment-state.js'
import { rateLimitHandlers, retryAfterForbidden } from '../src/github/rate-limit-budget.js'
import type { GitHubClient, PullRequestRef, ReviewLogger } from '../src/github/github-client.js'
import { reviewPullRequest, type ReviewOutcome } from '../src/github/review-pull-request.js'
import type { Publication } from '../src/pull-request/review-pipeline.js'
import type { Stage } from '../src/rules/rule.js'
import { blockingFindings, readinessOf, reviewIsBlocked, writeSarifFile } from './action-report.js'
import { actionsLogger, appendSummary, escapeData, setOutput, writeAnnotations, type WriteLine } from './workflow-commands.js'

// The App's client behaviour without the App: server errors retried (plugin-retry), and GitHub's
// primary and secondary rate limits waited out within the App's budget (plugin-throttling and
// retryAfterForbidden), so a busy repository's Action run finishes instead of failing at once.
const ActionOctokit = Octokit.plugin(throttling, retry, retryAfterForbidden)

const PullRequestEventSchema = z.object({
  action: z.string().optional(),
  changes: z.looseObject({ body: z.unknown().optional(), base: z.unknown().optional() }).optional(),
  pull_request: z.object({ number: z.number(), head: z.object({ sha: z.string() }) }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) })
})

/** The process environment the runner gives a JavaScript action (inputs as INPUT_<NAME>). */
export type ActionEnvironment = Record<string, string | undefined>

export interface ActionResult {
  exitCode: number
  message: string
  outcome?: ReviewOutcome
}

export interface ActionInputs {
  token: string | undefined
  failOnBlocking: boolean
  /** The release stage whose gate decides the job; undefined: the check run's conclusion decides. */
  stage: Stage | undefined
  /** The config's path in the base branch; undefined: the default `.github/integration-review.yml`. */
  configPath: string | undefined
}

/** The runner names inputs INPUT_ + the name upper-cased with hyphens kept; older wrappers used underscores. */
function input(env: ActionEnvironment, name: string): string {
  const upper = name.toUpperCase()
  return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim()
}

export function readInputs(env: ActionEnvironment): ActionInputs | { error: string } {
  const failOnBlocking = input(env, 'fail-on-blocking') || 'true'
  if (failOnBlocking !== 'true' && failOnBlocking !== 'false')
    return { error: `fail-on-blocking must be true or false, not "${failOnBlocking}"` }
  const stage = input(env, 'stage')
  if (stage !== '' && stage !== 'private-beta' && stage !== 'public')
    return { error: `stage must be private-beta or public, not "${stage}"` }
  const configPath = input(env, 'config')
  return {
    token: input(env, 'token') || env.GITHUB_TOKEN || undefined,
    failOnBlocking: failOnBlocking === 'true',
    stage: stage === '' ? undefined : stage,
    configPath: configPath === '' ? undefined : configPath.replace(/^\.?\//, '')
  }
}

/** What the Action needs besides the environment; tests replace them. */
export interface ActionDependencies {
  client?: GitHubClient
  cache?: BlobCache
}

export async function runAction(env: ActionEnvironment, write: WriteLine, dependencies: ActionDependencies = {}): Promise<ActionResult> {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target' && eventName !== 'issue_comment') {
    return {
      exitCode: 0,
      message: `integration-review reviews pull requests and runs reviewer commands; the "${eventName || 'unknown'}" event has nothing for it`
    }
  }
  const inputs = readInputs(env)
  if ('error' in inputs) return { exitCode: 1, message: inputs.error }
  // The state block's HMAC key is read from the environment by the App's code (comment-state.ts).
  const stateSecret = input(env, 'state-secret')
  if (stateSecret && !process.env[STATE_SECRET_ENV]) process.env[STATE_SECRET_ENV] = stateSecret
  if (!inputs.token) return { exitCode: 1, message: 'no token: set the `token` input or GITHUB_TOKEN' }
  if (!env.GITHUB_EVENT_PATH) return { exitCode: 1, message: 'GITHUB_EVENT_PATH is not set: run this inside a GitHub Actions workflow' }
  let payload: unknown
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
  } catch (error) {
    return {
      exitCode: 1,
      message: `the event payload at GITHUB_EVENT_PATH could not be read: ${error instanceof Error ? error.message : String(error)}`
    }
  }
  // @octokit/rest: the same REST client the App's Probot client is built on, without the server.
  const octokit =
    dependencies.client ??
    new ActionOctokit({
      auth: inputs.token,
      // GITHUB_THROTTLE=off, as for the App: no client-side pacing (GitHub Enterprise Server without secondary limits).
      throttle: env.GITHUB_THROTTLE === 'off' ? { enabled: false } : rateLimitHandlers,
      userAgent: 'integration-review-action',
      ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
      // Octokit logs every failed request as an error; the callers handle them (a 404 config is
      // normal), so they go to the step's debug log, shown when a re-run asks for it.
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => write(`::warning::${escapeData(message)}`),
        error: (message: string) => write(`::debug::${escapeData(message)}`)
      }
    })
  const run: ActionRun = { env, inputs, write, octokit, cache: dependencies.cache }
  if (eventName === 'issue_comment') return runCommentCommands(run, payload)

  if (eventName === 'pull_request_target') {
    // Safe here: nothing from the pull request is checked out or run, its files are only read through the API.
    write('::notice::pull_request_target: the review reads the pull request through the API and never checks out or runs its code')
  }
  const parsed = PullRequestEventSchema.safeParse(payload)
  if (!parsed.success)
    return { exitCode: 1, message: `the event payload is not a pull request event: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  const event = parsed.data
  // As the App: a title edit changes nothing the review reads; the body and the base branch do.
  if (event.action === 'edited' && !event.changes?.body && !event.changes?.base)
    return { exitCode: 0, message: 'only the title changed; nothing to review again' }
  const pullRequest = { owner: event.repository.owner.login, repo: event.repository.name, number: event.pull_request.number }
  return reviewAndReport(run, pullRequest, event.pull_request.head.sha)
}

interface ActionRun {
  env: ActionEnvironment
  inputs: ActionInputs
  write: WriteLine
  octokit: GitHubClient
  cache: BlobCache | undefined
}

function logFor(run: ActionRun, pullRequest: PullRequestRef): ReviewLogger {
  return actionsLogger(run.write, { repo: `${pullRequest.owner}/${pullRequest.repo}`, pr: pullRequest.number })
}

/** Reviews and publishes as the App does; with a token that cannot write, reviews read-only and reports in the job. */
async function reviewAndReport(run: ActionRun, pullRequest: PullRequestRef, headSha: string): Promise<ActionResult> {
  const log = logFor(run, pullRequest)
  const common = { octokit: run.octokit, pullRequest, headSha, log, cache: run.cache, configPath: run.inputs.configPath }
  const outcome = await reviewPullRequest(common)
  switch (outcome.outcome) {
    case 'published': {
      const cpu = process.cpuUsage()
      run.write(
        `check run published ${Math.round(performance.now())} ms after the process started (${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU)`
      )
      if (!outcome.publication) return { exitCode: 1, outcome, message: 'the review was published but its result did not reach the Action' }
      return finish(run, outcome, outcome.publication, `review published: ${outcome.conclusion}, ${outcome.findings} findings`)
    }
    case 'reviewed':
      return finish(run, outcome, outcome.publication, 'reviewed')
    case 'failed': {
      // A fork's token is read-only: the same review, written nowhere but this job.
      log.info({ reason: outcome.reason }, 'publishing failed; reviewing again without writing (a read-only token?)')
      const readOnly = await reviewPullRequest({ ...common, mode: 'read-only' })
      if (readOnly.outcome === 'reviewed') {
        const { checkRun } = readOnly.publication
        const shown = writeAnnotations(run.write, checkRun.annotations)
        const summarised = appendSummary(run.env.GITHUB_STEP_SUMMARY, readOnly.publication.markdown)
        return finish(
          run,
          outcome,
          readOnly.publication,
          `the review could not be published (${outcome.reason}); a fork's token cannot write to this repository: the review is in the ${summarised ? 'job summary' : 'log'} and ${shown} of ${checkRun.annotations.length} annotations are in the log — ${checkRun.title}`
        )
      }
      return {
        exitCode: 1,
        outcome,
        message: `the review could not finish: ${outcome.reason}. On pull requests from forks use pull_request_target (see the README); the GitHub App has no such limit.`
      }
    }
    case 'stale':
      return { exitCode: 0, outcome, message: 'a newer commit was pushed; its workflow run publishes the review' }
    case 'closed':
      return { exitCode: 0, outcome, message: 'the pull request is closed' }
  }
}

/** Sets the outputs, writes the SARIF file and decides the exit code from the review. */
function finish(run: ActionRun, outcome: ReviewOutcome, publication: Publication, message: string): ActionResult {
  const { review } = publication
  const { stage, failOnBlocking } = run.inputs
  const blocking = blockingFindings(review, stage)
  const sarifFile = writeSarifFile(review, run.env.GITHUB_WORKSPACE || process.cwd())
  setOutput(run.env.GITHUB_OUTPUT, run.write, 'readiness', JSON.stringify(readinessOf(review)))
  setOutput(run.env.GITHUB_OUTPUT, run.write, 'blocking', String(blocking))
  setOutput(run.env.GITHUB_OUTPUT, run.write, 'sarif-file', sarifFile)
  const blocked = reviewIsBlocked(publication, stage)
  const fail = blocked && failOnBlocking
  const what = stage ? `the ${stage} gate does not hold` : 'something blocks'
  return {
    exitCode: fail ? 1 : 0,
    outcome,
    message: `${message}${blocked ? ` (${what}: see the integration-review check run${fail ? '' : '; fail-on-blocking is false'})` : ''}`
  }
}

/**
 * `issue_comment`: the App's command handling, unchanged. Where the App queues a review after a
 * command (a waiver changed, `/recheck`), the Action runs it at once in this job.
 */
async function runCommentCommands(run: ActionRun, payload: unknown): Promise<ActionResult> {
  // As the App: commands are read from new comments only; an edit or a deletion issues none.
  const action = z.object({ action: z.string() }).safeParse(payload)
  if (action.success && action.data.action !== 'created')
    return { exitCode: 0, message: `nothing to do: the comment was ${action.data.action}, and only new comments carry commands` }
  const found = commentCommandsOf(payload)
  if (found.kind === 'ignored') return { exitCode: 0, message: `nothing to do: ${found.reason}` }
  const log = logFor(run, found.pullRequest).child({ commentId: found.comment.id })
  let requested: ReviewRequest | undefined
  await handleCommentCommands({
    octokit: run.octokit,
    pullRequest: found.pullRequest,
    comment: found.comment,
    commands: found.commands,
    reviews: {
      request: async (request) => {
        requested = request
      }
    },
    deliveryId: run.env.GITHUB_RUN_ID ?? 'workflow',
    log,
    configPath: run.inputs.configPath
  })
  const handled = `${found.commands.length} command${found.commands.length === 1 ? '' : 's'} from @${found.comment.login} handled`
  if (!requested) return { exitCode: 0, message: handled }
  const result = await reviewAndReport(run, requested.pullRequest, requested.headSha)
  return { ...result, message: `${handled}; ${result.message}` }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const write = (line: string) => process.stdout.write(`${line}\n`)
  runAction(process.env, write).then(
    (result) => {
      write(result.exitCode === 0 ? result.message : `::error::${escapeData(result.message)}`)
      process.exitCode = result.exitCode
    },
    (error: unknown) => {
      write(`::error::integration-review crashed: ${escapeData(error instanceof Error ? error.message : String(error))}`)
      process.exitCode = 1
    }
  )
}
