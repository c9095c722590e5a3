// `issue_comment.created` on a pull request: reads the commands in the comment, checks who may
// issue each, applies them to the sticky comment's state, answers with reactions and a reply, and
// queues a new review when the waivers changed or a recheck was asked for.
import type { Context } from 'probot'
import { z } from 'zod'
import type { Authoriser } from '../pr-commands/authorise.js'
import { createAuthoriser } from '../github/reviewer-lookup.js'
import { helpText, explainRule } from '../pr-commands/command-help.js'
import {
  applyCommand,
  markCommentAnswered,
  markCommentHandled,
  releaseGates,
  wasCommentAnswered,
  wasCommentHandled,
  waiversForReview,
  type CommandState,
  type RebuildResult,
  type ReleaseGates
} from '../pr-commands/command-state.js'
import { isStateCommand, parseCommands, type ApprovalStage, type ParsedCommand } from '../pr-commands/parse-commands.js'
import {
  addReleaseLabel,
  appSlug,
  KNOWN_RULE_IDS,
  loadCommandState,
  releaseLabelName,
  removeReleaseLabel,
  saveCommandState,
  type LoadedState
} from '../github/command-state-store.js'
import type { ReviewConfig } from '../config/review-config.js'
import { errorMessage, type GitHubClient, type PullRequestRef, type ReviewLogger } from '../github/github-client.js'
import { fetchPullRequest, loadChange, loadReviewConfig, type PullRequestSnapshot } from '../github/load-pull-request.js'
import type { Waiver } from '../review/run-review.js'
import { reviewForPublication, type PipelineInput } from '../pull-request/review-pipeline.js'
import { emptyCommentState } from '../pull-request/comment-state.js'
import { NOT_ANALYSED_EXPLANATION, NOT_ANALYSED_RULE_ID } from '../review/not-analysed-explanation.js'
import { ALL_RULES, findRule } from '../rules/all-rules.js'
import { untrustedMarkdown } from '../report/untrusted-text.js'
import { RecentKeys } from './review-queue.js'
import type { ReviewService } from './review-service.js'

export interface CommentCommandRequest {
  octokit: GitHubClient
  pullRequest: PullRequestRef
  comment: { id: number; body: string; login: string; createdAt: string }
  commands: ParsedCommand[]
  /** Where a review is asked for when the commands call for one (the App's queue, or the Action running it at once). */
  reviews: Pick<ReviewService, 'request'> & Partial<Pick<ReviewService, 'computePublication'>>
  deliveryId: string
  /** The App installation the webhook came from (a worker process authenticates as it). */
  installationId?: number
  log: ReviewLogger
  /** Where the config is read in the base branch (the Action's `config` input); the App uses the default. */
  configPath?: string
}

/**
 * Runs command comments one pull request at a time (state is read, changed and written back),
 * in the background so the webhook is answered at once. One per review service.
 */
export class CommandRunner {
  private readonly chains = new Map<string, Promise<void>>()
  private readonly running = new Set<Promise<void>>()
  private readonly comments = new RecentKeys(5000)

  /** False when this comment was taken up before (redelivery under another delivery id). */
  firstComment(commentId: number): boolean {
    return this.comments.remember(String(commentId))
  }

  run(key: string, work: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve()
    const next = previous.then(work, work).catch(() => undefined)
    this.chains.set(key, next)
    this.running.add(next)
    void next.finally(() => {
      this.running.delete(next)
      if (this.chains.get(key) === next) this.chains.delete(key)
    })
  }

  /** Resolves when every command comment taken up so far has been handled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running])
  }
}

const runners = new WeakMap<ReviewService, CommandRunner>()

export function commandRunnerFor(reviews: ReviewService): CommandRunner {
  let runner = runners.get(reviews)
  if (!runner) {
    runner = new CommandRunner()
    runners.set(reviews, runner)
  }
  return runner
}

/** The fields of GitHub's `issue_comment` payload the handler relies on. */
const CommentEventSchema = z.object({
  issue: z.object({ number: z.number().int(), pull_request: z.looseObject({ url: z.string() }).nullish() }),
  comment: z.object({
    id: z.number().int(),
    body: z.string().nullable(),
    created_at: z.string(),
    user: z.object({ login: z.string(), type: z.string() }).nullable()
  }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) })
})

export type CommentCommands =
  | { kind: 'commands'; pullRequest: PullRequestRef; comment: CommentCommandRequest['comment']; commands: ParsedCommand[] }
  | { kind: 'ignored'; reason: string }

