// What the two entry points share: the GitHub client class the environment asks for, and a
// graceful shutdown on SIGTERM/SIGINT (stop taking work, let reviews finish, exit).
import type { ProbotOctokit } from 'probot'
import { ReviewOctokit } from '../github/review-octokit.js'
import type { ReviewLogger } from '../github/github-client.js'

/**
 * The App's client (Probot's, waiting out GitHub's primary and secondary rate limits within a
 * budget: review-octokit.ts), with the throttling switched off when GITHUB_THROTTLE=off (a GitHub
 * Enterprise Server without secondary rate limits, or a local test server).
 */
export function githubClientClass(env: NodeJS.ProcessEnv = process.env): typeof ProbotOctokit {
  if (env.GITHUB_THROTTLE !== 'off') return ReviewOctokit
  // The function form runs after the defaults before it, so its throttle setting is the one kept.
  return ReviewOctokit.defaults((options: { throttle?: object }) => ({ ...options, throttle: { ...options.throttle, enabled: false } }))
}

export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SHUTDOWN_TIMEOUT_MS)
  return Number.isFinite(value) && value >= 0 && env.SHUTDOWN_TIMEOUT_MS?.trim() ? value : 25_000
}

/** Runs `stop` once on the first SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function onShutdownSignal(log: ReviewLogger, stop: () => Promise<void>): void {
  let stopping = false
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    stopping = true
    log.info({ signal }, 'shutting down: no new work, waiting for running reviews')
    stop().then(
      () => {
        log.info({}, 'shut down')
        process.exit(0)
      },
      (error: unknown) => {
        log.error({ err: String(error) }, 'shutdown failed')
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', handle)
  process.on('SIGINT', handle)
}
