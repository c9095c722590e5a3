// One review of one pull request against GitHub: check run in progress, load, review, re-check
// that the head has not moved, publish. A failure completes the check run as `failure` with the reason.
import { performance } from 'node:perf_hooks'
import { BlobCache } from '../source/blob-cache.js'
import { errorMessage, type GitHubClient, type PullRequestRef, type ReviewLogger } from './github-client.js'
import { fetchPullRequest, loadChange, loadReviewConfig } from './load-pull-request.js'
import {
  completeCheckRun,
  completeCheckRunAsFailed,
  findStickyComment,
  publishComment,
  startCheckRun,
  supersedeCheckRun,
  syncLabels,
  type CheckRunHandle
} from './publish-review.js'
import { parseStateBlock } from '../pull-request/comment-state.js'
import { reviewForPublication, type PipelineInput, type Publication } from '../pull-request/review-pipeline.js'
import { reconcileAfterReview, restoreCommandState } from './command-state-store.js'

export interface ReviewPullRequestOptions {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  /** The head commit the triggering event named; the review is of this commit. */
  headSha: string
  log: ReviewLogger
  /** True once a newer event for the same pull request arrived (the queue says so; Redis answers async). */
  isSuperseded?: () => boolean | Promise<boolean>
  /** The head SHA of the newest request for this pull request, when known (the queue's view). */
  newestRequestedSha?: () => string | undefined | Promise<string | undefined>
  cache?: BlobCache
  /** Where the config is read in the base branch (the Action's `config` input); the App uses the default. */
  configPath?: string
  /**
   * `publish` (the default) writes the check run, the comment and the labels. `read-only` loads and
   * reviews the same way but writes nothing, for a token that cannot write (a fork's workflow):
   * the caller reports the publication itself.
   */
  mode?: 'publish' | 'read-only'
  /** Runs the CPU-bound review; the App passes a worker thread so its event loop stays free. */
  computePublication?: (input: PipelineInput) => Promise<Publication>
  /**
   * Reports a failure instead of the default check-run completion. It may throw, to hand the
   * error back to the caller (the queue retries it later and the check run stays in progress).
   */
  onFailure?: (failure: { error: unknown; reason: string; checkRunId: number | undefined }) => Promise<void>
}

export type ReviewOutcome =
  | { outcome: 'published'; conclusion: string; findings: number; annotations: number; publication?: Publication }
  /** Read-only mode: reviewed, nothing written. */
  | { outcome: 'reviewed'; publication: Publication }
  | { outcome: 'stale'; newerSha: string | undefined }
  | { outcome: 'closed' }
  | { outcome: 'failed'; reason: string }