/** The commands an `issue_comment` payload carries, or why there are none to run (the App and the Action share it). */
export function commentCommandsOf(payload: unknown): CommentCommands {
  const parsed = CommentEventSchema.safeParse(payload)
  if (!parsed.success)
    return {
      kind: 'ignored',
      reason: `issue_comment payload without the expected fields (${parsed.error.issues[0]?.message ?? 'invalid'})`
    }
  const event = parsed.data
  // Issues are not reviewed; bots (this App included) do not command it.
  if (!event.issue.pull_request) return { kind: 'ignored', reason: 'the comment is on an issue, not a pull request' }
  const author = event.comment.user
  if (!author || author.type === 'Bot' || author.login.toLowerCase() === `${appSlug().toLowerCase()}[bot]`)
    return { kind: 'ignored', reason: 'the comment is from a bot' }
  const commands = parseCommands(event.comment.body ?? '', { appSlug: appSlug(), ruleIds: KNOWN_RULE_IDS })
  if (commands.length === 0) return { kind: 'ignored', reason: 'the comment has no command' }
  return {
    kind: 'commands',
    pullRequest: { owner: event.repository.owner.login, repo: event.repository.name, number: event.issue.number },
    comment: { id: event.comment.id, body: event.comment.body ?? '', login: author.login, createdAt: event.comment.created_at },
    commands
  }
}

export async function onIssueComment(context: Context<'issue_comment.created'>, reviews: ReviewService): Promise<void> {
  const found = commentCommandsOf(context.payload)
  if (found.kind === 'ignored') {
    if (found.reason.startsWith('issue_comment payload')) context.log.warn({ deliveryId: context.id }, `${found.reason}; ignored`)
    return
  }
  const { pullRequest, comment, commands } = found
  const log = context.log.child({
    deliveryId: context.id,
    event: context.name,
    repo: `${pullRequest.owner}/${pullRequest.repo}`,
    pr: pullRequest.number,
    commentId: comment.id
  })
  const runner = commandRunnerFor(reviews)
  if (!(await reviews.firstDelivery(context.id)) || !runner.firstComment(comment.id)) {
    log.info('command comment seen before; ignored')
    return
  }
  const request: CommentCommandRequest = {
    octokit: context.octokit,
    pullRequest,
    comment,
    commands,
    reviews,
    deliveryId: context.id,
    installationId: context.payload.installation?.id,
    log
  }
  runner.run(`${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`, () => handleCommentCommands(request))
}

/**
 * One command's answer. `text` may quote the commenter (a reason, a rule id, a path) and is escaped
 * when the reply is written; `trusted` marks text the App wrote alone (help, rule explanations),
 * whose Markdown is kept.
 */
type Answer = { source: string; status: 'ok' | 'refused'; text?: string; trusted?: boolean }

/** Applies every command of one comment, in order, and answers. Never throws. */
export async function handleCommentCommands(request: CommentCommandRequest): Promise<void> {
  await reactTo(request, 'eyes')
  const answers: Answer[] = []
  let rebuiltNote: string | undefined
  try {
    const context = await loadCommandContext(request)
    if (context.answeredBefore) {
      request.log.info({}, 'command comment already applied and answered (recorded in the state); ignored')
      return
    }
    rebuiltNote = context.rebuiltNote
    const session = new CommandSession(
      request,
      context.pr,
      context.config,
      context.configErrors,
      context.authoriser,
      context.loaded,
      context.replayedBefore
    )
    await applyCommands(session, request, answers)
    await recordState(session, request.log, answers)
  } catch (error) {
    request.log.error({ err: errorMessage(error) }, 'command handling failed')
    answers.push({
      source: '',
      status: 'refused',
      text: `Something went wrong while handling this comment (${shortError(error)}); nothing was applied. Post it again to retry.`
    })
  }
  await answerComment(request, answers, rebuiltNote)
}

/** What the commands of one comment are applied against, read from GitHub once. */
interface CommandContext {
  pr: PullRequestSnapshot
  config: ReviewConfig
  configErrors: string[]
  authoriser: Authoriser
  /** Read only when a command changes the state (a waiver or an approval). */
  loaded: LoadedState | undefined
  /** The state holds this comment as applied and answered: nothing is left to do. */
  answeredBefore: boolean
  /**
   * A review replayed this comment from the pull request before it reached here: its commands
   * are not applied twice, but the commenter still gets an answer.
   */
  replayedBefore: boolean
  /** Said in the reply when the state was rebuilt from the comments. */
  rebuiltNote: string | undefined
}

