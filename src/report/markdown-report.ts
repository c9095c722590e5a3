// The pull-request comment, written to be read in a minute: the readiness table, then every
// blocking finding (one bullet each, at its line), then warnings and everything else collapsed,
// similar findings grouped under one bullet with a count and their first locations. Bullets are
// capped at a readable length; the collapsed part stops at a comfortable total length (the check
// run carries every annotation), and nothing is ever longer than maxLength.
import type { Finding, IntegrationReview, Review } from '../review/review-schema.js'
import { targetStage } from '../review/run-review.js'
import { READINESS_TEXT, STAGE_TEXT, blockedStagesText, dispositionText, groupFindings } from './report-text-helpers.js'
import { untrustedMarkdown } from './untrusted-text.js'

export interface MarkdownReportOptions {
  /** `https://github.com/owner/repo`, for file links. */
  repositoryUrl?: string
  headSha?: string
  /** GitHub's limit for a comment body. */
  maxLength?: number
  /**
   * The length the collapsed sections stop at (warnings, notes): past it they end with a count of
   * what is left for the check run. Blocking findings are always shown, up to maxLength.
   */
  comfortableLength?: number
}

const DEFAULT_MARKDOWN_MAX_LENGTH = 65536
const DEFAULT_COMFORTABLE_LENGTH = 7500

const MAX_NOTICES = 10
/** A bullet's message is cut here (at a word), so one finding cannot fill a screen. */
const MAX_MESSAGE = 320
const MAX_GROUPED_MESSAGE = 180
const MAX_NOTICE = 300
/** Locations listed in a grouped bullet before "and N more". */
const GROUP_LOCATIONS = 3
/**
 * A rule with more blocking findings than this in one integration gets one bullet listing every
 * location; when the blocking bullets alone would fill most of the comment, any rule with two.
 */
const BLOCKING_GROUP_AT = 4
const STATUS_CONFIG = '.github/integration-review.yml'
const READINESS_ICON = { blocked: '⛔', 'ready-for-private-beta': '🟡', 'ready-for-public': '✅' } as const
const SEVERITY_ICON = { error: '⛔', warning: '⚠️', info: 'ℹ️' } as const

type PartnerForm = 'text' | 'code' | 'cell' | 'cell-code'

/**
 * The one place partner-derived text (messages, names, paths, labels, reasons) enters the
 * comment, through the one escaping function (`untrusted-text.ts`): `text` for prose (code spans
 * kept, everything else literal), `code` for a whole value as one code span (backticks included),
 * `cell` and `cell-code` for the same inside a table cell.
 */
export function partnerText(value: string, form: PartnerForm = 'text'): string {
  return untrustedMarkdown(value, form)
}

