// Fail closed: a file the review could not analyse (over a size or count limit, unreadable, cut
// from GitHub's listing) is a file nobody has checked. Each touched integration with such files
// gets one blocking finding naming them, so what was not analysed never passes; a reviewer who
// has looked at them by hand can waive it like any other finding.
import { createHash } from 'node:crypto'
import { integrationOfPath } from '../discover/discover-integrations.js'
import type { IntegrationLayout } from '../discover/integration-layouts.js'
import { normalizeRepoPath } from '../source/file-source.js'
import { NOT_ANALYSED_RULE_ID } from './not-analysed-explanation.js'

export interface UnanalysedFile {
  /** Repository path; null when the files are not known by name (a truncated listing). */
  path: string | null
  /** Why, in words for the report ("head: 2.4 MB is over the 2 MB per-file limit"). */
  reason: string
  /** Part of the change itself (then it counts wherever it is). */
  changed?: boolean
}

export interface UnanalysedFinding {
  ruleId: typeof NOT_ANALYSED_RULE_ID
  /** The integration the files belong to, or null for the pull request as a whole. */
  integration: string | null
  path: string
  line: number
  message: string
  fingerprint: string
}

/** How many files a finding names before it says "and N more". */
const NAMED_FILES = 20

/**
 * One finding per integration with files not analysed, and one for the pull request when some files
 * are not known by name or belong to no reviewed integration. A path outside every reviewed
 * integration counts only when the pull request changes it (an unchanged, unrelated file is not
 * part of this review).
 */
export function unanalysedFindings(
  files: readonly UnanalysedFile[],
  reviewedIntegrations: ReadonlySet<string>,
  changedPaths: readonly string[],
  layouts: IntegrationLayout[]
): UnanalysedFinding[] {
  const changed = new Set(changedPaths.map(normalizeRepoPath))
  const groups = new Map<string | null, UnanalysedFile[]>()
  const seen = new Set<string>()
  for (const file of files) {
    const path = file.path === null ? null : normalizeRepoPath(file.path)
    const key = `${path}\u0000${file.reason}`
    if (seen.has(key)) continue
    seen.add(key)
    let integration: string | null = null
    if (path !== null) {
      const location = integrationOfPath(path, layouts)
      if (location && reviewedIntegrations.has(location.path)) integration = location.path
      else if (!file.changed && !changed.has(path)) continue
    }
    const group = groups.get(integration) ?? []
    group.push({ path, reason: file.reason })
    groups.set(integration, group)
  }
  return [...groups].map(([integration, group]) => findingFor(integration, group))
}

function findingFor(integration: string | null, files: UnanalysedFile[]): UnanalysedFinding {
  const named = files.filter((file) => file.path !== null)
  const unnamed = files.filter((file) => file.path === null)
  const items = [...named.map((file) => `\`${file.path}\` (${file.reason})`), ...unnamed.map((file) => file.reason)]
  const shown = items.slice(0, NAMED_FILES).join('; ')
  const more = items.length > NAMED_FILES ? `; and ${items.length - NAMED_FILES} more (the JSON report lists them all)` : ''
  const subject = integration === null ? 'This pull request' : 'This integration'
  const count = named.length === 1 && unnamed.length === 0 ? 'a file' : 'files'
  const message =
    `${subject} has ${count} the review could not analyse, so it cannot vouch for ${integration === null ? 'them' : 'the integration'}: ${shown}${more}. ` +
    `A human must review ${count === 'a file' ? 'it' : 'them'}; a reviewer who has can \`/waive ${NOT_ANALYSED_RULE_ID} -- <what was checked>\`.`
  const paths = named.map((file) => file.path as string).sort()
  return {
    ruleId: NOT_ANALYSED_RULE_ID,
    integration,
    path: paths[0] ?? '',
    line: 1,
    message,
    fingerprint: createHash('sha256')
      .update([NOT_ANALYSED_RULE_ID, integration ?? '', ...paths, ...unnamed.map((file) => file.reason).sort()].join('\u0000'))
      .digest('hex')
      .slice(0, 32)
  }
}
