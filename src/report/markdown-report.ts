// The pull-request comment: readiness table first, then blocking findings with file:line links,
// then warnings, then a collapsed section for notes and pre-existing findings. Never over maxLength.
import type { Finding, Review } from '../review/review-schema.js'
import { targetStage } from '../review/run-review.js'
import { READINESS_TEXT, STAGE_TEXT, blockedStagesText, dispositionText, groupFindings } from './report-text-helpers.js'
import { untrustedMarkdown } from './untrusted-text.js'

export interface MarkdownReportOptions {
  /** `https://github.com/owner/repo`, for file links. */
  repositoryUrl?: string
  headSha?: string
  /** GitHub's limit for a comment body. */
  maxLength?: number
}

export const DEFAULT_MARKDOWN_MAX_LENGTH = 65536

const MAX_NOTICES = 20
const READINESS_ICON = { blocked: '⛔', 'ready-for-private-beta': '🟡', 'ready-for-public': '✅' } as const
const SEVERITY_ICON = { error: '⛔', warning: '⚠️', info: 'ℹ️' } as const

export function renderMarkdown(review: Review, options: MarkdownReportOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH
  const out = new BoundedMarkdown(maxLength)
  const groups = groupFindings(review)

  out.add('## Integration review\n\n')
  if (review.integrations.length === 0) {
    out.add('No integration is touched by this pull request.\n\n')
  } else {
    out.add('| Integration | Status | Readiness | Blocks Private Beta | Blocks Public |\n|---|---|---|---|---|\n')
    for (const integration of review.integrations) {
      const target = STAGE_TEXT[targetStage(integration)]
      out.add(
        `| ${escapeCell(integration.name)} (${escapeCodeInCell(integration.path)}) | ${integration.status}, heading for ${target} | ${READINESS_ICON[integration.readiness]} ${READINESS_TEXT[integration.readiness]} | ${integration.blocking['private-beta'].length} | ${integration.blocking.public.length} |\n`
      )
    }
    out.add('\n')
  }

  const notices = [
    ...review.configErrors.map((message) => `Config: ${message}`),
    ...review.suppressionErrors.map((message) => `Suppression: ${message}`),
    ...review.skipped.map((message) => `Skipped: ${message}`),
    ...review.ruleFailures.map((failure) => `Rule \`${failure.ruleId}\` failed${failure.integration ? ` on \`${failure.integration}\`` : ''}: ${failure.message}`)
  ]
  if (notices.length > 0) {
    // Capped so that a long list of skipped files cannot crowd the findings out of the comment.
    out.add('### Review problems\n\n')
    for (const notice of notices.slice(0, MAX_NOTICES)) if (!out.add(`- ${escapeText(notice)}\n`)) return out.finish(remainingAfter(review, 0))
    if (notices.length > MAX_NOTICES) out.add(`- … and ${notices.length - MAX_NOTICES} more (the JSON report lists them all)\n`)
    out.add('\n')
  }

  const sections: Array<{ heading: string; findings: Finding[]; collapsed: boolean }> = [
    { heading: `### ⛔ Blocking (${groups.blocking.length})`, findings: groups.blocking, collapsed: false },
    { heading: `### ⚠️ Warnings (${groups.warnings.length})`, findings: groups.warnings, collapsed: false },
    { heading: `Notes, waived, suppressed and pre-existing findings (${groups.other.length})`, findings: groups.other, collapsed: true }
  ]
  let shown = 0
  for (const section of sections) {
    if (section.findings.length === 0) continue
    out.add(section.collapsed ? `<details>\n<summary>${section.heading}</summary>\n\n` : `${section.heading}\n\n`)
    if (section.collapsed) out.closeWith('\n</details>\n')
    // With several integrations, each one's findings sit under its name.
    const names = new Map(review.integrations.map((integration) => [integration.path, integration.name]))
    const grouped = new Set(section.findings.map((finding) => finding.integration)).size > 1
    let current: string | null | undefined
    for (const finding of section.findings) {
      let item = findingItem(finding, options)
      if (grouped && finding.integration !== current) {
        current = finding.integration
        const title = current === null ? 'The pull request as a whole' : `${escapeText(names.get(current) ?? current)} (${escapeCode(current)})`
        item = `${current === section.findings[0].integration ? '' : '\n'}**${title}**\n\n${item}`
      }
      if (!out.add(item)) return out.finish(review.findings.length - shown)
      shown++
    }
    if (section.collapsed) out.closed()
    out.add(section.collapsed ? '\n</details>\n\n' : '\n')
  }
  if (review.findings.length === 0) out.add('No findings. 🎉\n')
  return out.finish(0)
}

function remainingAfter(review: Review, shown: number): number {
  return review.findings.length - shown
}

function findingItem(finding: Finding, options: MarkdownReportOptions): string {
  const location = `${finding.path}:${finding.line}`
  const link =
    options.repositoryUrl && options.headSha && finding.path
      ? `[${escapeCode(location)}](${options.repositoryUrl.replace(/\/$/, '')}/blob/${options.headSha}/${finding.path.split('/').map(encodeUrlSegment).join('/')}#L${finding.line})`
      : escapeCode(location)
  const notes = [finding.blocks.length > 0 ? blockedStagesText(finding) : undefined, dispositionText(finding)].filter(Boolean)
  return `- ${SEVERITY_ICON[finding.severity]} **\`${finding.ruleId}\`** ${link} — ${escapeText(finding.message)}${notes.length > 0 ? ` _(${escapeText(notes.join('; '))})_` : ''}\n`
}

// Partner-controlled text goes through the one escaping function (see untrusted-text.ts).
function escapeText(text: string): string {
  return untrustedMarkdown(text, 'text')
}

function escapeCell(text: string): string {
  return untrustedMarkdown(text, 'cell')
}

/** A whole value as one code span. */
function escapeCode(text: string): string {
  return untrustedMarkdown(text, 'code')
}

function escapeCodeInCell(text: string): string {
  return untrustedMarkdown(text, 'cell-code')
}

/** A path segment in a link: parentheses too, or a `)` would end the link and leave the rest as text. */
function encodeUrlSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/\(/g, '%28').replace(/\)/g, '%29')
}

/** Accumulates Markdown up to a hard length, keeping room for the closing tags and a truncation note. */
class BoundedMarkdown {
  private text = ''
  private closing = ''
  private full = false
  private static readonly NOTE_ROOM = 220

  constructor(private readonly maxLength: number) {}

  /** Appends unless that would leave no room for the note; returns whether it was appended. */
  add(piece: string): boolean {
    if (this.full) return false
    if (this.text.length + piece.length + this.closing.length + BoundedMarkdown.NOTE_ROOM > this.maxLength) {
      this.full = true
      return false
    }
    this.text += piece
    return true
  }

  closeWith(closing: string) {
    this.closing = closing
  }

  closed() {
    this.closing = ''
  }

  finish(notShown: number): string {
    let result = this.text
    if (this.full) {
      result += this.closing
      result += `\n> ✂️ This comment was cut to stay under ${this.maxLength} characters${notShown > 0 ? `: ${notShown} more finding${notShown === 1 ? ' is' : 's are'} not shown` : ''}. The check run and \`integration-review review\` list everything.\n`
    }
    return result.length <= this.maxLength ? result : result.slice(0, this.maxLength)
  }
}
