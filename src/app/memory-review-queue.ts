// The in-process queue (the default): jobs live in this process, the engine runs on its review
// threads. Retries wait in the job's slot; on shutdown the reviews that cannot finish are
// completed as failures that say how to retry.
import type { BlobCache } from '../source/blob-cache.js'
import { errorMessage, type GitHubClient, type ReviewLogger } from '../github/github-client.js'
import type { PipelineInput, Publication } from '../pull-request/review-pipeline.js'
import { failUnfinishedReview } from '../github/fail-unfinished-review.js'
import type { EnqueueResult, OutcomeListener, QueueDepth, ReviewQueueBackend } from './review-queue-backend.js'
import { RecentKeys, ReviewQueue } from './review-queue.js'
import { pullRequestKey, pullRequestOf, retryDelayMs, type RetryPolicy, type ReviewJob } from './review-job.js'
import type { ReviewMetrics } from './review-metrics.js'
import { RetryableReviewError, runReviewJob } from './run-review-job.js'

export interface MemoryReviewQueueOptions {
  concurrency: number
  retry: RetryPolicy
  cache: BlobCache
  computePublication?: (input: PipelineInput) => Promise<Publication>
  metrics?: ReviewMetrics
  onOutcome?: OutcomeListener
}

interface Entry {
  job: ReviewJob
  octokit: GitHubClient
  log: ReviewLogger
}

export class MemoryReviewQueue implements ReviewQueueBackend {
  readonly mode = 'memory'
  readonly queue: ReviewQueue
  private readonly deliveries = new RecentKeys(5000)
  /** The newest request of each pull request with work queued or running. */
  private readonly newest = new Map<string, ReviewJob>()
  /** What waits and what runs, per pull request: what shutdown must close. */
  private readonly waitingEntries = new Map<string, Entry>()
  private readonly runningEntries = new Map<string, Entry>()
  private closing = false
  private readonly closed: Promise<void>
  private signalClosed!: () => void

  constructor(private readonly options: MemoryReviewQueueOptions) {
    this.queue = new ReviewQueue({ concurrency: options.concurrency })
    this.closed = new Promise((resolve) => (this.signalClosed = resolve))
  }

  async firstDelivery(deliveryId: string): Promise<boolean> {
    return this.deliveries.remember(deliveryId)
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    this.deliveries.forget(deliveryId)
  }

  async enqueue(job: ReviewJob, octokit: GitHubClient, log: ReviewLogger): Promise<EnqueueResult> {
    if (this.closing) throw new Error('the review queue is shutting down')
    const key = pullRequestKey(job)
    this.newest.set(key, job)
    const entry: Entry = { job, octokit, log }
    this.waitingEntries.set(key, entry)
    return this.queue.enqueue(key, async (task) => {
      if (this.waitingEntries.get(key) === entry) this.waitingEntries.delete(key)
      this.runningEntries.set(key, entry)
      try {
        await this.runWithRetries(entry, () => task.isSuperseded())
      } finally {
        if (this.runningEntries.get(key) === entry) this.runningEntries.delete(key)
        // Forget a finished pull request unless a newer request is waiting (keeps the map small).
        if (this.newest.get(key) === job) this.newest.delete(key)
      }
    })
  }

  private async runWithRetries(entry: Entry, isSuperseded: () => boolean): Promise<void> {
    const { job, octokit, log } = entry
    const key = pullRequestKey(job)
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await runReviewJob(job, {
          octokit,
          log,
          cache: this.options.cache,
          computePublication: this.options.computePublication,
          isSuperseded,
          newestRequestedSha: () => this.newest.get(key)?.headSha,
          retriesLeft: attempt < this.options.retry.attempts && !this.closing,
          metrics: this.options.metrics
        })
        // A delivery whose review failed may be redelivered by hand to try again.
        if (outcome.outcome === 'failed') this.deliveries.forget(job.deliveryId)
        this.options.onOutcome?.(job, outcome)
        return
      } catch (error) {
        if (!(error instanceof RetryableReviewError)) {
          log.error({ err: errorMessage(error) }, 'review crashed')
          return
        }
        const delay = retryDelayMs(this.options.retry, attempt)
        log.warn({ err: error.reason, attempt, retryInMs: delay }, 'review failed on a passing GitHub fault; retrying')
        await Promise.race([new Promise((resolve) => setTimeout(resolve, delay).unref()), this.closed])
        // Shutdown during the wait: no retry will come.
        if (this.closing) return this.interrupt(entry)
      }
    }
  }

  async depth(): Promise<QueueDepth> {
    return this.queue.size
  }

  async ping(): Promise<void> {
    if (this.closing) throw new Error('the review queue is shutting down')
  }

  idle(): Promise<void> {
    return this.queue.onIdle()
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.queue.pause()
    this.signalClosed()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.queue.whenNoneRunning(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))])
    clearTimeout(timer)
    // What did not finish here will not finish anywhere: say so on each pull request.
    const unfinished = [...this.runningEntries.values(), ...this.waitingEntries.values()]
    await Promise.all(unfinished.map((entry) => this.interrupt(entry)))
  }

  private async interrupt({ job, octokit, log }: Entry): Promise<void> {
    try {
      await failUnfinishedReview(
        octokit,
        pullRequestOf(job),
        job.headSha,
        { kind: 'interrupted', detail: 'the App was restarting' },
        { log }
      )
      this.options.metrics?.reviews.inc({ outcome: 'interrupted' })
      log.warn({}, 'review interrupted by shutdown; check run completed as failure')
    } catch (error) {
      log.error({ err: errorMessage(error) }, 'could not complete the check run of an interrupted review')
    }
  }
}