async function loadCommandContext(request: CommentCommandRequest): Promise<CommandContext> {
  const { octokit, pullRequest, comment, log } = request
  const pr = await fetchPullRequest(octokit, pullRequest)
  const { config, errors: configErrors } = await loadReviewConfig(
    octokit,
    { owner: pullRequest.owner, repo: pullRequest.repo },
    pr.baseRef,
    request.configPath
  )
  const authoriser = createAuthoriser({
    octokit,
    owner: pullRequest.owner,
    repo: pullRequest.repo,
    pullRequestAuthor: pr.authorLogin,
    reviewers: config.reviewers
  })
  const context: CommandContext = {
    pr,
    config,
    configErrors,
    authoriser,
    loaded: undefined,
    answeredBefore: false,
    replayedBefore: false,
    rebuiltNote: undefined
  }
  if (!request.commands.some((entry) => entry.ok && isStateCommand(entry.command))) return context
  const loaded = await loadCommandState({
    octokit,
    pullRequest,
    pullRequestAuthor: pr.authorLogin,
    config,
    headSha: pr.headSha,
    authoriser,
    excludeCommentId: comment.id,
    log
  })
  if (!loaded.writable) return { ...context, loaded }
  const handled = wasCommentHandled(loaded.state, comment.id)
  if (handled && wasCommentAnswered(loaded.state, comment.id)) return { ...context, loaded, answeredBefore: true }
  const rebuiltNote = loaded.rebuild && loaded.rebuild.replayed.length > 0 ? rebuildNote(loaded.problems, loaded.rebuild) : undefined
  return { ...context, loaded, replayedBefore: handled, rebuiltNote }
}

/** Each command in order. One that fails stops those after it (a waiver before an approval matters); what was applied before stays. */
async function applyCommands(session: CommandSession, request: CommentCommandRequest, answers: Answer[]): Promise<void> {
  for (const entry of request.commands) {
    try {
      answers.push(await session.apply(entry))
    } catch (error) {
      request.log.error({ err: errorMessage(error), line: entry.line }, 'command failed')
      answers.push({
        source: entry.source,
        status: 'refused',
        text: `Something went wrong (${shortError(error)}); this command and those after it were not applied. Post them again to retry.`
      })
      break
    }
  }
}

/** Writes the state and queues the review; a failure is answered, never thrown. */
async function recordState(session: CommandSession, log: ReviewLogger, answers: Answer[]): Promise<void> {
  try {
    await session.finish()
  } catch (error) {
    log.error({ err: errorMessage(error) }, 'could not record the command state')
    answers.push({
      source: '',
      status: 'refused',
      text: `The changes above could not be recorded (${shortError(error)}); post the commands again to retry.`
    })
  }
}

async function reactTo(request: CommentCommandRequest, content: 'eyes' | '+1' | 'confused'): Promise<void> {
  const { octokit, pullRequest, comment, log } = request
  try {
    await octokit.rest.reactions.createForIssueComment({
      owner: pullRequest.owner,
      repo: pullRequest.repo,
      comment_id: comment.id,
      content
    })
  } catch (error) {
    log.warn({ err: errorMessage(error), content }, 'could not react to the command comment')
  }
}

/** 👍 when a command went through, 😕 when one was refused, and a reply when an answer has words. */
async function answerComment(request: CommentCommandRequest, answers: readonly Answer[], rebuiltNote: string | undefined): Promise<void> {
  const { octokit, pullRequest, comment, log } = request
  if (answers.some((answer) => answer.status === 'ok')) await reactTo(request, '+1')
  if (answers.some((answer) => answer.status === 'refused')) await reactTo(request, 'confused')
  const body = replyBody(comment.login, answers, rebuiltNote)
  if (body === undefined) return
  try {
    await octokit.rest.issues.createComment({ owner: pullRequest.owner, repo: pullRequest.repo, issue_number: pullRequest.number, body })
  } catch (error) {
    log.error({ err: errorMessage(error) }, 'could not reply to the command comment')
  }
}

/** The reply to the commenter, each answer under its command quoted inertly; undefined when no answer has words. */
function replyBody(login: string, answers: readonly Answer[], rebuiltNote: string | undefined): string | undefined {
  const replies = answers.filter((answer) => answer.text !== undefined)
  if (replies.length === 0) return undefined
  const body = [
    `@${login}`,
    ...replies.map((answer) => {
      const text = answer.trusted ? (answer.text as string) : untrustedMarkdown(answer.text as string, 'lines')
      return answer.source ? `${quoteSafe(answer.source)}\n\n${text}` : text
    }),
    ...(rebuiltNote ? [rebuiltNote] : [])
  ].join('\n\n')
  return body.length > 60_000 ? `${body.slice(0, 60_000)}\n\n…` : body
}

