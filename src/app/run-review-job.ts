// One attempt at one queued review, the same in both queue modes: review the pull request (the
// engine on a thread), then either publish, or hand a passing GitHub fault back to the queue to
// retry, or complete the check run as a failure that says how to retry.
import type { BlobCache } from '../source/blob-cache.js'
import { errorMessage, statusOf, type GitHubClient, type ReviewLogger } from '../github/github-client.js'
import type { PipelineInput, Publication } from '../pull-request/review-pipeline.js'
import { reviewPullRequest, type ReviewOutcome } from '../github/review-pull-request.js'
import { failUnfinishedReview } from '../github/fail-unfinished-review.js'
import { isRetryableError, pullRequestOf, type ReviewJob } from './review-job.js'
import type { ReviewMetrics } from './review-metrics.js'

export interface ReviewAttempt {
  octokit: GitHubClient
  log: ReviewLogger
  cache: BlobCache
  computePublication?: (input: PipelineInput) => Promise<Publication>
  isSuperseded: () => boolean | Promise<boolean>
  newestRequestedSha: () => string | undefined | Promise<string | undefined>
  /** True when the queue will run this job again if this attempt throws. */
  retriesLeft: boolean
  metrics?: ReviewMetrics
}

/** Thrown to the queue: a GitHub fault that a later attempt may not meet. The check run stays in progress. */
export class RetryableReviewError extends Error {
  constructor(
    readonly reason: string,
    options: { cause: unknown }
  ) {
    super(`review interrupted by a passing GitHub fault: ${reason}`, options)
    this.name = 'RetryableReviewError'
  }
}

const countedClients = new WeakSet<object>()

/** Counts every failed GitHub request of this client in the metrics (once per client). */
function countGitHubErrors(octokit: GitHubClient, metrics: ReviewMetrics | undefined): void {
  const hook = (octokit as { hook?: { error?: (name: 'request', handler: (error: unknown) => never) => void } }).hook
  if (!metrics || !hook?.error || countedClients.has(octokit)) return
  countedClients.add(octokit)
  hook.error('request', (error: unknown) => {
    metrics.countGitHubError(statusOf(error))
    throw error
  })
}

export async function runReviewJob(job: ReviewJob, attempt: ReviewAttempt): Promise<ReviewOutcome> {
  const pullRequest = pullRequestOf(job)
  const started = Date.now()
  countGitHubErrors(attempt.octokit, attempt.metrics)
  const outcome = await reviewPullRequest({
    octokit: attempt.octokit,
    pullRequest,
    headSha: job.headSha,
    log: attempt.log,
    cache: attempt.cache,
    isSuperseded: attempt.isSuperseded,
    newestRequestedSha: attempt.newestRequestedSha,
    computePublication: attempt.computePublication,
    onFailure: async ({ error, reason, checkRunId }) => {
      if (attempt.retriesLeft && isRetryableError(error)) {
        attempt.metrics?.reviews.inc({ outcome: 'retried' })
        throw new RetryableReviewError(reason, { cause: error })
      }
      try {
        await failUnfinishedReview(
          attempt.octokit,
          pullRequest,
          job.headSha,
          { kind: 'failed', detail: reason },
          { checkRunId, log: attempt.log }
        )
      } catch (reportError) {
        attempt.log.error({ err: errorMessage(reportError) }, 'could not complete the check run of the failed review')
      }
    }
  })
  const seconds = (Date.now() - started) / 1000
  attempt.metrics?.reviews.inc({ outcome: outcome.outcome })
  attempt.metrics?.reviewSeconds.observe({ outcome: outcome.outcome }, seconds)
  if (outcome.outcome === 'published') attempt.metrics?.webhookToPublishedSeconds.observe((Date.now() - job.receivedAt) / 1000)
  return outcome
}
