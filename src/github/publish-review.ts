// Writes a review to GitHub: the `integration-review` check run (annotations in batches of 50),
// the one sticky comment (edited in place, state block carried over) and the labels. Every write
// is find-or-update, so publishing the same review twice changes nothing the second time.
import { createHash } from 'node:crypto'
import type { CheckRunOutput } from '../report/check-run-report.js'
import {
  composeCommentBody,
  emptyCommentState,
  hasCommentMarker,
  parseStateBlock,
  trailingStateBlock
} from '../pull-request/comment-state.js'
import { labelChanges, type LabelPlan } from '../pull-request/compute-labels.js'
import { CHECK_RUN_NAME, UNFINISHED_TITLE, failUnfinishedReview, findOwnCheckRun } from './fail-unfinished-review.js'
import { errorMessage, statusOf, type GitHubClient, type PullRequestRef, type RepositoryRef, type ReviewLogger } from './github-client.js'

export { CHECK_RUN_NAME }
/** GitHub takes at most 50 annotations per request; more can be silently dropped. */
export const ANNOTATIONS_PER_REQUEST = 50

export interface CheckRunHandle {
  id: number
  /** Found on the commit rather than created by this run. */
  existing: boolean
  status: string
  /** Digest of the output last published on it (the check run's external_id). */
  externalId: string | null
  annotationsCount: number
}

/** Finds this app's check run on the commit, or creates one in progress. */
export async function startCheckRun(octokit: GitHubClient, repository: RepositoryRef, headSha: string): Promise<CheckRunHandle> {
  const found = await findOwnCheckRun(octokit, repository, headSha)
  if (found) {
    return {
      id: found.id,
      existing: true,
      status: found.status,
      externalId: found.external_id ?? null,
      annotationsCount: found.output?.annotations_count ?? 0
    }
  }
  const created = await octokit.rest.checks.create({
    ...repository,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: 'in_progress',
    output: { title: 'Reviewing the changed integrations', summary: 'The review is running; this check completes when it is done.' }
  })
  return { id: created.data.id, existing: false, status: 'in_progress', externalId: null, annotationsCount: 0 }
}

/** Identifies an output, so a re-run that would publish the same thing publishes nothing. */
export function outputDigest(output: CheckRunOutput): string {
  return `ir1-${createHash('sha256').update(JSON.stringify(output)).digest('hex').slice(0, 40)}`
}

export type CheckRunResult = 'unchanged' | 'updated' | 'recreated'

/**
 * Completes the check run with the conclusion, summary and every annotation. Annotations sent to
 * a check run are appended, never replaced: a check run that already shows annotations of an
 * older output is replaced by a new one rather than given a second copy.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  repository: RepositoryRef,
  headSha: string,
  handle: CheckRunHandle,
  output: CheckRunOutput
): Promise<{ result: CheckRunResult; checkRunId: number; requests: number }> {
  const digest = outputDigest(output)
  if (handle.existing && handle.status === 'completed' && handle.externalId === digest)
    return { result: 'unchanged', checkRunId: handle.id, requests: 0 }
  const batches = batch(output.annotations, ANNOTATIONS_PER_REQUEST)
  const summaryOutput = { title: output.title, summary: output.summary }
  const completion = {
    status: 'completed' as const,
    conclusion: output.conclusion,
    external_id: digest,
    output: { ...summaryOutput, annotations: batches[0] ?? [] }
  }
  const recreate = handle.existing && handle.annotationsCount > 0
  let checkRunId = handle.id
  if (recreate) {
    const { data } = await octokit.rest.checks.create({ ...repository, name: CHECK_RUN_NAME, head_sha: headSha, ...completion })
    checkRunId = data.id
  } else {
    await octokit.rest.checks.update({ ...repository, check_run_id: handle.id, ...completion })
  }
  for (const annotations of batches.slice(1)) {
    await octokit.rest.checks.update({ ...repository, check_run_id: checkRunId, output: { ...summaryOutput, annotations } })
  }
  return { result: recreate ? 'recreated' : 'updated', checkRunId, requests: Math.max(1, batches.length) }
}

/** The check-run title of a review that did not finish: it says so, and how to try again. */
export const FAILED_REVIEW_TITLE = UNFINISHED_TITLE

/**
 * Completes the check run of a review that could not finish as `failure` (never `neutral`, which
 * passes a required check), through the one function the queues use too.
 */
export async function completeCheckRunAsFailed(
  octokit: GitHubClient,
  repository: RepositoryRef,
  headSha: string,
  handle: CheckRunHandle | undefined,
  reason: string
): Promise<void> {
  await failUnfinishedReview(octokit, repository, headSha, { kind: 'failed', detail: reason }, { checkRunId: handle?.id })
}