export function renderMarkdown(review: Review, options: MarkdownReportOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH
  const comfortable = Math.min(maxLength, options.comfortableLength ?? DEFAULT_COMFORTABLE_LENGTH)
  const out = new BoundedMarkdown(maxLength)
  const groups = groupFindings(review)
  const names = new Map(review.integrations.map((integration) => [integration.path, integration.name]))

  out.add('## Integration review\n\n')
  if (review.integrations.length === 0) {
    // A deleted destination leaves nothing to review in head, yet its finding must read as such.
    out.add(
      review.findings.length === 0
        ? 'No integration is touched by this pull request.\n\n'
        : 'No integration that remains in the head revision is touched; the findings below are about the pull request as a whole.\n\n'
    )
  } else {
    out.add('| Integration | Status | Readiness | Blocks Private Beta | Blocks Public |\n|---|---|---|---|---|\n')
    for (const integration of review.integrations) {
      out.add(
        `| ${partnerText(integration.name, 'cell')} (${partnerText(integration.path, 'cell-code')}) | ${statusCell(integration)} | ${READINESS_ICON[integration.readiness]} ${READINESS_TEXT[integration.readiness]} | ${integration.blocking['private-beta'].length} | ${integration.blocking.public.length} |\n`
      )
    }
    out.add('\n')
  }
  out.add(verdictLine(groups.blocking.length, groups.warnings.length, groups.other.length))

  const notices = [
    ...review.configErrors.map((message) => `Config: ${message}`),
    ...review.suppressionErrors.map((message) => `Suppression: ${message}`),
    ...review.skipped.map((message) => `Skipped: ${message}`),
    ...review.ruleFailures.map(
      (failure) => `Rule \`${failure.ruleId}\` failed${failure.integration ? ` on \`${failure.integration}\`` : ''}: ${failure.message}`
    )
  ]
  if (notices.length > 0) {
    // Capped so that a long list of skipped files cannot crowd the findings out of the comment.
    out.add('### Review problems\n\n')
    for (const notice of notices.slice(0, MAX_NOTICES))
      if (!out.add(`- ${partnerText(cut(notice, MAX_NOTICE))}\n`)) return out.finish(review.findings.length)
    if (notices.length > MAX_NOTICES) out.add(`- … and ${notices.length - MAX_NOTICES} more (the JSON report lists them all)\n`)
    out.add('\n')
  }

  let shown = 0
  if (groups.blocking.length > 0) {
    out.add(`### ⛔ Blocking (${groups.blocking.length})\n\n`)
    const blocks = underIntegrations(groups.blocking, names)
    // Many blocking findings: each rule's become one bullet listing every location, so all stay visible in a short comment.
    const oneEach = blocks.flatMap((block) => blockingBullets(block.findings, options, BLOCKING_GROUP_AT))
    const groupAt = oneEach.reduce((total, bullet) => total + bullet.text.length, 0) > comfortable * 0.6 ? 1 : BLOCKING_GROUP_AT
    for (const block of blocks) {
      if (block.heading !== undefined && !out.add(block.heading)) return out.finish(review.findings.length - shown)
      for (const bullet of blockingBullets(block.findings, options, groupAt)) {
        if (!out.add(bullet.text)) return out.finish(review.findings.length - shown)
        shown += bullet.count
      }
      out.add('\n')
    }
  }

  const collapsed = [
    { summary: `⚠️ Warnings to answer (${groups.warnings.length})`, findings: groups.warnings },
    { summary: `ℹ️ Notes, waived, suppressed and pre-existing findings (${groups.other.length})`, findings: groups.other }
  ]
  for (const section of collapsed) {
    if (section.findings.length === 0) continue
    if (!out.add(`<details>\n<summary>${section.summary}</summary>\n\n`)) return out.finish(review.findings.length - shown)
    out.closeWith('\n</details>\n')
    let left = section.findings.length
    for (const block of underIntegrations(section.findings, names)) {
      const bullets = groupedBullets(block.findings, options)
      const pieces =
        block.heading === undefined
          ? bullets
          : [
              { text: block.heading, count: 0 },
              ...bullets.slice(0, -1),
              ...bullets.slice(-1).map((last) => ({ ...last, text: `${last.text}\n` }))
            ]
      for (const piece of pieces) {
        // Past the comfortable length the rest is counted, not listed: the check run has it all.
        if (out.length + piece.text.length > comfortable - 250) {
          if (!out.add(`- … ${left} more not listed here; the check run and \`integration-review review\` list every finding.\n`))
            return out.finish(review.findings.length - shown)
          left = 0
          break
        }
        if (!out.add(piece.text)) return out.finish(review.findings.length - shown)
        left -= piece.count
        shown += piece.count
      }
      if (left === 0) break
    }
    out.closed()
    if (!out.add('\n</details>\n\n')) return out.finish(review.findings.length - shown)
  }
  if (review.findings.length === 0) out.add('No findings. 🎉\n')
  return out.finish(0)
}

function statusCell(integration: IntegrationReview): string {
  const target = STAGE_TEXT[targetStage(integration)]
  if (!integration.statusUnknown) return `${integration.status}, heading for ${target}`
  const hints = (integration.statusHints ?? []).map((hint) => partnerText(hint, 'cell'))
  return `status unknown — set \`status\` in \`${STATUS_CONFIG}\`; judged against ${target}, the strictest stage${hints.length > 0 ? ` (hint: ${hints.join('; ')})` : ''}`
}

function verdictLine(blocking: number, warnings: number, other: number): string {
  const rest = [warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '', other > 0 ? `${other} other` : '']
    .filter(Boolean)
    .join(' and ')
  const head = blocking > 0 ? `**${blocking} finding${blocking === 1 ? '' : 's'} to fix** (below)` : '**Nothing blocks.**'
  return `${head}${rest ? `${blocking > 0 ? ';' : ''} ${rest} collapsed below.` : ''}\n\n`
}

/** Findings in runs of one integration, each run under the integration's name when there are several. */
function underIntegrations(findings: readonly Finding[], names: Map<string, string>): Array<{ heading?: string; findings: Finding[] }> {
  const byIntegration = new Map<string | null, Finding[]>()
  for (const finding of findings) {
    const list = byIntegration.get(finding.integration) ?? []
    list.push(finding)
    byIntegration.set(finding.integration, list)
  }
  if (byIntegration.size <= 1) return [{ findings: [...findings] }]
  return [...byIntegration].map(([integration, list]) => {
    // The table above pairs each name with its folder: the name alone is enough here.
    const title = integration === null ? 'The pull request as a whole' : partnerText(names.get(integration) ?? integration)
    return { heading: `**${title}**\n\n`, findings: list }
  })
}

