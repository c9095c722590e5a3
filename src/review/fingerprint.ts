// Finding fingerprints: a stable identity that survives edits which only move lines, so a
// finding on the head can be matched with the same finding on the base revision. Identity is
// the code a finding points at (file, the node's place in its normalised line), never the route
// (a JSON pointer through an action or a preset) by which a rule reached that code.
import { hash as digest } from 'node:crypto'
import type { FileSource } from '../source/file-source.js'

export interface FingerprintInput {
  ruleId: string
  integration: string | undefined | null
  path: string
  line: number
  column?: number
}

/** The text of a line with whitespace collapsed, so reindenting does not change identity. */
export function normalizedLine(text: string | undefined, line: number): string {
  return text === undefined ? '' : new LineIndex(text).normalized(line)
}

/** Line starts of one text, computed once, for many lookups. */
class LineIndex {
  private readonly starts: number[] = [0]

  constructor(private readonly text: string) {
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) this.starts.push(index + 1)
  }

  private raw(line: number): string | undefined {
    if (line < 1 || line > this.starts.length) return undefined
    const start = this.starts[line - 1]
    const end = line < this.starts.length ? this.starts[line] - 1 : this.text.length
    return this.text.slice(start, end)
  }

  normalized(line: number): string {
    return normalize(this.raw(line) ?? '')
  }

  /** Where a column falls in the normalised line: the length of the normalised text before it. */
  normalizedOffset(line: number, column: number | undefined): number {
    const raw = this.raw(line)
    if (raw === undefined || column === undefined || column <= 1) return 0
    return normalize(`${raw.slice(0, column - 1)}x`).length - 1
  }
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ')
}

/** One-shot digest: a review fingerprints thousands of findings, and a Hash object per finding costs three times as much. */
function hash(parts: readonly string[]): string {
  return digest('sha256', parts.join('\u0000'), 'hex').slice(0, 32)
}

/**
 * Fingerprints for findings of one revision, in input order: rule, integration, file, the
 * normalised text of the finding's line and the node's offset in it, plus an occurrence index
 * among findings with all of those equal (ordered by position).
 */
export function fingerprintFindings(findings: readonly FingerprintInput[], source: FileSource): string[] {
  const indexes = new Map<string, LineIndex | undefined>()
  const lineIndex = (path: string) => {
    if (!indexes.has(path)) {
      const text = source.readFile(path)
      indexes.set(path, text === undefined ? undefined : new LineIndex(text))
    }
    return indexes.get(path)
  }
  const identities = findings.map((finding) => {
    const index = lineIndex(finding.path)
    const text = index?.normalized(finding.line) ?? ''
    const offset = index?.normalizedOffset(finding.line, finding.column) ?? 0
    return [finding.ruleId, finding.integration ?? '', finding.path, text, String(offset)]
  })
  const order = findings
    .map((_, index) => index)
    .sort((a, b) => findings[a].line - findings[b].line || (findings[a].column ?? 0) - (findings[b].column ?? 0) || a - b)
  const seen = new Map<string, number>()
  const result = new Array<string>(findings.length)
  for (const index of order) {
    const groupKey = identities[index].join('\u0000')
    const occurrence = seen.get(groupKey) ?? 0
    seen.set(groupKey, occurrence + 1)
    result[index] = hash([...identities[index], String(occurrence)])
  }
  return result
}
