// The one way a review that did not finish is shown on GitHub: its check run completed as
// `failure` (a `neutral` check would pass a required status), saying why and how to retry.
import { errorMessage, statusOf, type GitHubClient, type RepositoryRef, type ReviewLogger } from './github-client.js'

/** The check-run name, shared with publish-review.ts. */
export const CHECK_RUN_NAME = 'integration-review'

/**
 * This app's check run on the commit, or undefined when it has none. GitHub's 404 (a commit with no
 * check runs it can list yet) counts as none; other errors are the caller's.
 */
export async function findOwnCheckRun(octokit: GitHubClient, repository: RepositoryRef, headSha: string) {
  try {
    const { data } = await octokit.rest.checks.listForRef({
      ...repository,
      ref: headSha,
      check_name: CHECK_RUN_NAME,
      filter: 'latest',
      per_page: 100
    })
    return data.check_runs.find((run) => run.name === CHECK_RUN_NAME)
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw error
  }
}

export type UnfinishedReason = { kind: 'failed'; detail: string } | { kind: 'interrupted'; detail: string }

/** The check-run title of a review that did not finish: it says so, and how to try again. */
export const UNFINISHED_TITLE = 'The review did not finish: comment /recheck to retry'

function summaryOf(reason: UnfinishedReason): string {
  const what =
    reason.kind === 'interrupted'
      ? `integration-review was interrupted before this review finished (${reason.detail}).`
      : `integration-review could not complete this review: ${reason.detail}`
  return `${what}\n\nNothing was reviewed, so this check does not pass. Comment \`/recheck\` on the pull request (or push a new commit) to run the review again (or use **Re-run** on this check).`
}

/**
 * Completes the commit's `integration-review` check run as `failure`: the given one, else the one
 * found on the commit, else a new one. A check run that already completed with a result is left alone.
 */
export async function failUnfinishedReview(
  octokit: GitHubClient,
  repository: RepositoryRef,
  headSha: string,
  reason: UnfinishedReason,
  options: { checkRunId?: number; log?: ReviewLogger } = {}
): Promise<void> {
  const completion = {
    status: 'completed' as const,
    conclusion: 'failure' as const,
    external_id: `ir1-unfinished-${reason.kind}`,
    output: { title: UNFINISHED_TITLE, summary: summaryOf(reason) }
  }
  let checkRunId = options.checkRunId
  if (checkRunId === undefined) {
    try {
      const found = await findOwnCheckRun(octokit, repository, headSha)
      // A completed result (or a superseded run) is the truth for this commit: keep it.
      if (found?.status === 'completed') return
      checkRunId = found?.id
    } catch (error) {
      options.log?.warn({ err: errorMessage(error) }, 'could not list the check runs; creating a failed one')
    }
  }
  if (checkRunId !== undefined) await octokit.rest.checks.update({ ...repository, check_run_id: checkRunId, ...completion })
  else await octokit.rest.checks.create({ ...repository, name: CHECK_RUN_NAME, head_sha: headSha, ...completion })
}
