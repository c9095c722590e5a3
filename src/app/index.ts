// The GitHub App: wiring only. Each handler queues work on the review service and returns at once.
import type { ApplicationFunctionOptions, Probot } from 'probot'
import { onIssueComment } from './handle-comment-command.js'
import { PULL_REQUEST_EVENTS, onPullRequest, onRerequest } from './pull-request-handlers.js'
import { ReviewService } from './review-service.js'

export default (app: Probot, options?: ApplicationFunctionOptions): void => {
  // Tests pass their own service (to wait for the queue); `probot run` gets a fresh one.
  const reviews = options?.reviewService instanceof ReviewService ? options.reviewService : new ReviewService()
  app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, reviews))
  app.on(['check_run.rerequested', 'check_suite.rerequested'], (context) => onRerequest(context, reviews))
  app.on('issue_comment.created', (context) => onIssueComment(context, reviews))
}
