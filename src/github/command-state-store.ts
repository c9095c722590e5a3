// Where the commands' state lives on GitHub: the sticky comment's hidden state block. Reads it,
// rebuilds it from the pull request's comments when it is lost or damaged, writes it back, and
// after each review withdraws approvals whose gate no longer holds (label removed, reason posted).
import type { ReviewConfig } from '../config/review-config.js'
import { composeCommentBody, hasCommentMarker, parseStateBlock, writeStateBlock, type CommentState } from '../pull-request/comment-state.js'
import { errorMessage, statusOf, type GitHubClient, type PullRequestRef, type ReviewLogger } from './github-client.js'
import { untrustedMarkdown } from '../report/untrusted-text.js'
import { ALL_RULES } from '../rules/all-rules.js'
import { NOT_ANALYSED_RULE_ID } from '../review/not-analysed-explanation.js'
import type { Authoriser, ReviewerStatus } from '../pr-commands/authorise.js'
import { createAuthoriser } from './reviewer-lookup.js'
import {
  readCommandState,
  rebuildState,
  reconcileApprovals,
  type CommandState,
  type GateReview,
  type RebuildResult,
  type ReplayComment
} from '../pr-commands/command-state.js'
import { isStateCommand, parseCommands, type ApprovalStage, type StateCommand } from '../pr-commands/parse-commands.js'

/** The App's slug, for `@slug command` mentions (APP_SLUG, or the name in app.yml). */
export function appSlug(): string {
  return process.env.APP_SLUG?.trim() || 'integration-review'
}

/** Rule ids the parser checks commands against: the catalog, and the fail-closed finding a reviewer may waive after looking. */
export const KNOWN_RULE_IDS: readonly string[] = [...ALL_RULES.map((rule) => rule.id), NOT_ANALYSED_RULE_ID]

/** Beyond this many comments a pull request's history is not replayed in full (said in the log). */
const MAX_COMMENTS_LISTED = 3000

export interface StickyComment {
  id: number
  body: string
}

interface PullRequestComments {
  sticky: StickyComment | undefined
  /** Every other comment, oldest first (bots included; the replay skips them). */
  comments: ReplayComment[]
  truncated: boolean
}

async function listPullRequestComments(octokit: GitHubClient, pullRequest: PullRequestRef): Promise<PullRequestComments> {
  let sticky: StickyComment | undefined
  const comments: ReplayComment[] = []
  let truncated = false
  await octokit.paginate(
    octokit.rest.issues.listComments,
    { owner: pullRequest.owner, repo: pullRequest.repo, issue_number: pullRequest.number, per_page: 100 },
    (response, done) => {
      for (const comment of response.data) {
        // Only a bot's comment can be the sticky one: a person quoting the marker must not be mistaken for it.
        if (!sticky && comment.user?.type === 'Bot' && hasCommentMarker(comment.body)) sticky = { id: comment.id, body: comment.body ?? '' }
        else
          comments.push({
            id: comment.id,
            body: comment.body,
            user: comment.user ? { login: comment.user.login, type: comment.user.type } : null,
            created_at: comment.created_at,
            updated_at: comment.updated_at
          })
      }
      if (comments.length >= MAX_COMMENTS_LISTED) {
        truncated = true
        done()
      }
      return []
    }
  )
  return { sticky, comments, truncated }
}

export type LoadedState =
  | {
      writable: true
      sticky: StickyComment | undefined
      state: CommandState
      /** `comment`: read from the block; `rebuilt`: replayed from the comments (block missing or damaged). */
      source: 'comment' | 'rebuilt'
      /** Entries dropped from a damaged block, and why a rebuild happened. */
      problems: string[]
      rebuild?: RebuildResult
    }
  /** A block this version cannot read (written by a newer one): it must not be overwritten. */
  | { writable: false; sticky: StickyComment; reason: string }

export interface StateScope {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  pullRequestAuthor: string
  config: ReviewConfig
  headSha: string
  /** Shared with the caller so nobody is asked about twice. */
  authoriser?: Authoriser
  /** A comment being handled right now: not replayed (it is applied by the caller). */
  excludeCommentId?: number
  log: ReviewLogger
}

