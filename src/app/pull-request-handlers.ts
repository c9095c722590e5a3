// Webhook handlers: read the event, queue a review, return at once. No analysis here.
import type { Context } from 'probot'
import { errorMessage, type GitHubClient, type PullRequestRef, type ReviewLogger } from '../github/github-client.js'
import type { ReviewService } from './review-service.js'

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited'
] as const

function eventLog(context: Context, pullRequest: PullRequestRef): ReviewLogger {
  return context.log.child({
    deliveryId: context.id,
    event: context.name,
    repo: `${pullRequest.owner}/${pullRequest.repo}`,
    pr: pullRequest.number
  })
}

export async function onPullRequest(context: Context<(typeof PULL_REQUEST_EVENTS)[number]>, reviews: ReviewService): Promise<void> {
  const { payload } = context
  // The body is an input of the review (e.g. it must link the docs) and a new base branch
  // changes the diff; a title edit changes nothing the review reads.
  if (payload.action === 'edited' && !payload.changes.body && !payload.changes.base) return
  const pullRequest = { owner: payload.repository.owner.login, repo: payload.repository.name, number: payload.pull_request.number }
  const log = eventLog(context, pullRequest)
  if (!(await reviews.firstDelivery(context.id))) {
    log.info({ deliveryId: context.id }, 'webhook delivery seen before; ignored')
    return
  }
  await reviews.request({
    octokit: context.octokit,
    pullRequest,
    headSha: payload.pull_request.head.sha,
    deliveryId: context.id,
    installationId: payload.installation?.id,
    log
  })
}

/** GitHub's "Re-run" button: review again every open pull request whose head is the check's commit. */
export async function onRerequest(
  context: Context<'check_run.rerequested' | 'check_suite.rerequested'>,
  reviews: ReviewService
): Promise<void> {
  const { payload } = context
  const owner = payload.repository.owner.login
  const repo = payload.repository.name
  let headSha: string
  let numbers: number[]
  if ('check_run' in payload) {
    if (payload.check_run.name !== 'integration-review') return
    headSha = payload.check_run.head_sha
    numbers = payload.check_run.pull_requests.map((pr) => pr.number)
  } else {
    headSha = payload.check_suite.head_sha
    numbers = payload.check_suite.pull_requests.map((pr) => pr.number)
  }
  const log = context.log.child({ deliveryId: context.id, event: context.name, repo: `${owner}/${repo}`, headSha: headSha.slice(0, 12) })
  if (!(await reviews.firstDelivery(context.id))) {
    log.info({ deliveryId: context.id }, 'webhook delivery seen before; ignored')
    return
  }
  const octokit = context.octokit
  // Checks from forks carry no pull requests: find them by their head commit.
  if (numbers.length === 0) {
    try {
      numbers = await openPullRequestsWithHead(octokit, owner, repo, headSha)
    } catch (error) {
      log.error({ err: errorMessage(error) }, 'could not list the open pull requests; nothing re-run')
      return
    }
  }
  if (numbers.length === 0) log.info({}, 'no open pull request has this commit as its head; nothing to re-run')
  for (const number of numbers) {
    const pullRequest = { owner, repo, number }
    await reviews.request({
      octokit,
      pullRequest,
      headSha,
      deliveryId: context.id,
      installationId: payload.installation?.id,
      log: log.child({ pr: number })
    })
  }
}

async function openPullRequestsWithHead(octokit: GitHubClient, owner: string, repo: string, headSha: string): Promise<number[]> {
  const numbers: number[] = []
  await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 }, (response) => {
    for (const pr of response.data) if (pr.head.sha === headSha) numbers.push(pr.number)
    return []
  })
  return numbers
}
