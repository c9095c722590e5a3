// Waivers and approvals as data, and the pure functions that change them: applying one command,
// replaying a pull request's comments when the recorded state is lost, and dropping approvals
// whose release gate no longer holds.
import { z } from 'zod'
import {
  ApprovalStageSchema,
  isStateCommand,
  parseCommands,
  type ApprovalStage,
  type ParseCommandsOptions,
  type StateCommand
} from './parse-commands.js'

const WaiverEntrySchema = z.strictObject({
  ruleId: z.string().min(1),
  /** Absent: every finding of the rule. */
  path: z.string().min(1).optional(),
  /** Absent: every line of the path. */
  line: z.number().int().positive().optional(),
  reason: z.string().min(1),
  /** GitHub login of the reviewer. */
  by: z.string().min(1),
  /** ISO 8601, when the command was posted. */
  at: z.string().min(1),
  /** The pull request's head commit when the waiver was recorded. */
  headSha: z.string().min(1),
  commentId: z.number().int().optional(),
  /** True when recorded by replaying comments after the state was lost (head SHA is then the replay's). */
  replayed: z.boolean().optional()
})
type WaiverEntry = z.infer<typeof WaiverEntrySchema>

const ApprovalEntrySchema = z.strictObject({
  stage: ApprovalStageSchema,
  by: z.string().min(1),
  at: z.string().min(1),
  headSha: z.string().min(1),
  commentId: z.number().int().optional(),
  replayed: z.boolean().optional()
})
export type ApprovalEntry = z.infer<typeof ApprovalEntrySchema>

/** How many handled comment ids the state remembers, so a redelivered comment is applied once. */
const MAX_REMEMBERED_COMMENTS = 200

export const CommandStateSchema = z.object({
  version: z.literal(1),
  waivers: z.array(WaiverEntrySchema),
  approvals: z.array(ApprovalEntrySchema),
  /** Comment ids whose commands were applied (newest last). */
  handledComments: z.array(z.number().int()).optional(),
  /** Comment ids the App has answered (newest last); a replayed comment is handled but not yet answered. */
  answeredComments: z.array(z.number().int()).optional()
})
export type CommandState = z.infer<typeof CommandStateSchema>

export function emptyCommandState(): CommandState {
  return { version: 1, waivers: [], approvals: [], handledComments: [] }
}

/**
 * Reads waivers and approvals from a loosely checked state block (the sticky comment's), keeping
 * every valid entry and naming each one dropped, so one damaged entry does not lose the rest.
 */
