// What the App's handlers share: the review queue (in-process, or BullMQ on Redis when REDIS_URL
// is set), the review threads and the metrics. One instance per loaded app; tests build their own.
import { availableParallelism } from 'node:os'
import { BlobCache } from '../source/blob-cache.js'
import { silentLogger, type GitHubClient, type PullRequestRef, type ReviewLogger } from '../github/github-client.js'
import { sharedBlobCache } from '../github/load-pull-request.js'
import { reviewForPublication, type PipelineInput, type Publication } from '../pull-request/review-pipeline.js'
import type { ReviewOutcome } from '../github/review-pull-request.js'
import { MemoryReviewQueue } from './memory-review-queue.js'
import { RedisReviewQueue } from './redis-review-queue.js'
import type { QueueDepth, ReviewQueueBackend } from './review-queue-backend.js'
import { pullRequestOf, type RetryPolicy, type ReviewJob } from './review-job.js'
import { ReviewMetrics } from './review-metrics.js'
import { ReviewThreadPool } from './review-thread-pool.js'

export interface ReviewServiceOptions {
  /** Reviews this process runs at once (REVIEW_CONCURRENCY); 0 only with Redis: this process adds jobs, workers run them. */
  concurrency?: number
  /** BullMQ on this Redis (REDIS_URL); the in-process queue without it. */
  redisUrl?: string
  /** Workers authenticate as the App per job (Redis mode). */
  authenticate?: (installationId: number | undefined) => Promise<GitHubClient>
  retry?: Partial<RetryPolicy>
  /** Redis mode: how long a killed worker's job waits before another takes it up (REVIEW_LOCK_MS). */
  lockMs?: number
  /** Redis key prefix (REDIS_PREFIX, default `integration-review`): several Apps, or tests, on one Redis. */
  redisPrefix?: string
  cache?: BlobCache
  /** Runs the engine; by default on this process's review threads. */
  computePublication?: (input: PipelineInput) => Promise<Publication>
  metrics?: ReviewMetrics
  log?: ReviewLogger
  /** Told about each finished review (tests, metrics). */
  onOutcome?: (pullRequest: PullRequestRef, headSha: string, outcome: ReviewOutcome) => void
}

export interface ReviewRequest {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  headSha: string
  deliveryId: string
  log: ReviewLogger
  /** The App installation the webhook came from: a worker process authenticates as it. */
  installationId?: number
}

function positiveInteger(text: string | undefined): number | undefined {
  const value = Number(text)
  return text !== undefined && text.trim() !== '' && Number.isInteger(value) && value >= 0 ? value : undefined
}

/** Reviews at once per process: parsing is CPU-bound, and each review thread holds a TypeScript program. */
function defaultConcurrency(): number {
  return Math.max(1, Math.min(2, availableParallelism()))
}

/** The settings the environment gives (REDIS_URL, REDIS_PREFIX, REVIEW_CONCURRENCY, REVIEW_ATTEMPTS, REVIEW_RETRY_DELAY_MS, REVIEW_LOCK_MS). */
export function reviewServiceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ReviewServiceOptions {
  return {
    redisUrl: env.REDIS_URL?.trim() || undefined,
    redisPrefix: env.REDIS_PREFIX?.trim() || undefined,
    concurrency: positiveInteger(env.REVIEW_CONCURRENCY),
    retry: { attempts: positiveInteger(env.REVIEW_ATTEMPTS), backoffMs: positiveInteger(env.REVIEW_RETRY_DELAY_MS) },
    lockMs: positiveInteger(env.REVIEW_LOCK_MS)
  }
}

let sharedPool: ReviewThreadPool | undefined

export class ReviewService {
  readonly backend: ReviewQueueBackend
  readonly metrics: ReviewMetrics
  readonly concurrency: number
  private readonly pool: ReviewThreadPool | undefined
  /** Where this process computes a review (its threads), when it computes reviews at all. */
  private readonly compute: ((input: PipelineInput) => Promise<Publication>) | undefined

