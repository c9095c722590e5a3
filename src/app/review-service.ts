// What the App's handlers share: the review queue, the recent delivery ids and the blob cache.
// One instance per loaded app; tests build their own to wait for the queue.
import { BlobCache } from '../github/blob-cache.js'
import { errorMessage, type GitHubClient, type PullRequestRef, type ReviewLogger } from '../github/github-client.js'
import { sharedBlobCache } from '../github/load-pull-request.js'
import { reviewPullRequest, type ReviewOutcome } from '../github/review-pull-request.js'
import { RecentKeys, ReviewQueue } from './review-queue.js'

export interface ReviewServiceOptions {
  /** Reviews running at once (REVIEW_CONCURRENCY, default 2: parsing is CPU-bound). */
  concurrency?: number
  cache?: BlobCache
  /** Told about each finished review (tests, metrics). */
  onOutcome?: (pullRequest: PullRequestRef, headSha: string, outcome: ReviewOutcome) => void
}

export interface ReviewRequest {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  headSha: string
  deliveryId: string
  log: ReviewLogger
}

export class ReviewService {
  readonly queue: ReviewQueue
  private readonly deliveries = new RecentKeys(5000)
  /** The head SHA each pull request was last asked to be reviewed at. */
  private readonly newestHead = new Map<string, string>()
  private readonly cache: BlobCache

  constructor(private readonly options: ReviewServiceOptions = {}) {
    const concurrency = options.concurrency ?? (Number(process.env.REVIEW_CONCURRENCY) || 2)
    this.queue = new ReviewQueue({ concurrency })
    this.cache = options.cache ?? sharedBlobCache
  }

  /** False when this webhook delivery was seen before (GitHub redelivery): do nothing twice. */
  firstDelivery(deliveryId: string): boolean {
    return this.deliveries.remember(deliveryId)
  }

  /** Queues a review and returns at once; a newer request for the same pull request replaces older ones. */
  request(request: ReviewRequest): void {
    const { pullRequest, headSha } = request
    const key = `${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`
    this.newestHead.set(key, headSha)
    const result = this.queue.enqueue(key, async (task) => {
      try {
        const outcome = await reviewPullRequest({
          octokit: request.octokit,
          pullRequest,
          headSha,
          log: request.log,
          isSuperseded: task.isSuperseded,
          newestRequestedSha: () => this.newestHead.get(key),
          cache: this.cache
        })
        // A delivery whose review failed may be redelivered by hand to try again.
        if (outcome.outcome === 'failed') this.deliveries.forget(request.deliveryId)
        this.options.onOutcome?.(pullRequest, headSha, outcome)
      } catch (error) {
        // reviewPullRequest reports its own failures; this only guards the queue.
        request.log.error({ err: errorMessage(error) }, 'review crashed')
      } finally {
        // Forget a finished pull request unless a newer request is waiting (keeps the map small).
        if (!task.isSuperseded() && this.newestHead.get(key) === headSha) this.newestHead.delete(key)
      }
    })
    request.log.info({ queue: this.queue.size, coalesced: result === 'replaced-waiting' }, 'review queued')
  }

  /** Resolves when every queued review has finished. */
  idle(): Promise<void> {
    return this.queue.onIdle()
  }
}