export function readCommandState(raw: unknown): { state: CommandState; problems: string[] } {
  const problems: string[] = []
  const state = emptyCommandState()
  if (typeof raw !== 'object' || raw === null) return { state, problems: ['the state block is not an object'] }
  const record = raw as Record<string, unknown>
  const read = <T>(key: string, schema: z.ZodType<T>, into: T[]) => {
    const list = record[key]
    if (list === undefined) return
    if (!Array.isArray(list)) {
      problems.push(`state.${key} is not a list; ignored`)
      return
    }
    list.forEach((entry, index) => {
      const parsed = schema.safeParse(entry)
      if (parsed.success) into.push(parsed.data)
      else problems.push(`state.${key}[${index}] dropped: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    })
  }
  read('waivers', WaiverEntrySchema, state.waivers)
  read('approvals', ApprovalEntrySchema, state.approvals)
  const handled = z.array(z.number().int()).safeParse(record.handledComments)
  if (handled.success) state.handledComments = handled.data
  const answered = z.array(z.number().int()).safeParse(record.answeredComments)
  if (answered.success && record.answeredComments !== undefined) state.answeredComments = answered.data
  return { state, problems }
}

interface GateStatus {
  holds: boolean
  /** What holds the stage back, one line each, for the reply. */
  blockers: string[]
}
export type ReleaseGates = Record<ApprovalStage, GateStatus>

/** The parts of a Review (src/review/review-schema.ts) the gates are computed from. */
export interface GateReview {
  integrations: ReadonlyArray<{ path: string; slug?: string }>
  findings: ReadonlyArray<{ ruleId: string; path: string; line: number; message: string; blocks: readonly string[] }>
  /** What the limits kept out of the review: an incomplete review cannot say a gate holds. */
  skipped?: readonly string[]
  /** Rules that crashed: what they would have found is unknown. */
  ruleFailures?: ReadonlyArray<{ ruleId: string; message: string }>
}

const STAGE_NAMES: Record<ApprovalStage, string> = { 'private-beta': 'Private Beta', public: 'Public' }

/**
 * Whether each stage's gate holds: the review found an integration, saw all of it, every rule ran,
 * and no finding blocks the stage. Unknown is not "holds".
 */
export function releaseGates(review: GateReview, maxBlockers = 10): ReleaseGates {
  const incomplete = [
    ...(review.skipped ?? []).map((what) => `the review was incomplete: ${oneLine(what)}`),
    ...(review.ruleFailures ?? []).map(
      (failure) => `the rule \`${failure.ruleId}\` failed to run (${oneLine(failure.message)}), so what it checks is unknown`
    )
  ]
  const gate = (stage: ApprovalStage): GateStatus => {
    if (review.integrations.length === 0) return { holds: false, blockers: ['the review found no integration in this pull request'] }
    const blocking = review.findings.filter(
      (finding) => finding.blocks.includes(stage) || (stage === 'public' && finding.blocks.includes('private-beta'))
    )
    const lines = [
      ...incomplete,
      ...blocking.map((finding) => `\`${finding.ruleId}\` at \`${finding.path}:${finding.line}\`: ${oneLine(finding.message)}`)
    ]
    const blockers = lines.slice(0, maxBlockers)
    if (lines.length > maxBlockers) blockers.push(`… and ${lines.length - maxBlockers} more (see the review comment)`)
    return { holds: lines.length === 0, blockers }
  }
  return { 'private-beta': gate('private-beta'), public: gate('public') }
}

export interface CommandContext {
  /** ISO 8601 time of the comment. */
  at: string
  /** The pull request's head commit now. */
  headSha: string
  commentId?: number
  /** The gates at this head; `unknown` while replaying history (approvals are then reconciled). */
  gates: ReleaseGates | 'unknown'
  replayed?: boolean
}

export interface CommandOutcome {
  /** `applied` changed the state; `unchanged` was already so; `refused` did nothing, and says why. */
  status: 'applied' | 'unchanged' | 'refused'
  /** One or two sentences for the reply. */
  message: string
  /** Release label to add or remove as a consequence. */
  label?: { action: 'add' | 'remove'; stage: ApprovalStage }
}

export function applyCommand(
  state: CommandState,
  command: StateCommand,
  actor: string,
  context: CommandContext
): { state: CommandState; outcome: CommandOutcome } {
  const stamp = {
    by: actor,
    at: context.at,
    headSha: context.headSha,
    ...(context.commentId !== undefined ? { commentId: context.commentId } : {}),
    ...(context.replayed ? { replayed: true } : {})
  }
  switch (command.kind) {
    case 'waive': {
      const target = describeTarget(command.ruleId, command.path, command.line)
      const existing = state.waivers.find((waiver) => sameTarget(waiver, command))
      if (existing && existing.reason === command.reason) {
        return { state, outcome: { status: 'unchanged', message: `${target} was already waived by @${existing.by}: ${existing.reason}` } }
      }
      const waiver: WaiverEntry = {
        ruleId: command.ruleId,
        ...(command.path !== undefined ? { path: command.path } : {}),
        ...(command.line !== undefined ? { line: command.line } : {}),
        reason: command.reason,
        ...stamp
      }
      const waivers = [...state.waivers.filter((candidate) => candidate !== existing), waiver]
      const replaced = existing ? ` (replacing @${existing.by}'s waiver: ${existing.reason})` : ''
      return {
        state: { ...state, waivers },
        outcome: { status: 'applied', message: `Waived ${target} by @${actor}: ${command.reason}${replaced}` }
      }
    }
    case 'unwaive': {
      const removed = state.waivers.filter(
        (waiver) =>
          waiver.ruleId === command.ruleId &&
          (command.path === undefined || waiver.path === command.path) &&
          (command.line === undefined || waiver.line === command.line)
      )
      const target = describeTarget(command.ruleId, command.path, command.line)
      if (removed.length === 0) {
        const current =
          state.waivers.length === 0
            ? 'There are no waivers.'
            : `Current waivers: ${state.waivers.map((waiver) => describeTarget(waiver.ruleId, waiver.path, waiver.line)).join(', ')}.`
        return { state, outcome: { status: 'refused', message: `No waiver of ${target} to remove. ${current}` } }
      }
      const waivers = state.waivers.filter((waiver) => !removed.includes(waiver))
      const what = removed.map((waiver) => describeTarget(waiver.ruleId, waiver.path, waiver.line)).join(', ')
      return {
        state: { ...state, waivers },
        outcome: {
          status: 'applied',
          message: `Removed ${removed.length === 1 ? 'the waiver' : `${removed.length} waivers`} of ${what}; those findings block again.`
        }
      }
    }
    case 'approve': {
      const stageName = STAGE_NAMES[command.stage]
      if (context.gates !== 'unknown') {
        const gate = context.gates[command.stage]
        if (!gate.holds) {
          return {
            state,
            outcome: {
              status: 'refused',
              message: `Not approved for ${stageName}: its gate does not hold at ${shortSha(context.headSha)}. What still blocks:\n${gate.blockers.map((line) => `- ${line}`).join('\n')}`
            }
          }
        }
      }
      const existing = state.approvals.find((approval) => approval.stage === command.stage)
      const approvals = [...state.approvals.filter((approval) => approval !== existing), { stage: command.stage, ...stamp }]
      const unchanged = existing !== undefined && existing.by === actor && existing.headSha === context.headSha
      return {
        state: unchanged ? state : { ...state, approvals },
        outcome: {
          status: unchanged ? 'unchanged' : 'applied',
          message: `${stageName} approved by @${actor} at ${shortSha(context.headSha)}${existing && !unchanged ? ` (renewing @${existing.by}'s approval at ${shortSha(existing.headSha)})` : ''}.`,
          label: { action: 'add', stage: command.stage }
        }
      }
    }
    case 'revoke': {
      const stageName = STAGE_NAMES[command.stage]
      const existing = state.approvals.find((approval) => approval.stage === command.stage)
      if (!existing) {
        return {
          state,
          outcome: {
            status: 'refused',
            message: `${stageName} is not approved, so there is nothing to revoke.`,
            label: { action: 'remove', stage: command.stage }
          }
        }
      }
      return {
        state: { ...state, approvals: state.approvals.filter((approval) => approval !== existing) },
        outcome: {
          status: 'applied',
          message: `${stageName} approval (by @${existing.by}) revoked by @${actor}.`,
          label: { action: 'remove', stage: command.stage }
        }
      }
    }
  }
}

/** Records a comment as handled (bounded), so a redelivery or a replay does not apply it twice. */
export function markCommentHandled(state: CommandState, commentId: number): CommandState {
  const handled = (state.handledComments ?? []).filter((id) => id !== commentId)
  handled.push(commentId)
  return { ...state, handledComments: handled.slice(-MAX_REMEMBERED_COMMENTS) }
}

export function wasCommentHandled(state: CommandState, commentId: number): boolean {
  return (state.handledComments ?? []).includes(commentId)
}

/** Records that the App answered a comment, so a redelivery is not answered twice. */
export function markCommentAnswered(state: CommandState, commentId: number): CommandState {
  const answered = (state.answeredComments ?? []).filter((id) => id !== commentId)
  answered.push(commentId)
  return { ...state, answeredComments: answered.slice(-MAX_REMEMBERED_COMMENTS) }
}

export function wasCommentAnswered(state: CommandState, commentId: number): boolean {
  return (state.answeredComments ?? []).includes(commentId)
}

export interface ReplayComment {
  id: number
  body: string | null | undefined
  user: { login: string; type?: string } | null
  created_at: string
  updated_at?: string
}

export interface RebuildOptions extends ParseCommandsOptions {
  /** The head commit at replay time (recorded on every replayed entry, flagged `replayed`). */
  headSha: string
}

export interface RebuildResult {
  state: CommandState
  /** What was replayed, in order, for the log and the reply. */
  replayed: Array<{ commentId: number; by: string; command: StateCommand; status: CommandOutcome['status']; edited: boolean }>
  /** Commands not replayed because their author may not issue them. */
  unauthorised: Array<{ commentId: number; by: string; command: StateCommand }>
}

/**
 * Rebuilds the state from a pull request's comments, oldest first, applying each authorised
 * state command as it was applied when posted. Bots' comments are skipped. Approvals are replayed
 * without a gate; call `reconcileApprovals` with the current review afterwards.
 */
export function rebuildState(
  comments: readonly ReplayComment[],
  isAuthorised: (command: StateCommand, login: string) => boolean,
  options: RebuildOptions
): RebuildResult {
  const ordered = [...comments].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
  let state = emptyCommandState()
  const replayed: RebuildResult['replayed'] = []
  const unauthorised: RebuildResult['unauthorised'] = []
  for (const comment of ordered) {
    if (!comment.user || comment.user.type === 'Bot' || !comment.body) continue
    const login = comment.user.login
    const edited = comment.updated_at !== undefined && comment.updated_at > comment.created_at
    let touched = false
    for (const entry of parseCommands(comment.body, options)) {
      if (!entry.ok || !isStateCommand(entry.command)) continue
      touched = true
      if (!isAuthorised(entry.command, login)) {
        unauthorised.push({ commentId: comment.id, by: login, command: entry.command })
        continue
      }
      const result = applyCommand(state, entry.command, login, {
        at: comment.created_at,
        headSha: options.headSha,
        commentId: comment.id,
        gates: 'unknown',
        replayed: true
      })
      state = result.state
      replayed.push({ commentId: comment.id, by: login, command: entry.command, status: result.outcome.status, edited })
    }
    if (touched) state = markCommentHandled(state, comment.id)
  }
  return { state, replayed, unauthorised }
}

export interface ApprovalChange {
  approval: ApprovalEntry
  /** Why it no longer holds: what blocks the stage now. */
  reason: string
  /** The release label to remove, when label names were given. */
  label?: string
}

/**
 * Keeps each approval whose gate still holds at the new head, and drops the others with the
 * reason (and the release label to remove, given the configured names), so the caller removes
 * their labels and says why. Takes the review itself or gates already computed from it.
 */
export function reconcileApprovals(
  state: CommandState,
  reviewOrGates: GateReview | ReleaseGates,
  headSha: string,
  labels?: { releasePrivateBeta: string; releasePublic: string }
): { state: CommandState; kept: ApprovalEntry[]; removed: ApprovalChange[] } {
  const gates = 'findings' in reviewOrGates ? releaseGates(reviewOrGates) : reviewOrGates
  const kept: ApprovalEntry[] = []
  const removed: ApprovalChange[] = []
  for (const approval of state.approvals) {
    const gate = gates[approval.stage]
    if (gate.holds) kept.push(approval)
    else {
      removed.push({
        approval,
        reason: `${STAGE_NAMES[approval.stage]} approval by @${approval.by} (at ${shortSha(approval.headSha)}) withdrawn: the gate no longer holds at ${shortSha(headSha)}. What blocks it:\n${gate.blockers.map((line) => `- ${line}`).join('\n')}`,
        ...(labels ? { label: approval.stage === 'private-beta' ? labels.releasePrivateBeta : labels.releasePublic } : {})
      })
    }
  }
  if (removed.length === 0) return { state, kept, removed }
  return { state: { ...state, approvals: kept }, kept, removed }
}

/** The waivers in the shape the review engine takes (`Waiver` in src/review/run-review.ts). */
export function waiversForReview(
  state: CommandState
): Array<{ ruleId: string; path?: string; line?: number; reason: string; by: string; at: string }> {
  return state.waivers.map((waiver) => ({
    ruleId: waiver.ruleId,
    ...(waiver.path !== undefined ? { path: waiver.path } : {}),
    ...(waiver.line !== undefined ? { line: waiver.line } : {}),
    reason: waiver.reason,
    by: waiver.by,
    at: waiver.at
  }))
}

function sameTarget(waiver: WaiverEntry, command: { ruleId: string; path?: string; line?: number }): boolean {
  return waiver.ruleId === command.ruleId && waiver.path === command.path && waiver.line === command.line
}

function describeTarget(ruleId: string, path: string | undefined, line: number | undefined): string {
  if (path === undefined) return `\`${ruleId}\` (everywhere)`
  return `\`${ruleId}\` at \`${path}${line !== undefined ? `:${line}` : ''}\``
}

function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