  constructor(options: ReviewServiceOptions = {}) {
    const env = reviewServiceOptionsFromEnv()
    const concurrency = options.concurrency ?? env.concurrency ?? defaultConcurrency()
    if (concurrency === 0 && !options.redisUrl)
      throw new Error('REVIEW_CONCURRENCY=0 (add jobs only) needs REDIS_URL: without Redis no other process runs the reviews')
    this.concurrency = concurrency
    const retry: RetryPolicy = {
      attempts: options.retry?.attempts ?? env.retry?.attempts ?? 3,
      backoffMs: options.retry?.backoffMs ?? env.retry?.backoffMs ?? 5000
    }
    if (retry.attempts < 1) throw new Error('REVIEW_ATTEMPTS must be at least 1')
    this.metrics = options.metrics ?? new ReviewMetrics()
    let compute = options.computePublication
    if (!compute && concurrency > 0) {
      // One pool per process, sized by the first service: reviews never outnumber threads.
      sharedPool ??= new ReviewThreadPool(concurrency)
      this.pool = sharedPool
      compute = sharedPool.compute
    }
    this.compute = compute
    const cache = options.cache ?? sharedBlobCache
    const onOutcome = (job: ReviewJob, outcome: ReviewOutcome) => options.onOutcome?.(pullRequestOf(job), job.headSha, outcome)
    if (options.redisUrl) {
      const authenticate = options.authenticate
      const redis = new RedisReviewQueue({
        url: options.redisUrl,
        concurrency,
        retry,
        lockMs: options.lockMs ?? env.lockMs ?? 30_000,
        authenticate: (installationId) => {
          if (!authenticate) return Promise.reject(new Error('this process cannot authenticate as the App'))
          return authenticate(installationId)
        },
        log: options.log ?? silentLogger,
        cache,
        computePublication: compute,
        metrics: this.metrics,
        onOutcome,
        prefix: options.redisPrefix
      })
      redis.start()
      this.backend = redis
    } else {
      this.backend = new MemoryReviewQueue({ concurrency, retry, cache, computePublication: compute, metrics: this.metrics, onOutcome })
    }
    this.metrics.readQueueDepthFrom(() => this.backend.depth())
  }

  /**
   * A review computed off the webhook thread, as the queue's reviews are (a `/approve` needs the
   * gates at head now); in this thread when the process has no review threads (REVIEW_CONCURRENCY=0).
   */
  computePublication(input: PipelineInput): Promise<Publication> {
    if (this.compute) return this.compute(input)
    try {
      return Promise.resolve(reviewForPublication(input))
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  get mode(): 'memory' | 'redis' {
    return this.backend.mode
  }

  /** False when this webhook delivery was seen before (GitHub redelivery): do nothing twice. */
  firstDelivery(deliveryId: string): Promise<boolean> {
    return this.backend.firstDelivery(deliveryId)
  }

  /** Queues a review and returns once it is queued; a newer request for the same pull request replaces older ones. */
  async request(request: ReviewRequest): Promise<void> {
    const { pullRequest, headSha } = request
    const job: ReviewJob = {
      ...pullRequest,
      headSha,
      deliveryId: request.deliveryId,
      installationId: request.installationId,
      receivedAt: Date.now()
    }
    try {
      const result = await this.backend.enqueue(job, request.octokit, request.log)
      request.log.info({ queue: this.backend.mode, coalesced: result === 'replaced-waiting' }, 'review queued')
    } catch (error) {
      // Not queued: let a redelivery of this webhook try again, and answer GitHub with an error.
      await this.backend.forgetDelivery(request.deliveryId).catch(() => undefined)
      throw error
    }
  }

  /** Starts the review threads now (they take seconds to load the engine); resolves when they are ready. */
  async warmUp(): Promise<void> {
    await this.pool?.warmUp()
  }

  depth(): Promise<QueueDepth> {
    return this.backend.depth()
  }

  /** Resolves when every queued review has finished. */
  idle(): Promise<void> {
    return this.backend.idle()
  }

  /** Graceful shutdown: see the backends. The review threads stop last. */
  async close(timeoutMs: number): Promise<void> {
    await this.backend.close(timeoutMs)
    if (this.pool && this.pool === sharedPool) {
      sharedPool = undefined
      await this.pool.close()
    }
  }
}