/** The state from the sticky comment, rebuilt by replaying the comments when it is missing or damaged. */
export async function loadCommandState(scope: StateScope): Promise<LoadedState> {
  const listed = await listPullRequestComments(scope.octokit, scope.pullRequest)
  const parsed = parseStateBlock(listed.sticky?.body, scope.pullRequest)
  // A block the commands never wrote (no `handledComments`) and that holds nothing was made fresh by
  // a review, perhaps after the comment was deleted: the comments are replayed to be sure.
  const fresh =
    parsed.status === 'ok' &&
    parsed.state.handledComments === undefined &&
    parsed.state.waivers.length === 0 &&
    parsed.state.approvals.length === 0
  if (parsed.status === 'ok' && !fresh) {
    const { state, problems } = readCommandState(parsed.state)
    return { writable: true, sticky: listed.sticky, state, source: 'comment', problems }
  }
  if (parsed.status === 'invalid' && parsed.newer && listed.sticky) {
    return { writable: false, sticky: listed.sticky, reason: parsed.reason }
  }
  const why = !listed.sticky
    ? 'the review comment is missing'
    : parsed.status === 'absent'
      ? 'the review comment has no state block'
      : parsed.status === 'invalid'
        ? `the review comment's state block was not believed (${parsed.reason})`
        : 'no command has written the state yet'
  const authoriser = scope.authoriser ?? createAuthoriser(authorisationScope(scope))
  const comments = listed.comments.filter((comment) => comment.id !== scope.excludeCommentId)
  const isAuthorised = await replayAuthorisation(comments, authoriser)
  const rebuild = rebuildState(comments, isAuthorised, { headSha: scope.headSha, appSlug: appSlug(), ruleIds: KNOWN_RULE_IDS })
  const problems = [`state rebuilt from the pull request's comments: ${why}`]
  if (listed.truncated) problems.push(`only the first ${MAX_COMMENTS_LISTED} comments were replayed`)
  scope.log.info(
    { why, replayed: rebuild.replayed.length, unauthorised: rebuild.unauthorised.length },
    'command state rebuilt from comments'
  )
  return { writable: true, sticky: listed.sticky, state: rebuild.state, source: 'rebuilt', problems, rebuild }
}

/** Asks GitHub once per person who issued a state command, then decides each command without I/O. */
async function replayAuthorisation(
  comments: readonly ReplayComment[],
  authoriser: Authoriser
): Promise<(command: StateCommand, login: string) => boolean> {
  const logins = new Set<string>()
  for (const comment of comments) {
    if (!comment.user || comment.user.type === 'Bot' || !comment.body) continue
    const login = comment.user.login
    // Ask about a person only when the answer matters (an author's own waiver is refused anyway).
    const asReviewer = { reviewer: true, detail: '' }
    const matters = parseCommands(comment.body, { appSlug: appSlug() }).some(
      (entry) => entry.ok && isStateCommand(entry.command) && authoriser.decide(entry.command, login, asReviewer).allowed
    )
    if (matters) logins.add(login)
  }
  const statuses = new Map<string, ReviewerStatus>()
  for (const login of logins) statuses.set(login.toLowerCase(), await authoriser.reviewerStatus(login))
  return (command, login) => authoriser.decide(command, login, statuses.get(login.toLowerCase())).allowed
}

function authorisationScope(scope: StateScope) {
  return {
    octokit: scope.octokit,
    owner: scope.pullRequest.owner,
    repo: scope.pullRequest.repo,
    pullRequestAuthor: scope.pullRequestAuthor,
    reviewers: scope.config.reviewers
  }
}

const PLACEHOLDER = '_integration-review is updating this review after a reviewer command; the findings appear here when it finishes._'

/**
 * Writes the state into the sticky comment, re-reading its body first so the review text written
 * meanwhile is kept; creates the comment (with a placeholder the review replaces) when it is gone.
 * Given a function, it computes the new state from the one in the comment now (undefined if none).
 */
export async function saveCommandState(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  sticky: StickyComment | undefined,
  next: CommandState | ((current: CommandState | undefined) => CommandState)
): Promise<StickyComment> {
  const issue = { owner: pullRequest.owner, repo: pullRequest.repo }
  const stateFrom = (body: string | undefined): CommentState => {
    if (typeof next !== 'function') return next
    const parsed = parseStateBlock(body, pullRequest)
    return next(parsed.status === 'ok' ? readCommandState(parsed.state).state : undefined)
  }
  if (sticky) {
    let current: string | undefined
    try {
      current = (await octokit.rest.issues.getComment({ ...issue, comment_id: sticky.id })).data.body ?? ''
    } catch (error) {
      if (statusOf(error) !== 404) throw error
    }
    if (current !== undefined) {
      const state = stateFrom(current)
      const body = hasCommentMarker(current)
        ? writeStateBlock(current, state, pullRequest)
        : composeCommentBody(PLACEHOLDER, state, pullRequest)
      if (body !== current) await octokit.rest.issues.updateComment({ ...issue, comment_id: sticky.id, body })
      return { id: sticky.id, body }
    }
  }
  const body = composeCommentBody(PLACEHOLDER, stateFrom(undefined), pullRequest)
  const { data } = await octokit.rest.issues.createComment({ ...issue, issue_number: pullRequest.number, body })
  return { id: data.id, body }
}

export function releaseLabelName(stage: ApprovalStage, config: ReviewConfig): string {
  return stage === 'private-beta' ? config.labels.releasePrivateBeta : config.labels.releasePublic
}

const RELEASE_LABEL_STYLE: Record<ApprovalStage, { color: string; description: string }> = {
  'private-beta': { color: '5319e7', description: 'integration-review: a reviewer approved the Private Beta release' },
  public: { color: '0e8a16', description: 'integration-review: a reviewer approved the Public release' }
}