/** One comment's commands against one loaded state; `finish` writes the state, labels and queues the review. */
class CommandSession {
  private state: CommandState | undefined
  private waiversChanged = false
  private recheck = false
  private helpGiven = false
  private gates: { waivers: string; gates: ReleaseGates } | undefined

  constructor(
    private readonly request: CommentCommandRequest,
    private readonly pr: PullRequestSnapshot,
    private readonly config: ReviewConfig,
    private readonly configErrors: readonly string[],
    private readonly authoriser: Authoriser,
    private readonly loaded: LoadedState | undefined,
    /** The state already holds this comment's commands (replayed by a review): answer, do not apply. */
    private readonly replayedBefore = false
  ) {
    this.state = loaded?.writable ? loaded.state : undefined
  }

  async apply(entry: ParsedCommand): Promise<Answer> {
    const { comment } = this.request
    if (!entry.ok) {
      const help = this.helpGiven ? '' : `\n\n${helpText(ALL_RULES)}`
      this.helpGiven = true
      return { source: entry.source, status: 'refused', text: `${untrustedMarkdown(entry.error, 'lines')}${help}`, trusted: true }
    }
    const { command } = entry
    switch (command.kind) {
      case 'help': {
        const repeated = this.helpGiven && command.topic === undefined
        this.helpGiven = this.helpGiven || command.topic === undefined
        return {
          source: entry.source,
          status: 'ok',
          text: repeated ? 'The commands are listed above.' : helpText(ALL_RULES, command.topic),
          trusted: true
        }
      }
      case 'explain': {
        const rule = command.ruleId === NOT_ANALYSED_RULE_ID ? NOT_ANALYSED_EXPLANATION : findRule(command.ruleId)
        if (!rule)
          return { source: entry.source, status: 'refused', text: `There is no rule \`${command.ruleId}\`. \`/help\` lists the rules.` }
        return { source: entry.source, status: 'ok', text: explainRule(rule), trusted: true }
      }
      case 'recheck':
        this.recheck = true
        return { source: entry.source, status: 'ok' }
    }
    const decision = await this.authoriser.authorise(command, comment.login)
    if (!decision.allowed) return { source: entry.source, status: 'refused', text: decision.reason }
    if (this.replayedBefore) {
      return {
        source: entry.source,
        status: 'ok',
        text: 'Already recorded: a review read this command from the pull request before this reply. The review comment shows the result.'
      }
    }
    if (!this.loaded?.writable || !this.state) {
      const reason = this.loaded && !this.loaded.writable ? this.loaded.reason : 'the state could not be read'
      return {
        source: entry.source,
        status: 'refused',
        text: `Not applied: ${reason}. A newer version of integration-review wrote this pull request's state; it must handle this command.`
      }
    }
    const gates = command.kind === 'approve' ? await this.gatesFor(this.state) : 'unknown'
    const result = applyCommand(this.state, command, comment.login, {
      at: comment.createdAt,
      headSha: this.pr.headSha,
      commentId: comment.id,
      gates
    })
    let text = result.outcome.message
    // Labels first: if GitHub refuses, the state does not claim what the labels do not show.
    if (result.outcome.label) text += await this.applyReleaseLabel(result.outcome.label)
    if (result.state !== this.state) {
      if (command.kind === 'waive' || command.kind === 'unwaive') this.waiversChanged = true
      this.state = result.state
    }
    if (result.outcome.status === 'applied' && (command.kind === 'waive' || command.kind === 'unwaive'))
      text += ' The review runs again with this change.'
    // An unchanged command gets its 👍 and no reply: nothing happened that needs words.
    return {
      source: entry.source,
      status: result.outcome.status === 'refused' ? 'refused' : 'ok',
      text: result.outcome.status === 'unchanged' ? undefined : text
    }
  }

  /** Sets or removes the stage's release label; says so in words for the reply (nothing when it was not there to remove). */
  private async applyReleaseLabel(label: { action: 'add' | 'remove'; stage: ApprovalStage }): Promise<string> {
    const { octokit, pullRequest } = this.request
    if (label.action === 'add') return ` Label \`${await addReleaseLabel(octokit, pullRequest, label.stage, this.config)}\` set.`
    if (await removeReleaseLabel(octokit, pullRequest, label.stage, this.config))
      return ` Label \`${releaseLabelName(label.stage, this.config)}\` removed.`
    return ''
  }

