// Words shared by the renderers: how readiness, stages and severities read in a report.
import type { Stage } from '../rules/rule.js'
import type { Finding, Readiness, Review } from '../review/review-schema.js'

export const READINESS_TEXT: Record<Readiness, string> = {
  blocked: 'blocked',
  'ready-for-private-beta': 'ready for Private Beta',
  'ready-for-public': 'ready for Public'
}

export const STAGE_TEXT: Record<Stage, string> = { 'private-beta': 'Private Beta', public: 'Public' }

/** Findings as the reports group them: what blocks, what must be answered, and the rest. */
export interface FindingGroups {
  blocking: Finding[]
  warnings: Finding[]
  /** Info notes, errors that block nothing here, pre-existing, waived and suppressed findings. */
  other: Finding[]
}

export function groupFindings(review: Review): FindingGroups {
  const groups: FindingGroups = { blocking: [], warnings: [], other: [] }
  for (const finding of review.findings) {
    if (finding.blocks.length > 0) groups.blocking.push(finding)
    else if (isOpenWarning(finding)) groups.warnings.push(finding)
    else groups.other.push(finding)
  }
  return groups
}

/** A new, unanswered finding of warning (or non-blocking error) severity. */
export function isOpenWarning(finding: Finding): boolean {
  return finding.blocks.length === 0 && finding.severity !== 'info' && finding.status === 'new' && !finding.waived && !finding.suppressed
}

export function blockedStagesText(finding: Finding): string {
  return finding.blocks.includes('private-beta') ? 'blocks Private Beta and Public' : 'blocks Public'
}

/** Why a finding that is not open is not counted. */
export function dispositionText(finding: Finding): string | undefined {
  if (finding.waived) return `waived by ${finding.waived.by}: ${finding.waived.reason}`
  if (finding.suppressed) return 'suppressed by an inline comment'
  if (finding.status === 'existing') return 'already on the base branch'
  return undefined
}