/** Closes the in-progress check run of a commit that a newer push replaced before its review finished. */
export async function supersedeCheckRun(
  octokit: GitHubClient,
  repository: RepositoryRef,
  handle: CheckRunHandle,
  newerSha: string | undefined
): Promise<void> {
  if (handle.existing && handle.status === 'completed') return
  await octokit.rest.checks.update({
    ...repository,
    check_run_id: handle.id,
    status: 'completed',
    conclusion: 'neutral',
    external_id: 'ir1-superseded',
    output: {
      title: 'Superseded by a newer commit',
      summary: `A newer commit${newerSha ? ` (${newerSha.slice(0, 12)})` : ''} was pushed before this review finished; its check run has the review.`
    }
  })
}

export interface StickyComment {
  id: number
  body: string
}

/** The app's sticky comment on the pull request: a bot's comment that starts with the hidden marker. */
export async function findStickyComment(octokit: GitHubClient, pullRequest: PullRequestRef): Promise<StickyComment | undefined> {
  let found: StickyComment | undefined
  await octokit.paginate(
    octokit.rest.issues.listComments,
    { owner: pullRequest.owner, repo: pullRequest.repo, issue_number: pullRequest.number, per_page: 100 },
    (response, done) => {
      for (const comment of response.data) {
        // Only a bot's comment that opens with the marker: a person, or a reply quoting a person, is not it.
        if (comment.user?.type === 'Bot' && hasCommentMarker(comment.body)) {
          found = { id: comment.id, body: comment.body ?? '' }
          done()
          break
        }
      }
      return []
    }
  )
  return found
}

export type CommentResult = 'created' | 'updated' | 'unchanged'

/**
 * Creates or edits the sticky comment. The state block is re-read from the comment just before
 * writing, so a reviewer command recorded while the review ran is kept; a block this version
 * cannot read is kept verbatim.
 */
export async function publishComment(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  existing: StickyComment | undefined,
  markdown: string
): Promise<{ result: CommentResult; commentId: number }> {
  const issue = { owner: pullRequest.owner, repo: pullRequest.repo }
  if (existing) {
    // Read again now: the copy found before the review may predate a reviewer command.
    let current: string | undefined
    try {
      current = (await octokit.rest.issues.getComment({ ...issue, comment_id: existing.id })).data.body ?? ''
    } catch (error) {
      if (statusOf(error) !== 404) throw error
    }
    if (current !== undefined) {
      const body = bodyKeepingState(markdown, current, pullRequest)
      if (body === current) return { result: 'unchanged', commentId: existing.id }
      await octokit.rest.issues.updateComment({ ...issue, comment_id: existing.id, body })
      return { result: 'updated', commentId: existing.id }
    }
  }
  const { data } = await octokit.rest.issues.createComment({
    ...issue,
    issue_number: pullRequest.number,
    body: composeCommentBody(markdown, emptyCommentState(), pullRequest)
  })
  return { result: 'created', commentId: data.id }
}

function bodyKeepingState(markdown: string, currentBody: string, pullRequest: PullRequestRef): string {
  const parsed = parseStateBlock(currentBody, pullRequest)
  if (parsed.status === 'ok') return composeCommentBody(markdown, parsed.state, pullRequest)
  // Written by a newer version: carry its block over untouched. A forged or broken block is not
  // carried: the review that publishes this has already rebuilt the state from the commands.
  const original = parsed.status === 'invalid' && parsed.newer ? trailingStateBlock(currentBody) : undefined
  return composeCommentBody(markdown, emptyCommentState(), pullRequest, original)
}

export interface LabelResult {
  added: string[]
  removed: string[]
}

/** Puts the planned labels on the pull request, creating missing ones with colour and description. */
export async function syncLabels(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  plan: LabelPlan,
  current: readonly string[],
  log?: ReviewLogger
): Promise<LabelResult> {
  const repository = { owner: pullRequest.owner, repo: pullRequest.repo }
  const { add, remove } = labelChanges(plan, current)
  for (const label of add) {
    try {
      await octokit.rest.issues.createLabel({ ...repository, name: label.name, color: label.color, description: label.description })
    } catch (error) {
      // 422 already_exists: the repository has it, perhaps styled by its maintainers; keep theirs.
      // Anything else only costs the colour: adding a missing label creates it plain.
      if (statusOf(error) !== 422)
        log?.warn({ label: label.name, err: errorMessage(error) }, 'could not create the label; adding it anyway')
    }
  }
  if (add.length > 0)
    await octokit.rest.issues.addLabels({ ...repository, issue_number: pullRequest.number, labels: add.map((label) => label.name) })
  for (const name of remove) {
    try {
      await octokit.rest.issues.removeLabel({ ...repository, issue_number: pullRequest.number, name })
    } catch (error) {
      if (statusOf(error) !== 404) throw error
    }
  }
  return { added: add.map((label) => label.name), removed: remove }
}

function batch<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = []
  for (let index = 0; index < items.length; index += size) batches.push(items.slice(index, index + size))
  return batches
}
