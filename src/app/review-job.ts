// One queued review, as data that crosses a process boundary (Redis), and what a failure of it
// means for retrying.
import { z } from 'zod'
import { statusOf, type PullRequestRef } from '../github/github-client.js'

export const ReviewJobSchema = z.object({
  owner: z.string().min(1),
  repo: z.string().min(1),
  number: z.number().int().positive(),
  headSha: z.string().min(1),
  /** The webhook delivery that asked for this review: redeliveries of it are ignored. */
  deliveryId: z.string().min(1),
  /** The GitHub App installation a worker authenticates as; absent only in memory mode tests. */
  installationId: z.number().int().positive().optional(),
  /** When the webhook was received (ms since the epoch): webhook-to-published durations. */
  receivedAt: z.number()
})
export type ReviewJob = z.infer<typeof ReviewJobSchema>

export function pullRequestOf(job: ReviewJob): PullRequestRef {
  return { owner: job.owner, repo: job.repo, number: job.number }
}

/** The queue's unit of mutual exclusion: one review of a pull request runs at a time. */
export function pullRequestKey(pullRequest: PullRequestRef): string {
  return `${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNABORTED'
])

/** GitHub's 5xx answers and network failures pass; anything else (4xx, a bug) would fail again. */
export function isRetryableError(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== undefined) return status >= 500 && status <= 599
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true
    // undici's fetch reports a dropped connection as a TypeError("fetch failed") with the cause.
    if (current instanceof TypeError && current.message === 'fetch failed') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  /** Delay before the second attempt; doubles each time after. */
  backoffMs: number
}

export function retryDelayMs(policy: RetryPolicy, attemptsMade: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1)
}
