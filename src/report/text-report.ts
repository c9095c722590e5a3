// The terminal report: findings grouped by integration, colour only when asked (on a TTY).
import type { Finding, Review } from '../review/review-schema.js'
import { reviewBlocks, targetStage } from '../review/run-review.js'
import type { Stage } from '../rules/rule.js'
import { READINESS_TEXT, STAGE_TEXT, blockedStagesText, dispositionText } from './report-text-helpers.js'

export interface TextReportOptions {
  color: boolean
  /** The stage the verdict line is about; by default the stage each integration is heading for. */
  stage?: Stage
  /** List findings already on the base one by one (by default they are only counted). */
  showExisting?: boolean
}

const CODES = { red: 31, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const

export function renderText(review: Review, options: TextReportOptions): string {
  const paint = (code: keyof typeof CODES, text: string) => (options.color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text)
  const lines: string[] = []
  const findingLine = (finding: Finding) => {
    const label =
      finding.severity === 'error'
        ? paint('red', 'error  ')
        : finding.severity === 'warning'
          ? paint('yellow', 'warning')
          : paint('cyan', 'info   ')
    const notes = [finding.blocks.length > 0 ? blockedStagesText(finding) : undefined, dispositionText(finding)].filter(Boolean)
    lines.push(
      `  ${label} ${stripControl(finding.path)}:${finding.line}:${finding.column}  ${paint('bold', finding.ruleId)}${notes.length > 0 ? paint('dim', ` (${stripControl(notes.join('; '))})`) : ''}`
    )
    lines.push(`          ${stripControl(finding.message)}`)
  }
  for (const message of review.configErrors) lines.push(`${paint('yellow', 'config')} ${stripControl(message)}`)
  for (const message of review.suppressionErrors) lines.push(`${paint('yellow', 'suppression')} ${stripControl(message)}`)
  for (const message of review.skipped) lines.push(`${paint('yellow', 'skipped')} ${stripControl(message)}`)
  for (const failure of review.ruleFailures)
    lines.push(
      `${paint('red', 'rule crashed')} ${failure.ruleId}${failure.integration ? ` on ${failure.integration}` : ''}: ${stripControl(failure.message)}`
    )
  if (lines.length > 0) lines.push('')

  if (review.integrations.length === 0) lines.push('No integration is touched by this change.')
  for (const integration of review.integrations) {
    const readiness = READINESS_TEXT[integration.readiness]
    const colour = integration.readiness === 'blocked' ? 'red' : integration.readiness === 'ready-for-private-beta' ? 'yellow' : 'green'
    lines.push(
      `${paint('bold', stripControl(integration.name))} (${stripControl(integration.path)}) — ${statusText(integration)}, ${paint(colour, readiness)}`
    )
    const own = review.findings.filter((finding) => finding.integration === integration.path)
    const listed = options.showExisting ? own : own.filter((finding) => finding.status === 'new')
    if (own.length === 0) lines.push('  no findings')
    listed.forEach(findingLine)
    const existing = own.length - listed.length
    if (existing > 0)
      lines.push(
        paint(
          'dim',
          `  and ${existing} finding${existing === 1 ? '' : 's'} already on the base branch (not counted; --format json lists them)`
        )
      )
    lines.push('')
  }
  const general = review.findings.filter((finding) => finding.integration === null)
  if (general.length > 0) {
    lines.push(paint('bold', 'The pull request as a whole'))
    general.forEach(findingLine)
    lines.push('')
  }
  const counts = { error: 0, warning: 0, info: 0 }
  for (const finding of review.findings) if (finding.status === 'new') counts[finding.severity]++
  const blocking = review.findings.filter((finding) => finding.blocks.length > 0).length
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  lines.push(
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'note')}; ${blocking} blocking. ${verdict(review, options.stage, paint)}`
  )
  return `${lines.join('\n')}\n`
}

function verdict(review: Review, stage: Stage | undefined, paint: (code: keyof typeof CODES, text: string) => string): string {
  if (!stage) return reviewBlocks(review) ? paint('red', 'Blocked.') : paint('green', 'Nothing blocks.')
  return reviewBlocks(review, stage) ? paint('red', `Blocks ${STAGE_TEXT[stage]}.`) : paint('green', `Nothing blocks ${STAGE_TEXT[stage]}.`)
}

/** Partner-controlled text must not drive the terminal. */
function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\n/g, ' ')
}

/** An unknown status is said as unknown, with the stage it was judged against, as the PR comment says it. */
function statusText(integration: Review['integrations'][number]): string {
  return integration.statusUnknown
    ? `status unknown (judged against ${STAGE_TEXT[targetStage(integration)]}; set \`status\` in the config)`
    : `status ${integration.status}`
}
