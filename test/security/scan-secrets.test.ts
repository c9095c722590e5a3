// A family with an anchor (the URL with a password: '://') is scanned only just before each
// occurrence of the anchor; it must find exactly what its global pattern finds over the whole text.
import { describe, expect, it } from 'vitest'
import { familyMatches } from '../../src/rules/security/support/scan-secrets.js'
import { SECRET_FAMILIES } from '../../src/rules/security/support/secret-patterns.js'

const ANCHORED = SECRET_FAMILIES.filter((family) => family.anchor !== undefined)

/** What the family's global pattern finds, as plain data: where, what, and the groups. */
function reference(pattern: RegExp, text: string): unknown[] {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags))].map((match) => [match.index, ...match])
}

function anchored(family: (typeof ANCHORED)[number], text: string): unknown[] {
  return familyMatches(family, text).map((match) => [match.index, ...match])
}

/** A deterministic generator (xorshift), so a failure names a text that reproduces. */
function randomTexts(count: number, seed: number): string[] {
  const alphabet = [
    'a',
    'Z',
    'h',
    't',
    'p',
    's',
    '1',
    '9',
    ':',
    '/',
    '//',
    '://',
    '@',
    '.',
    '-',
    '+',
    '_',
    ' ',
    "'",
    '`',
    '\n',
    'x:y@',
    'pa55w0rd'
  ]
  let state = seed
  const random = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x100000000
  }
  return Array.from({ length: count }, () =>
    Array.from({ length: 5 + Math.floor(random() * 80) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')
  )
}

describe('anchored secret families', () => {
  it('exist (the URL with an embedded password)', () => {
    expect(ANCHORED.map((family) => family.id)).toContain('url-with-password')
  })

  it('find what their global pattern finds, on written and on random texts', () => {
    const written = [
      "const url = 'postgres://admin:Xk9#pLq2vR@db.acme.io/prod'",
      'a://b:c@d e://f:g@h',
      'https://user:pa55w0rd@api.acme.io and mongodb+srv://root:Zr8sWq1x@cluster0.acme.net/x',
      `${'a'.repeat(20)}://u:p@h`,
      'abcdefghijklmnopq://u:p@h abcdefghijklmnop://u:p@h',
      'x1://u:p@h :// ://u:p@h',
      '://://a://b:c@d',
      ''
    ]
    for (const family of ANCHORED) {
      for (const text of [...written, ...randomTexts(3000, 0x2545f491)]) {
        expect(anchored(family, text), JSON.stringify(text)).toEqual(reference(family.pattern, text))
      }
    }
  })
})
