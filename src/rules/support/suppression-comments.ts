// Inline suppression comments: `// integration-review-disable-next-line <rule-id>[, <rule-id>] -- <reason>`.
// Found by a line scan (no parse needed). Below the rules, which report added ones (security/suppression-added);
// the review honours them only where the base already had them.

export const SUPPRESSION_DIRECTIVE = 'integration-review-disable-next-line'

export interface SuppressionComment {
  path: string
  /** Line of the comment itself; it covers `line + 1`. */
  line: number
  ruleIds: string[]
  reason: string | undefined
  /** The comment normalised (whitespace collapsed), to match the same comment on the base revision. */
  normalized: string
}

// Linear: no nested quantifiers, anchored to a directive word that must be present.
const DIRECTIVE_LINE = /^\s*(?:\/\/|\/\*|\*)\s*integration-review-disable-next-line\b(.*)$/

/** Files worth scanning: source code a rule could report on. */
export function isScannableSource(path: string): boolean {
  return /\.(?:[cm]?[jt]sx?)$/.test(path)
}

export function findSuppressionComments(path: string, text: string): SuppressionComment[] {
  if (!text.includes(SUPPRESSION_DIRECTIVE)) return []
  const found: SuppressionComment[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = DIRECTIVE_LINE.exec(lines[index])
    if (!match) continue
    const rest = match[1].replace(/\*\/\s*$/, '')
    const separator = rest.indexOf(' -- ')
    const idsText = separator >= 0 ? rest.slice(0, separator) : rest
    const reasonText = separator >= 0 ? rest.slice(separator + 4).trim() : ''
    const ruleIds = idsText
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id.length > 0)
    found.push({
      path,
      line: index + 1,
      ruleIds,
      reason: reasonText.length > 0 ? reasonText : undefined,
      normalized: `${ruleIds.join(',')} -- ${reasonText.replace(/\s+/g, ' ')}`
    })
  }
  return found
}

/**
 * The suppressions of `headText` that also exist in `baseText` (same file): a head comment is
 * matched when the base holds at least as many identical comments up to that one, so copying an
 * existing suppression onto a new line does not bring a second one into force.
 */
export function partitionSuppressions(
  path: string,
  headText: string,
  baseText: string | undefined
): { existing: SuppressionComment[]; added: SuppressionComment[] } {
  const head = findSuppressionComments(path, headText)
  if (head.length === 0) return { existing: [], added: [] }
  const available = new Map<string, number>()
  for (const comment of baseText === undefined ? [] : findSuppressionComments(path, baseText)) {
    available.set(comment.normalized, (available.get(comment.normalized) ?? 0) + 1)
  }
  const existing: SuppressionComment[] = []
  const added: SuppressionComment[] = []
  for (const comment of head) {
    const left = available.get(comment.normalized) ?? 0
    if (left > 0) {
      available.set(comment.normalized, left - 1)
      existing.push(comment)
    } else {
      added.push(comment)
    }
  }
  return { existing, added }
}
