import { describe, expect, it } from 'vitest'
import { fingerprintFindings, normalizedLine } from '../../src/review/fingerprint.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

describe('normalizedLine', () => {
  it('collapses whitespace and is empty outside the text', () => {
    const text = 'first\n\t  const  x =   1 \r\nlast'
    expect(normalizedLine(text, 1)).toBe('first')
    expect(normalizedLine(text, 2)).toBe('const x = 1')
    expect(normalizedLine(text, 3)).toBe('last')
    expect(normalizedLine(text, 4)).toBe('')
    expect(normalizedLine(text, 0)).toBe('')
    expect(normalizedLine(undefined, 1)).toBe('')
  })
})

describe('fingerprintFindings', () => {
  const source = new MemoryFileSource({
    'a.ts': 'const a = process.env.A\nconst b = 2\nconst a = process.env.A\n',
    'b.ts': 'const a = process.env.A\n'
  })
  const base = { ruleId: 'security/no-process-env', integration: 'dest', path: 'a.ts' }

  it('identifies a finding by the code of its line, whatever line it moved to', () => {
    const [first] = fingerprintFindings([{ ...base, line: 1 }], source)
    const [other] = fingerprintFindings([{ ...base, line: 2 }], source)
    const [moved] = fingerprintFindings(
      [{ ...base, line: 1 }],
      new MemoryFileSource({ 'a.ts': '// a new first line\nconst a = process.env.A\n' })
    )
    expect(other).not.toBe(first)
    expect(
      fingerprintFindings([{ ...base, line: 2 }], new MemoryFileSource({ 'a.ts': '// a new first line\nconst a = process.env.A\n' }))[0]
    ).toBe(first)
    expect(moved).not.toBe(first)
  })

  it('tells apart rule, integration, file and occurrence', () => {
    const prints = fingerprintFindings(
      [
        { ...base, line: 3 },
        { ...base, line: 1 },
        { ...base, ruleId: 'security/other', line: 1 },
        { ...base, integration: null, line: 1 },
        { ...base, path: 'b.ts', line: 1 }
      ],
      source
    )
    expect(new Set(prints).size).toBe(5)
    // Occurrences are numbered by position, not by input order.
    const [inOrder] = fingerprintFindings([{ ...base, line: 1 }], source)
    expect(prints[1]).toBe(inOrder)
  })
})
