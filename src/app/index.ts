// The GitHub App: wiring only. Each handler queues work on the review service and returns at once.
import type { ApplicationFunctionOptions, Probot } from 'probot'
import { onIssueComment } from './handle-comment-command.js'
import { operationsHandler } from './operations-handler.js'
import { PULL_REQUEST_EVENTS, onPullRequest, onRerequest } from './pull-request-handlers.js'
import { ReviewService, reviewServiceOptionsFromEnv } from './review-service.js'

/** The service `probot run` gets: the queue the environment asks for, logged once. */
export function reviewServiceFromEnv(app: Probot): ReviewService {
  const options = reviewServiceOptionsFromEnv()
  const reviews = new ReviewService({
    ...options,
    log: app.log,
    authenticate: async (installationId) => await app.auth(installationId)
  })
  app.log.info(
    { queue: reviews.mode, concurrency: reviews.concurrency },
    reviews.mode === 'redis' ? 'review queue: BullMQ on Redis (REDIS_URL)' : 'review queue: in-process'
  )
  reviews.warmUp().catch((error: unknown) => app.log.error({ err: String(error) }, 'the review threads could not start'))
  return reviews
}

export default (app: Probot, options?: ApplicationFunctionOptions): void => {
  // Tests and the web entry pass their own service; a bare `probot run` gets one from the environment.
  const reviews = options?.reviewService instanceof ReviewService ? options.reviewService : reviewServiceFromEnv(app)
  options?.addHandler?.(operationsHandler(reviews))
  app.onAny(async (context) => void reviews.metrics.webhooks.inc({ event: context.name }))
  app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, reviews))
  app.on(['check_run.rerequested', 'check_suite.rerequested'], (context) => onRerequest(context, reviews))
  app.on('issue_comment.created', (context) => onIssueComment(context, reviews))
}
