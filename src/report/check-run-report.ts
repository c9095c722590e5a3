// The check run: a conclusion from readiness, a title that says what blocks, and one annotation
// per open finding (the GitHub layer sends them in batches of 50).
import type { ReviewConfig } from '../config/review-config.js'
import type { Finding, Review } from '../review/review-schema.js'
import { reviewBlocks } from '../review/run-review.js'
import { renderMarkdown } from './markdown-report.js'
import { isOpenWarning } from './report-text-helpers.js'

export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'failure' | 'warning' | 'notice'
  message: string
  title: string
}

export interface CheckRunOutput {
  conclusion: 'success' | 'failure' | 'neutral'
  title: string
  summary: string
  annotations: CheckRunAnnotation[]
}

/** GitHub's limits for check-run output. */
const MAX_SUMMARY = 65535
const MAX_ANNOTATION_MESSAGE = 64 * 1024 - 1
const MAX_ANNOTATION_TITLE = 255

export function renderCheckRun(review: Review, config: ReviewConfig): CheckRunOutput {
  const blocking = review.findings.filter((finding) => finding.blocks.length > 0)
  const warnings = review.findings.filter(isOpenWarning)
  const blocked = reviewBlocks(review)
  const conclusion = blocked ? 'failure' : warnings.length > 0 || blocking.length > 0 ? config.checkRun.warningsConclusion : 'success'
  return {
    conclusion,
    title: titleOf(review, blocked, blocking.length, warnings.length),
    summary: renderMarkdown(review, { maxLength: MAX_SUMMARY, comfortableLength: MAX_SUMMARY }),
    annotations: review.findings
      .filter((finding) => finding.path !== '' && finding.status === 'new' && !finding.waived && !finding.suppressed)
      .map(annotationOf)
  }
}

function titleOf(review: Review, blocked: boolean, blocking: number, warnings: number): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  if (review.integrations.length === 0 && review.findings.length === 0) return 'No integration changed'
  if (blocked) return `Blocked: ${plural(blocking, 'finding')} to fix${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`
  const readiness = review.integrations.every((integration) => integration.readiness === 'ready-for-public')
    ? 'Ready for Public'
    : review.integrations.every((integration) => integration.readiness !== 'blocked')
      ? 'Ready for Private Beta'
      : 'Ready for its next stage'
  return `${readiness}${blocking > 0 ? `; ${plural(blocking, 'finding')} to fix before Public` : ''}${warnings > 0 ? `; ${plural(warnings, 'warning')}` : ''}`
}

function annotationOf(finding: Finding): CheckRunAnnotation {
  const level =
    finding.blocks.length > 0 || finding.severity === 'error' ? 'failure' : finding.severity === 'warning' ? 'warning' : 'notice'
  return {
    path: finding.path,
    start_line: finding.line,
    end_line: finding.line,
    annotation_level: level,
    message: finding.message.slice(0, MAX_ANNOTATION_MESSAGE),
    title: finding.ruleId.slice(0, MAX_ANNOTATION_TITLE)
  }
}
