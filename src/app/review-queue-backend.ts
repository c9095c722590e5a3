// What the App needs from a review queue, whichever runs it: the in-process queue (one process)
// or BullMQ on Redis (a web process and any number of workers). Chosen once at start.
import type { GitHubClient, ReviewLogger } from '../github/github-client.js'
import type { ReviewOutcome } from '../github/review-pull-request.js'
import type { ReviewJob } from './review-job.js'

export type EnqueueResult = 'queued' | 'replaced-waiting'

export interface QueueDepth {
  waiting: number
  running: number
  delayed?: number
}

export interface ReviewQueueBackend {
  readonly mode: 'memory' | 'redis'
  /** False when this webhook delivery was taken up before, by any process: do nothing twice. */
  firstDelivery(deliveryId: string): Promise<boolean>
  /** Lets a delivery count as new again (its review failed; a redelivery by hand retries it). */
  forgetDelivery(deliveryId: string): Promise<void>
  /** Queues a review; a newer job of the same pull request replaces one that waits. Durable once resolved (Redis). */
  enqueue(job: ReviewJob, octokit: GitHubClient, log: ReviewLogger): Promise<EnqueueResult>
  depth(): Promise<QueueDepth>
  /** Throws when the queue cannot be reached. */
  ping(): Promise<void>
  /** Resolves when nothing waits and nothing runs (tests, benchmarks). */
  idle(): Promise<void>
  /** Stops taking work, lets running reviews finish up to `timeoutMs`, then deals with the rest. */
  close(timeoutMs: number): Promise<void>
}

/** Told about each finished review (tests, metrics). */
export type OutcomeListener = (job: ReviewJob, outcome: ReviewOutcome) => void
