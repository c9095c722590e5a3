// Finding fingerprints: a stable identity that survives edits which only move lines, so a
// finding on the head can be matched with the same finding on the base revision.
import { createHash } from 'node:crypto'
import type { FileSource } from '../source/file-source.js'

export interface FingerprintInput {
  ruleId: string
  integration: string | undefined | null
  path: string
  line: number
  column?: number
  key?: string
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

  normalized(line: number): string {
    if (line < 1 || line > this.starts.length) return ''
    const start = this.starts[line - 1]
    const end = line < this.starts.length ? this.starts[line] - 1 : this.text.length
    return this.text.slice(start, end).trim().replace(/\s+/g, ' ')
  }
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)
}

/**
 * Fingerprints for findings of one revision, in input order. A finding with a `key` is identified
 * by it; otherwise by its line's normalised text plus its occurrence index among findings of the
 * same rule, integration, file and line text (ordered by position).
 */
export function fingerprintFindings(findings: readonly FingerprintInput[], source: FileSource): string[] {
  const indexes = new Map<string, LineIndex | undefined>()
  const lineText = (path: string, line: number) => {
    if (!indexes.has(path)) {
      const text = source.readFile(path)
      indexes.set(path, text === undefined ? undefined : new LineIndex(text))
    }
    return indexes.get(path)?.normalized(line) ?? ''
  }
  const identities = findings.map((finding) => {
    const base = [finding.ruleId, finding.integration ?? '', finding.path]
    return finding.key !== undefined ? { group: [...base, 'key', finding.key], keyed: true } : { group: [...base, 'line', lineText(finding.path, finding.line)], keyed: false }
  })
  const order = findings.map((_, index) => index).sort((a, b) => findings[a].line - findings[b].line || (findings[a].column ?? 0) - (findings[b].column ?? 0) || a - b)
  const seen = new Map<string, number>()
  const result: string[] = new Array(findings.length)
  for (const index of order) {
    const groupKey = identities[index].group.join('\u0000')
    const occurrence = seen.get(groupKey) ?? 0
    seen.set(groupKey, occurrence + 1)
    result[index] = hash([...identities[index].group, String(occurrence)])
  }
  return result
}