interface Bullet {
  text: string
  /** How many findings the bullet stands for. */
  count: number
}

/** One bullet per blocking finding; a rule with more than `groupAt` gets one bullet with every location. */
function blockingBullets(findings: readonly Finding[], options: MarkdownReportOptions, groupAt: number): Bullet[] {
  const byRule = groupBy(findings, (finding) => finding.ruleId)
  const bullets: Bullet[] = []
  for (const group of byRule) {
    if (group.length <= groupAt) {
      for (const finding of group) bullets.push({ text: singleBullet(finding, options, MAX_MESSAGE), count: 1 })
      continue
    }
    const [first] = group
    // Every location is listed; only the first is a link (links are long).
    const locations = group.map((finding, index) => locationLink(finding, index === 0 ? options : {})).join(', ')
    bullets.push({
      text: `- ${SEVERITY_ICON[first.severity]} **\`${first.ruleId}\`** ×${group.length} — ${partnerText(cut(first.message, MAX_GROUPED_MESSAGE))}${publicOnlyText(first) ? ` _(${publicOnlyText(first)})_` : ''} — at ${locations}\n`,
      count: group.length
    })
  }
  return bullets
}

/** Non-blocking findings grouped by rule and disposition: one bullet per group, with a count and the first locations. */
function groupedBullets(findings: readonly Finding[], options: MarkdownReportOptions): Bullet[] {
  const groups = groupBy(findings, (finding) => `${finding.ruleId}\u0000${dispositionKind(finding)}`)
  return groups.map((group) => {
    const [first] = group
    if (group.length === 1) return { text: singleBullet(first, options, MAX_GROUPED_MESSAGE), count: 1 }
    // The first location is a link; the others are short enough to find, and links are long.
    const shownLocations = group
      .slice(0, GROUP_LOCATIONS)
      .map((finding, index) => (index === 0 ? locationLink(finding, options) : locationLink(finding, {})))
    const more = group.length - shownLocations.length
    const disposition = dispositionText(first)
    return {
      text:
        `- ${SEVERITY_ICON[first.severity]} **\`${first.ruleId}\`** ×${group.length} — ${partnerText(cut(first.message, MAX_GROUPED_MESSAGE))}` +
        `${disposition ? ` _(${partnerText(cut(disposition, 120))})_` : ''} — at ${shownLocations.join(', ')}${more > 0 ? ` and ${more} more` : ''}\n`,
      count: group.length
    }
  })
}

function dispositionKind(finding: Finding): string {
  if (finding.waived) return `waived\u0000${finding.waived.by}\u0000${finding.waived.reason}`
  if (finding.suppressed) return 'suppressed'
  return finding.status
}

/** What a blocking finding holds back, when it is not both stages (the usual case, said once in the table). */
function publicOnlyText(finding: Finding): string | undefined {
  return finding.blocks.length > 0 && !finding.blocks.includes('private-beta') ? blockedStagesText(finding) : undefined
}

function singleBullet(finding: Finding, options: MarkdownReportOptions, maxMessage: number): string {
  const notes = [publicOnlyText(finding), dispositionText(finding)].filter((note): note is string => note !== undefined)
  return `- ${SEVERITY_ICON[finding.severity]} **\`${finding.ruleId}\`** ${locationLink(finding, options)} — ${partnerText(cut(finding.message, maxMessage))}${notes.length > 0 ? ` _(${partnerText(cut(notes.join('; '), 160))})_` : ''}\n`
}

/** `file:line`, relative to the finding's integration folder (its name heads the list), linked at the head commit. */
function locationLink(finding: Finding, options: MarkdownReportOptions): string {
  const prefix = finding.integration ? `${finding.integration}/` : ''
  const shownPath = prefix && finding.path.startsWith(prefix) ? finding.path.slice(prefix.length) : finding.path
  const location = partnerText(`${shownPath}:${finding.line}`, 'code')
  if (!options.repositoryUrl || !options.headSha || !finding.path) return location
  const url = `${options.repositoryUrl.replace(/\/$/, '')}/blob/${options.headSha}/${finding.path.split('/').map(encodeUrlSegment).join('/')}#L${finding.line}`
  return `[${location}](${url})`
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return [...groups.values()]
}

/** Cuts text at a word near `max`, with an ellipsis; short text is returned as it is. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let slice = text.slice(0, max - 1)
  const space = slice.lastIndexOf(' ')
  if (space > max * 0.7) slice = slice.slice(0, space)
  // A code span cut open would show a stray backtick: end before the span instead.
  if ((slice.match(/`/g)?.length ?? 0) % 2 === 1) slice = slice.slice(0, slice.lastIndexOf('`')).trimEnd()
  return `${slice}…`
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

  get length(): number {
    return this.text.length
  }

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
