// The slice of Octokit this project uses, so Probot's client (App) and @octokit/rest (Action) both fit.
import type { Octokit } from '@octokit/rest'

export type GitHubClient = Pick<Octokit, 'rest' | 'paginate' | 'request'>

/** What every log line of a review carries; Probot's pino logger (context.log) satisfies it. */
export interface ReviewLogger {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  debug(object: object, message?: string): void
  child(bindings: Record<string, unknown>): ReviewLogger
}

export interface RepositoryRef {
  owner: string
  repo: string
}

export interface PullRequestRef extends RepositoryRef {
  number: number
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status
  return undefined
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A logger that drops everything: the demo and tests that do not read logs. */
export const silentLogger: ReviewLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger
  }
}
