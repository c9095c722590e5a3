// The durable queue: BullMQ on Redis. The web process only adds jobs; workers (the web process
// too, unless its concurrency is 0) run them. Across processes it keeps the in-process queue's
// rules with three Redis keys per pull request or delivery:
//  - `newest`: the id of the newest job of a pull request. A job that is not the newest when it
//    starts does nothing (a newer head replaced it); one that stops being the newest while it
//    runs does not publish.
//  - `lock`: which job of a pull request runs; another job of it waits (is delayed) meanwhile.
//    Renewed while the job runs, so a killed worker's lock lapses like BullMQ's own job lock.
//  - `delivery`: delivery ids taken up in the last day; a redelivery does nothing.
// A killed worker's job is taken up again by another through BullMQ's stalled-job recovery.
import { DelayedError, Queue, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import type { BlobCache } from '../source/blob-cache.js'
import { errorMessage, type GitHubClient, type ReviewLogger } from '../github/github-client.js'
import { CHECK_RUN_NAME, supersedeCheckRun } from '../github/publish-review.js'
import type { PipelineInput, Publication } from '../pull-request/review-pipeline.js'
import { failUnfinishedReview } from '../github/fail-unfinished-review.js'
import type { EnqueueResult, OutcomeListener, QueueDepth, ReviewQueueBackend } from './review-queue-backend.js'
import { pullRequestKey, pullRequestOf, ReviewJobSchema, type RetryPolicy, type ReviewJob } from './review-job.js'
import type { ReviewMetrics } from './review-metrics.js'
import { RetryableReviewError, runReviewJob } from './run-review-job.js'

const REVIEW_QUEUE_NAME = 'integration-review'
const DELIVERY_MEMORY_SECONDS = 24 * 3600
const NEWEST_MEMORY_SECONDS = 14 * 24 * 3600

export interface RedisReviewQueueOptions {
  url: string
  /** Reviews this process runs at once; 0 = this process only adds jobs (a web process beside workers). */
  concurrency: number
  retry: RetryPolicy
  /** How long a job's lock lasts without renewal: a killed worker's job is taken up after about this long. */
  lockMs: number
  /** An installation client for a job (workers authenticate as the App themselves). */
  authenticate: (installationId: number | undefined) => Promise<GitHubClient>
  log: ReviewLogger
  cache: BlobCache
  computePublication?: (input: PipelineInput) => Promise<Publication>
  metrics?: ReviewMetrics
  onOutcome?: OutcomeListener
  /** Key prefix, so tests (and several Apps) can share one Redis. */
  prefix?: string
}

interface NewestJob {
  jobId: string
  headSha: string
}

/** A job id BullMQ accepts (no ':'), unique per pull request, head and delivery. */
export function reviewJobId(job: ReviewJob): string {
  return `${pullRequestKey(job)}@${job.headSha.slice(0, 12)}@${job.deliveryId}`.replace(/:/g, '_')
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`
const RENEW_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`

export class RedisReviewQueue implements ReviewQueueBackend {
  readonly mode = 'redis'
  private readonly commands: Redis
  private readonly queue: Queue
  private worker: Worker | undefined
  private workerConnection: Redis | undefined
  private readonly prefix: string

  constructor(private readonly options: RedisReviewQueueOptions) {
    this.prefix = options.prefix ?? 'integration-review'
    // Fail fast: a webhook must not wait on a Redis that is gone (GitHub stops waiting at 10 s).
    this.commands = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 5000 })
    this.commands.on('error', (error) => options.log.warn({ err: errorMessage(error) }, 'redis connection error'))
    this.queue = new Queue(REVIEW_QUEUE_NAME, { connection: this.commands, prefix: this.prefix })
    this.queue.on('error', (error) => options.log.warn({ err: errorMessage(error) }, 'review queue error'))
  }

  /** Starts working the queue (no-op at concurrency 0). */
  start(): void {
    if (this.options.concurrency < 1 || this.worker) return
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null })
    this.workerConnection = connection
    connection.on('error', (error) => this.options.log.warn({ err: errorMessage(error) }, 'redis connection error (worker)'))
    this.worker = new Worker(REVIEW_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix: this.prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      maxStalledCount: 2
    })
    this.worker.on('error', (error) => this.options.log.warn({ err: errorMessage(error) }, 'review worker error'))
    this.worker.on('failed', (job, error) => void this.onFailedForGood(job, error))
  }

  private key(kind: 'newest' | 'lock' | 'delivery', id: string): string {
    return `${this.prefix}:${kind}:${id}`
  }

  async firstDelivery(deliveryId: string): Promise<boolean> {
    return (await this.commands.set(this.key('delivery', deliveryId), '1', 'EX', DELIVERY_MEMORY_SECONDS, 'NX')) === 'OK'
  }

  async forgetDelivery(deliveryId: string): Promise<void> {
    await this.commands.del(this.key('delivery', deliveryId))
  }

  async enqueue(job: ReviewJob): Promise<EnqueueResult> {
    const jobId = reviewJobId(job)
    const newest: NewestJob = { jobId, headSha: job.headSha }
    // Two round trips in all (with the delivery check, three): the webhook waits on them.
    await this.commands.set(this.key('newest', pullRequestKey(job)), JSON.stringify(newest), 'EX', NEWEST_MEMORY_SECONDS)
    await this.queue.add('review', job, {
      jobId,
      attempts: this.options.retry.attempts,
      backoff: { type: 'exponential', delay: this.options.retry.backoffMs },
      removeOnComplete: { age: 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600 }
    })
    // An older job of the pull request that still waits does nothing when its turn comes.
    return 'queued'
  }

  private parseNewest(text: string | null): NewestJob | undefined {
    if (!text) return undefined
    try {
      const value = JSON.parse(text) as Partial<NewestJob>
      return typeof value.jobId === 'string' && typeof value.headSha === 'string'
        ? { jobId: value.jobId, headSha: value.headSha }
        : undefined
    } catch {
      return undefined
    }
  }

  private async readNewest(job: ReviewJob): Promise<NewestJob | undefined> {
    return this.parseNewest(await this.commands.get(this.key('newest', pullRequestKey(job))))
  }

  private async process(bullJob: Job, token: string | undefined): Promise<string> {
    const job = ReviewJobSchema.parse(bullJob.data)
    const jobId = bullJob.id as string
    const log = this.options.log.child({
      jobId,
      deliveryId: job.deliveryId,
      repo: `${job.owner}/${job.repo}`,
      pr: job.number,
      headSha: job.headSha.slice(0, 12)
    })
    const newest = await this.readNewest(job)
    if (newest && newest.jobId !== jobId) {
      // A newer request replaced this one before it ran. If an earlier run of it was cut short
      // (a killed worker, a retry), its check run may still be in progress: close it.
      if (bullJob.attemptsStarted > 1 && newest.headSha !== job.headSha) await this.closeLeftoverCheckRun(job, newest.headSha, log)
      this.options.metrics?.reviews.inc({ outcome: 'replaced' })
      return 'replaced'
    }
    const lockKey = this.key('lock', pullRequestKey(job))
    const acquired =
      (await this.commands.set(lockKey, jobId, 'PX', this.options.lockMs, 'NX')) === 'OK' || (await this.commands.get(lockKey)) === jobId
    if (!acquired) {
      // Another job of this pull request runs: wait for it, without spending an attempt.
      await bullJob.moveToDelayed(Date.now() + Math.min(1000, this.options.lockMs / 4), token)
      throw new DelayedError()
    }
    const renewal = setInterval(
      () => {
        this.commands
          .eval(RENEW_LOCK, 1, lockKey, jobId, String(this.options.lockMs))
          .catch((error: unknown) => log.warn({ err: errorMessage(error) }, 'could not renew the pull request lock'))
      },
      Math.max(100, Math.floor(this.options.lockMs / 3))
    )
    try {
      const octokit = await this.options.authenticate(job.installationId)
      const outcome = await runReviewJob(job, {
        octokit,
        log,
        cache: this.options.cache,
        computePublication: this.options.computePublication,
        isSuperseded: async () => (await this.readNewest(job))?.jobId !== jobId,
        newestRequestedSha: async () => (await this.readNewest(job))?.headSha,
        retriesLeft: bullJob.attemptsMade + 1 < this.options.retry.attempts,
        metrics: this.options.metrics
      })
      if (outcome.outcome === 'failed') await this.forgetDelivery(job.deliveryId)
      this.options.onOutcome?.(job, outcome)
      return outcome.outcome
    } catch (error) {
      if (error instanceof RetryableReviewError)
        log.warn({ err: error.reason, attempt: bullJob.attemptsMade + 1 }, 'review failed on a passing GitHub fault; retrying later')
      throw error
    } finally {
      clearInterval(renewal)
      await this.commands.eval(RELEASE_LOCK, 1, lockKey, jobId).catch(() => undefined)
    }
  }

  /** Completes a superseded commit's check run that a cut-short run left in progress. */
  private async closeLeftoverCheckRun(job: ReviewJob, newerSha: string, log: ReviewLogger): Promise<void> {
    try {
      const octokit = await this.options.authenticate(job.installationId)
      const repository = { owner: job.owner, repo: job.repo }
      const { data } = await octokit.rest.checks.listForRef({
        ...repository,
        ref: job.headSha,
        check_name: CHECK_RUN_NAME,
        filter: 'latest',
        per_page: 100
      })
      const run = data.check_runs.find((candidate) => candidate.name === CHECK_RUN_NAME)
      if (run && run.status !== 'completed')
        await supersedeCheckRun(
          octokit,
          repository,
          { id: run.id, existing: true, status: run.status, externalId: run.external_id ?? null, annotationsCount: 0 },
          newerSha
        )
    } catch (error) {
      log.warn({ err: errorMessage(error) }, 'could not close the check run a cut-short review left in progress')
    }
  }

  /** A job BullMQ gave up on (stalled too often, retries spent on an error it threw): say so on GitHub. */
  private async onFailedForGood(bullJob: Job | undefined, error: Error): Promise<void> {
    if (!bullJob || error instanceof DelayedError) return
    const attempts = bullJob.opts.attempts ?? 1
    if (bullJob.attemptsMade < attempts && !/stalled/i.test(error.message)) return
    const parsed = ReviewJobSchema.safeParse(bullJob.data)
    if (!parsed.success) return
    const job = parsed.data
    const log = this.options.log.child({ jobId: bullJob.id, repo: `${job.owner}/${job.repo}`, pr: job.number })
    // A newer request owns the pull request now; this commit's run is closed by the leftover path.
    if ((await this.readNewest(job).catch(() => undefined))?.jobId !== bullJob.id) return
    try {
      const octokit = await this.options.authenticate(job.installationId)
      await failUnfinishedReview(octokit, pullRequestOf(job), job.headSha, { kind: 'failed', detail: error.message }, { log })
      this.options.metrics?.reviews.inc({ outcome: 'failed' })
      await this.forgetDelivery(job.deliveryId)
    } catch (reportError) {
      log.error({ err: errorMessage(reportError) }, 'could not complete the check run of a review the queue gave up on')
    }
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), running: counts.active ?? 0, delayed: counts.delayed ?? 0 }
  }

  async ping(): Promise<void> {
    await this.commands.ping()
  }

  /** Polls until no job waits, runs or is delayed: for tests and benchmarks. */
  async idle(): Promise<void> {
    for (;;) {
      const depth = await this.depth()
      if (depth.waiting === 0 && depth.running === 0 && (depth.delayed ?? 0) === 0) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.worker) {
      const worker = this.worker
      let timer: NodeJS.Timeout | undefined
      // Graceful: no new jobs, running ones finish. Past the timeout their locks lapse and
      // another worker takes them up (stalled-job recovery).
      const finished = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
      ])
      clearTimeout(timer)
      if (!finished) {
        this.options.log.warn({ timeoutMs }, 'reviews still running at shutdown; another worker will take them up')
        await worker.close(true).catch(() => undefined)
      }
      await worker.disconnect().catch(() => undefined)
      this.workerConnection?.disconnect()
    }
    await this.queue.close().catch(() => undefined)
    this.commands.disconnect()
  }
}
