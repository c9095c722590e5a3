// Finds credentials of the precise token families in a text: keyword pre-filter, regex,
// entropy, placeholder filters and each family's own checks, one hit per line.
import type { Severity } from '../../rule.js'
import { SECRET_FAMILIES, type SecretFamily } from './secret-patterns.js'
import { redactSecret } from './redact-secret.js'
import { looksLikePlaceholder, shannonEntropy } from './secret-text.js'

export interface SecretHit {
  family: SecretFamily
  severity: Severity
  offset: number
  /** Redacted form, safe to print. The raw value never leaves this module. */
  redacted: string
}

/** Texts larger than this are scanned only up to it (the regexes are linear, this bounds the constant). */
const MAX_SCANNED_CHARS = 1_000_000

/** Every family's keywords (lower case), longest first so that a keyword is matched before any prefix of it. */
const KEYWORDS = [...new Set(SECRET_FAMILIES.flatMap((family) => family.keywords))].sort((a, b) => b.length - a.length)

/** One pass over the text finds which keywords it holds, instead of one search per keyword and family. */
const KEYWORD_PATTERN = new RegExp(KEYWORDS.map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')

/** The keywords a matched keyword implies: itself and those that are prefixes of it (found at the same place). */
const IMPLIED_KEYWORDS = new Map(KEYWORDS.map((keyword) => [keyword, KEYWORDS.filter((other) => keyword.startsWith(other))]))

/** The keywords that occur in a lower-cased text: what `lower.includes(keyword)` says for each. */
function keywordsIn(lower: string): Set<string> {
  const found = new Set<string>()
  KEYWORD_PATTERN.lastIndex = 0
  for (let match = KEYWORD_PATTERN.exec(lower); match !== null; match = KEYWORD_PATTERN.exec(lower)) {
    for (const keyword of IMPLIED_KEYWORDS.get(match[0])!) found.add(keyword)
    // Keywords may overlap: the next search starts one character on, not after the match.
    KEYWORD_PATTERN.lastIndex = match.index + 1
  }
  return found
}

export function findSecrets(fullText: string, isTest: boolean): SecretHit[] {
  const text = fullText.length > MAX_SCANNED_CHARS ? fullText.slice(0, MAX_SCANNED_CHARS) : fullText
  const keywords = keywordsIn(text.toLowerCase())
  const hits: SecretHit[] = []
  if (keywords.size === 0) return hits
  for (const family of SECRET_FAMILIES) {
    if (!family.keywords.some((keyword) => keywords.has(keyword))) continue
    for (const match of familyMatches(family, text)) {
      const secret = match[family.secretGroup ?? 0]
      if (!secret) continue
      const offset = match.index
      if (family.minEntropy !== undefined && shannonEntropy(secret) < family.minEntropy) continue
      if (!family.skipPlaceholderFilter && looksLikePlaceholder(secret)) continue
      if (family.accept && !family.accept(secret, match, { text, offset, isTest })) continue
      if (isAllowedLine(text, offset)) continue
      const severity = family.severityOf?.(secret) ?? family.severity
      hits.push({
        family,
        severity: isTest && family.weakInTests && severity === 'error' ? 'warning' : severity,
        offset,
        redacted: redactSecret(secret, family.prefix?.(secret))
      })
    }
  }
  return hits.sort((a, b) => a.offset - b.offset)
}

/** A family's matches in a text, left to right, as its global pattern's `exec` gives them. */
export function familyMatches(family: SecretFamily, text: string): RegExpExecArray[] {
  return family.anchor ? anchoredMatches(family.pattern, family.anchor, text) : globalMatches(family.pattern, text)
}

function globalMatches(source: RegExp, text: string): RegExpExecArray[] {
  const pattern = new RegExp(source.source, source.flags)
  const matches: RegExpExecArray[] = []
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) pattern.lastIndex++
    matches.push(match)
  }
  return matches
}

/**
 * The same for a pattern with an anchor (see SecretFamily.anchor): a match starting at `s` has
 * its anchor's first occurrence from `s` within `within` characters, so only the starts just
 * before each occurrence are tried, each with the pattern made sticky.
 */
function anchoredMatches(source: RegExp, anchor: { text: string; within: number }, text: string): RegExpExecArray[] {
  const sticky = new RegExp(source.source, `${source.flags.replace('g', '')}y`)
  const matches: RegExpExecArray[] = []
  let from = 0
  for (let at = text.indexOf(anchor.text, from); at !== -1; at = text.indexOf(anchor.text, from)) {
    let matched = false
    for (let start = Math.max(from, at - anchor.within); start <= at; start++) {
      sticky.lastIndex = start
      const match = sticky.exec(text)
      if (match === null) continue
      matches.push(match)
      from = Math.max(sticky.lastIndex, start + 1)
      matched = true
      break
    }
    // No match starts before this occurrence, nor at it: the next one may start after it.
    if (!matched) from = at + 1
  }
  return matches
}

/** The marker gitleaks honours (and many repositories carry) for a reviewed false positive: `// gitleaks:allow` on the line. */
const ALLOW_MARKER = 'gitleaks:allow'

function isAllowedLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset) + 1
  const newline = text.indexOf('\n', offset)
  const end = newline === -1 ? text.length : newline
  return text.slice(start, end).includes(ALLOW_MARKER)
}