  /** The release gates at the current head with the current waivers: the review is run now to know (once per set of waivers). */
  private async gatesFor(state: CommandState): Promise<ReleaseGates> {
    const waivers = waiversForReview(state)
    const key = JSON.stringify(waivers)
    if (this.gates?.waivers === key) return this.gates.gates
    const gates = await gatesAtHead(this.request, this.pr, this.config, this.configErrors, waivers)
    this.gates = { waivers: key, gates }
    return gates
  }

  /** Writes the state (with this comment marked handled) and queues a review when one is due. */
  async finish(): Promise<void> {
    const { octokit, pullRequest, comment, reviews, log, deliveryId, installationId } = this.request
    let restoredWaivers = false
    let createdComment = false
    if (this.loaded?.writable && this.state) {
      if (this.loaded.source === 'rebuilt') {
        log.info({ problems: this.loaded.problems }, 'writing the rebuilt command state')
        restoredWaivers = this.loaded.state.waivers.length > 0
      }
      // No review comment yet and nothing to keep: none is created just to hold an empty state.
      const empty = this.state.waivers.length === 0 && this.state.approvals.length === 0
      if (this.loaded.sticky || !empty) {
        createdComment = !this.loaded.sticky
        await saveCommandState(
          octokit,
          pullRequest,
          this.loaded.sticky,
          markCommentAnswered(markCommentHandled(this.state, comment.id), comment.id)
        )
      }
    }
    // A rebuilt state's waivers were missing from the last review, and a comment created to hold
    // the state shows a placeholder: the review runs again either way.
    if (this.recheck || this.waiversChanged || restoredWaivers || createdComment) {
      await reviews.request({ octokit, pullRequest, headSha: this.pr.headSha, deliveryId, installationId, log })
    }
  }
}

/** Loads the pull request as a review does and runs the review with these waivers, for the gates an approval needs. */
async function gatesAtHead(
  request: Pick<CommentCommandRequest, 'octokit' | 'pullRequest' | 'log' | 'reviews'>,
  pr: PullRequestSnapshot,
  config: ReviewConfig,
  configErrors: readonly string[],
  waivers: Waiver[]
): Promise<ReleaseGates> {
  const { octokit, pullRequest, log } = request
  const { internal, changedPaths, revisions, skipped, unanalysed } = await loadChange(octokit, pullRequest, pr, pr.headSha, config, { log })
  const input: PipelineInput = {
    head: revisions.head,
    base: revisions.base,
    changedPaths,
    config,
    configErrors,
    // What loading left out makes the review incomplete, as the pipeline reports it.
    skipped,
    unanalysed,
    pullRequest: { body: pr.body, authorIsPartner: !internal },
    state: { ...emptyCommentState(), waivers: waivers.map((waiver) => ({ ...waiver })) },
    stateScope: { owner: pullRequest.owner, repo: pullRequest.repo, number: pullRequest.number }
  }
  // On the App's review threads, so the webhook process keeps answering while the review runs.
  const publication = request.reviews.computePublication ? await request.reviews.computePublication(input) : reviewForPublication(input)
  return releaseGates(publication.review)
}

function shortError(error: unknown): string {
  return errorMessage(error).split('\n')[0].slice(0, 200)
}

/** A command line quoted back as a block quote, inert: no mention, link, HTML or marker of the App's survives. */
function quoteSafe(source: string): string {
  return untrustedMarkdown(source.slice(0, 300), 'quote')
}

/** Says that the recorded state was lost and what was replayed, so a reviewer can check it. */
function rebuildNote(problems: readonly string[], rebuild: RebuildResult): string {
  const applied = rebuild.replayed.filter((entry) => entry.status === 'applied')
  const edited = new Set(rebuild.replayed.filter((entry) => entry.edited).map((entry) => entry.commentId))
  const editedText =
    edited.size > 0 ? ` (${edited.size} of those comments were edited after they were posted and were replayed as they read now)` : ''
  const skippedText =
    rebuild.unauthorised.length > 0 ? `; ${rebuild.unauthorised.length} from people who may not issue them were skipped` : ''
  return `_Note: ${problems.join('; ')}. ${applied.length} earlier command${applied.length === 1 ? ' was' : 's were'} replayed from reviewers' comments${editedText}${skippedText}. The review comment shows the result._`
}
