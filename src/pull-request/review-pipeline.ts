// The one code path from loaded files to what gets published: run the review, render the comment
// and the check run, compute the labels. The App, the Action and the demo all call this.
import { z } from 'zod'
import type { ReviewConfig } from '../config/review-config.js'
import { renderCheckRun, type CheckRunOutput } from '../report/check-run-report.js'
import { renderMarkdown } from '../report/markdown-report.js'
import type { Review } from '../review/review-schema.js'
import { runReview, type Waiver } from '../review/run-review.js'
import type { FileSource } from '../source/file-source.js'
import type { PullRequestInfo } from '../rules/rule.js'
import type { UnanalysedFile } from '../review/unanalysed-files.js'
import { MAX_COMMENT_LENGTH, composeCommentBody, formatStateBlock, type CommentState, type StateScope } from './comment-state.js'
import { computeLabels, type LabelPlan } from './compute-labels.js'

export interface PipelineInput {
  head: FileSource
  base?: FileSource
  changedPaths: readonly string[]
  config: ReviewConfig
  configErrors: readonly string[]
  /** What loading left out (limits), said in the report. */
  skipped: readonly string[]
  /** The files loading left out, by name: each blocks what it belongs to (fail closed). */
  unanalysed?: readonly UnanalysedFile[]
  pullRequest: PullRequestInfo
  /** The sticky comment's state: its waivers apply to this review, and it is carried over. */
  state: CommentState
  /** The pull request the comment's state block is signed for. */
  stateScope: StateScope
  /** Said at the top of the comment, e.g. that a forged state block was ignored (trusted text, written by the App). */
  stateNote?: string
  repositoryUrl?: string
  headSha?: string
}

export interface Publication {
  review: Review
  checkRun: CheckRunOutput
  /** The rendered review, without the comment's marker and state block. */
  markdown: string
  /** The whole sticky comment for the input state. */
  commentBody: string
  labels: LabelPlan
}

const WaiverSchema = z.object({
  ruleId: z.string().min(1),
  path: z.string().optional(),
  line: z.number().int().optional(),
  reason: z.string(),
  by: z.string(),
  at: z.string()
})

/** The state's waivers that have the shape the review understands; others are ignored, not guessed at. */
export function waiversOf(state: CommentState): Waiver[] {
  return state.waivers.flatMap((entry) => {
    const parsed = WaiverSchema.safeParse(entry)
    return parsed.success ? [parsed.data] : []
  })
}

export function reviewForPublication(input: PipelineInput): Publication {
  const reviewed = runReview({
    head: input.head,
    base: input.base,
    changedPaths: input.changedPaths,
    config: input.config,
    configErrors: input.configErrors,
    pullRequest: input.pullRequest,
    waivers: waiversOf(input.state),
    unanalysed: input.unanalysed
  })
  const review: Review = { ...reviewed, skipped: [...input.skipped, ...reviewed.skipped] }
  // Room for the marker and the state block, so the renderer cuts the text itself, cleanly.
  const note = input.stateNote ? `> [!WARNING]\n> ${input.stateNote}\n\n` : ''
  const reserved = formatStateBlock(input.state, input.stateScope).length + 200 + note.length
  const markdown =
    note + renderMarkdown(review, { repositoryUrl: input.repositoryUrl, headSha: input.headSha, maxLength: MAX_COMMENT_LENGTH - reserved })
  return {
    review,
    checkRun: renderCheckRun(review, input.config),
    markdown,
    commentBody: composeCommentBody(markdown, input.state, input.stateScope),
    labels: computeLabels(review, input.config, input.pullRequest.authorIsPartner)
  }
}
