// Filters that tell a random credential from a placeholder, a word or a repeated pattern.
// Pure string code, no regular expressions over the candidate (it is untrusted text).

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0
  const counts = new Map<string, number>()
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1)
  let entropy = 0
  for (const count of counts.values()) {
    const probability = count / value.length
    entropy -= probability * Math.log2(probability)
  }
  return entropy
}

/** Words that mark a documentation sample or a test value (trufflehog's and gitleaks' lists, trimmed). */
const PLACEHOLDER_WORDS = [
  'example',
  'sample',
  'placeholder',
  'dummy',
  'fake',
  'your',
  'changeme',
  'change_me',
  'redacted',
  'xxxx',
  'abcdef',
  'abcde',
  '12345',
  '00000',
  'lorem',
  'insert',
  'replace',
  'mock',
  'secret_here',
  'token_here',
  'key_here',
  '****'
]

/** The longest run of one repeated character. */
function longestRun(value: string): number {
  let longest = 0
  let run = 0
  let previous = ''
  for (const character of value) {
    run = character === previous ? run + 1 : 1
    previous = character
    if (run > longest) longest = run
  }
  return longest
}

/** True when a candidate is a documentation placeholder rather than a credential. */
export function looksLikePlaceholder(value: string): boolean {
  const lower = value.toLowerCase()
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true
  if (longestRun(value) >= 6) return true
  // Template placeholders: ${VAR}, {{ var }}, %VAR%, <your-key>, @VAR@.
  if (
    value.includes('${') ||
    value.includes('{{') ||
    value.startsWith('<') ||
    (value.startsWith('%') && value.endsWith('%')) ||
    (value.startsWith('@') && value.endsWith('@'))
  )
    return true
  return false
}

export function hasDigit(value: string): boolean {
  for (const character of value) if (character >= '0' && character <= '9') return true
  return false
}

/** Minimum entropy by alphabet: hex strings carry at most 4 bits a character. */
export function minimumEntropyFor(value: string): number {
  let hexOnly = true
  for (const character of value.toLowerCase()) {
    if (!((character >= '0' && character <= '9') || (character >= 'a' && character <= 'f') || character === '-')) {
      hexOnly = false
      break
    }
  }
  if (hexOnly) return 3.0
  return value.length >= 40 ? 4.0 : 3.5
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let index = 0; index < 256; index++) {
    let crc = index
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
    table[index] = crc >>> 0
  }
  return table
})()

export function crc32(text: string): number {
  let crc = 0xffffffff
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function base62(value: number, width: number): string {
  let digits = ''
  let rest = value
  do {
    digits = BASE62[rest % 62] + digits
    rest = Math.floor(rest / 62)
  } while (rest > 0)
  return digits.padStart(width, '0')
}

/**
 * GitHub's token format: 30 random characters followed by their CRC32 in base62 (6 characters).
 * A value that fails the checksum was not issued by GitHub.
 */
export function hasValidGitHubChecksum(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1)
  if (body.length !== 36) return false
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30)
}

/** Decodes one base64url JWT segment as JSON; undefined when it is not. */
export function decodeJwtSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