export async function reviewPullRequest(options: ReviewPullRequestOptions): Promise<ReviewOutcome> {
  const { octokit, pullRequest: ref, headSha } = options
  const readOnly = options.mode === 'read-only'
  const repository = { owner: ref.owner, repo: ref.repo }
  const log = options.log.child({ headSha: headSha.slice(0, 12) })
  const timings: Record<string, number> = {}
  const time = async <T>(name: string, step: () => Promise<T> | T): Promise<T> => {
    const started = performance.now()
    try {
      return await step()
    } finally {
      timings[name] = Math.round(performance.now() - started)
    }
  }

  let handle: CheckRunHandle | undefined
  try {
    const pr = await time('pullRequest', () => fetchPullRequest(octokit, ref))
    if (pr.state !== 'open') {
      log.info({ state: pr.state }, 'pull request is not open; nothing to review')
      return { outcome: 'closed' }
    }
    const checkRun = readOnly ? undefined : await time('checkRunStart', () => startCheckRun(octokit, repository, headSha))
    handle = checkRun
    const { config, errors: configErrors } = await time('config', () =>
      loadReviewConfig(octokit, repository, pr.baseRef, options.configPath)
    )
    const { internal, changedPaths, revisions, skipped, unanalysed } = await loadChange(octokit, ref, pr, headSha, config, {
      cache: options.cache,
      log,
      time
    })
    const comment = await time('comment', () => findStickyComment(octokit, ref))
    const block = parseStateBlock(comment?.body, ref)
    const state = await time('commandState', () =>
      restoreCommandState({
        octokit,
        pullRequest: ref,
        pullRequestAuthor: pr.authorLogin,
        config,
        headSha,
        sticky: comment,
        log,
        save: !readOnly
      })
    )
    const compute = options.computePublication ?? reviewForPublication
    const publication = await time('review', () =>
      compute({
        head: revisions.head,
        base: revisions.base,
        changedPaths,
        config,
        configErrors,
        skipped,
        unanalysed,
        pullRequest: { body: pr.body, title: pr.title, labels: pr.labels, authorIsPartner: !internal },
        state,
        stateScope: ref,
        stateNote: block.status === 'invalid' && !block.newer ? stateNoteFor(block.reason) : undefined,
        repositoryUrl: pr.repositoryUrl,
        headSha
      })
    )

    if (!checkRun) {
      log.info(
        { conclusion: publication.checkRun.conclusion, findings: publication.review.findings.length, timings },
        'reviewed (read-only: nothing written)'
      )
      return { outcome: 'reviewed', publication }
    }
    // Never publish the result of a commit that is no longer the pull request's head.
    if (await options.isSuperseded?.()) {
      const newer = await options.newestRequestedSha?.()
      // A newer request for the same commit (an edited body, a re-run) will complete this check run itself.
      if (newer !== headSha) await supersedeCheckRun(octokit, repository, checkRun, newer)
      log.info({ newerSha: newer, timings }, 'a newer request arrived during the review; result not published')
      return { outcome: 'stale', newerSha: newer }
    }
    const latest = await time('recheck', () => fetchPullRequest(octokit, ref))
    if (latest.headSha !== headSha || latest.state !== 'open') {
      await supersedeCheckRun(octokit, repository, checkRun, latest.headSha)
      log.info({ newerSha: latest.headSha, timings }, 'the pull request head moved during the review; result not published')
      return { outcome: 'stale', newerSha: latest.headSha }
    }

    const checkRunResult = await time('publishCheckRun', () =>
      completeCheckRun(octokit, repository, headSha, checkRun, publication.checkRun)
    )
    const commentResult = await time('publishComment', () => publishComment(octokit, ref, comment, publication.markdown))
    const labels = await time('publishLabels', () => syncLabels(octokit, ref, publication.labels, latest.labels, log))
    await time('approvals', () =>
      reconcileAfterReview({
        octokit,
        pullRequest: ref,
        pullRequestAuthor: pr.authorLogin,
        config,
        headSha,
        sticky: comment,
        log,
        review: publication.review,
        state
      })
    )
    log.info(
      {
        conclusion: publication.checkRun.conclusion,
        integrations: publication.review.integrations.length,
        findings: publication.review.findings.length,
        annotations: publication.checkRun.annotations.length,
        checkRun: checkRunResult.result,
        comment: commentResult.result,
        labels,
        blobs: revisions.stats,
        timings
      },
      'review published'
    )
    return {
      outcome: 'published',
      conclusion: publication.checkRun.conclusion,
      findings: publication.review.findings.length,
      annotations: publication.checkRun.annotations.length,
      publication
    }
  } catch (error) {
    const reason = errorMessage(error)
    log.error({ err: reason, timings }, 'review failed')
    if (readOnly) return { outcome: 'failed', reason }
    if (options.onFailure) {
      await options.onFailure({ error, reason, checkRunId: handle?.id })
      return { outcome: 'failed', reason }
    }
    try {
      await completeCheckRunAsFailed(octokit, repository, headSha, handle, reason)
    } catch (reportError) {
      log.error({ err: errorMessage(reportError) }, 'could not report the failure on the check run')
    }
    return { outcome: 'failed', reason }
  }
}

/** Said on the comment when its state block was not believed: the waivers shown are the replayed ones. */
function stateNoteFor(reason: string): string {
  return `The state block of this comment was ignored (${reason}). Waivers and approvals were rebuilt from the commands of people allowed to give them.`
}
