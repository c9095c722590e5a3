// One defect, one finding: findings of one rule that declare the same cause (`RawFinding.cause`)
// in one file become a single finding that names everything the cause covers.
import type { RawFinding, Severity } from '../rules/rule.js'

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

/** `a`, `b` and `c` — the names as code spans, in the order the findings came. */
export function listNames(names: readonly string[]): string {
  const spans = names.map((name) => `\`${name.replace(/`/g, "'")}\``)
  if (spans.length <= 1) return spans.join('')
  return `${spans.slice(0, -1).join(', ')} and ${spans[spans.length - 1]}`
}

/**
 * Merges the findings of one rule's run that share a cause; findings without a cause pass
 * through unchanged, in their order; names are listed in source order. The merged finding sits at the earliest of its findings and
 * keeps the most severe of their severities.
 */
export function mergeSharedCauses<F extends RawFinding>(findings: readonly F[]): F[] {
  if (!findings.some((finding) => finding.cause)) return [...findings]
  const groups = new Map<string, F[]>()
  const result: Array<F | F[]> = []
  for (const finding of findings) {
    if (!finding.cause) {
      result.push(finding)
      continue
    }
    const groupKey = `${finding.path}\u0000${finding.cause.key}`
    let group = groups.get(groupKey)
    if (!group) {
      groups.set(groupKey, (group = []))
      result.push(group)
    }
    group.push(finding)
  }
  return result.map((entry) => (Array.isArray(entry) ? mergeGroup(entry) : entry))
}

function mergeGroup<F extends RawFinding>(group: F[]): F {
  if (group.length === 1) return group[0]
  const ordered = [...group].sort((a, b) => a.line - b.line || (a.column ?? 1) - (b.column ?? 1))
  const first = ordered[0]
  const names = [...new Set(ordered.map((finding) => finding.cause?.name ?? ''))].filter((name) => name !== '')
  const cause = first.cause
  const list = listNames(names)
  const message =
    cause?.merged !== undefined ? cause.merged.split('{names}').join(list) : `${first.message} (one cause for ${names.length}: ${list})`
  const severities = group.map((finding) => finding.severity)
  const severity = severities.every((value) => value !== undefined)
    ? severities.reduce((best, value) => (SEVERITY_RANK[value] > SEVERITY_RANK[best] ? value : best))
    : first.severity
  return { ...first, message, ...(severity !== undefined ? { severity } : {}) }
}