export async function addReleaseLabel(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  stage: ApprovalStage,
  config: ReviewConfig
): Promise<string> {
  const name = releaseLabelName(stage, config)
  const repository = { owner: pullRequest.owner, repo: pullRequest.repo }
  try {
    await octokit.rest.issues.createLabel({ ...repository, name, ...RELEASE_LABEL_STYLE[stage] })
  } catch (error) {
    // 422: the repository already has it, perhaps styled by its maintainers; keep theirs.
    if (statusOf(error) !== 422) throw error
  }
  await octokit.rest.issues.addLabels({ ...repository, issue_number: pullRequest.number, labels: [name] })
  return name
}

/** Removes the stage's release label; false when the pull request did not carry it. */
export async function removeReleaseLabel(
  octokit: GitHubClient,
  pullRequest: PullRequestRef,
  stage: ApprovalStage,
  config: ReviewConfig
): Promise<boolean> {
  try {
    await octokit.rest.issues.removeLabel({
      owner: pullRequest.owner,
      repo: pullRequest.repo,
      issue_number: pullRequest.number,
      name: releaseLabelName(stage, config)
    })
    return true
  } catch (error) {
    if (statusOf(error) === 404) return false
    throw error
  }
}

export interface PipelineStateScope {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  pullRequestAuthor: string
  config: ReviewConfig
  headSha: string
  /** The sticky comment the pipeline found (undefined when there is none yet). */
  sticky: StickyComment | undefined
  log: ReviewLogger
  /** False for a review that writes nothing (a read-only token): a rebuilt state is used, not written back. */
  save?: boolean
}

/**
 * Called by the review pipeline with the sticky comment it found: its state, or, when the comment
 * is there but its state block is missing or damaged, the state rebuilt from the pull request's
 * comments and written back (so the review applies the waivers and the comment carries them on).
 * Makes no request when the block is readable or there is no comment. Never throws.
 */
export async function restoreCommandState(scope: PipelineStateScope): Promise<CommentState> {
  const parsed = parseStateBlock(scope.sticky?.body, scope.pullRequest)
  if (parsed.status === 'ok') return parsed.state
  const empty: CommentState = { version: 1, waivers: [], approvals: [] }
  if (!scope.sticky) return empty
  try {
    const loaded = await loadCommandState(scope)
    if (!loaded.writable) return empty
    if (loaded.state.waivers.length === 0 && loaded.state.approvals.length === 0) return empty
    if (scope.save !== false) await saveCommandState(scope.octokit, scope.pullRequest, loaded.sticky, loaded.state)
    return loaded.state
  } catch (error) {
    scope.log.warn({ err: errorMessage(error) }, 'could not rebuild the command state; the review runs without waivers')
    return empty
  }
}

/**
 * Called by the review pipeline after publishing, with the state the review used: withdraws each
 * approval whose gate no longer holds at this head, removes its release label, and posts why.
 * No request when there is no approval. Idempotent: a withdrawn approval leaves the state, so a
 * re-run posts nothing more. Never throws.
 */
export async function reconcileAfterReview(
  scope: PipelineStateScope & { review: GateReview; state: CommentState }
): Promise<{ withdrawn: ApprovalStage[] }> {
  const { state } = readCommandState(scope.state)
  if (state.approvals.length === 0) return { withdrawn: [] }
  try {
    const result = reconcileApprovals(state, scope.review, scope.headSha, scope.config.labels)
    if (result.removed.length === 0) return { withdrawn: [] }
    // Applied to the state in the comment now: a command may have changed it while the review ran.
    const withdrawnStages = new Set(result.removed.map((change) => change.approval.stage))
    await saveCommandState(scope.octokit, scope.pullRequest, scope.sticky, (current) =>
      current ? { ...current, approvals: current.approvals.filter((approval) => !withdrawnStages.has(approval.stage)) } : result.state
    )
    const lines: string[] = []
    for (const change of result.removed) {
      const removed = await removeReleaseLabel(scope.octokit, scope.pullRequest, change.approval.stage, scope.config)
      const label = change.label ?? releaseLabelName(change.approval.stage, scope.config)
      lines.push(
        `${untrustedMarkdown(change.reason, 'lines')}\n\n${removed ? `The \`${label}\` label was removed.` : `The \`${label}\` label was not on the pull request.`} A reviewer can \`/approve ${change.approval.stage === 'private-beta' ? 'beta' : 'public'}\` again once the gate holds.`
      )
    }
    await scope.octokit.rest.issues.createComment({
      owner: scope.pullRequest.owner,
      repo: scope.pullRequest.repo,
      issue_number: scope.pullRequest.number,
      body: lines.join('\n\n---\n\n')
    })
    scope.log.info({ withdrawn: [...withdrawnStages] }, 'approvals withdrawn: their gate no longer holds')
    return { withdrawn: [...withdrawnStages] }
  } catch (error) {
    scope.log.warn({ err: errorMessage(error) }, 'could not reconcile release approvals')
    return { withdrawn: [] }
  }
}
