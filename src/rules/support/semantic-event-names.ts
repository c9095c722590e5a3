// Is an event name a near miss of a Segment Spec semantic event? Exact Spec names pass; names
// that differ only in case or separators, by a small edit, by word order (v1 style), or that are
// a known alias or synonym are near misses. Names far from every Spec name pass.
import type { SegmentSpec } from '../../spec/segment-spec.js'

export interface NearMiss {
  /** The Spec name the event should use. */
  specName: string
  /** Why the name was matched, for the message. */
  reason: string
  /** False when the suggestion is a spelling fix of a custom name rather than a Spec event. */
  isSpecEvent: boolean
  /**
   * True for names that are deliberate alternatives rather than slips (a synonym, a v1 name, the
   * words reordered): some customers' sources send them, so the mismatch needs a human's judgement.
   */
  alternative?: true
}

/**
 * Names Segment's own docs list as v1 aliases, and synonyms seen in partner code or named by the
 * partner docs (a "Purchase" for "Order Completed" gets a source rejected). Keys are compared
 * case-insensitively.
 */
const KNOWN_ALIASES: Record<string, string> = {
  'viewed product category': 'Product List Viewed',
  'started order': 'Checkout Started',
  'updated order': 'Order Updated',
  purchase: 'Order Completed',
  purchased: 'Order Completed',
  'purchase completed': 'Order Completed',
  'sign up': 'Signed Up',
  signup: 'Signed Up',
  'sign in': 'Signed In',
  login: 'Signed In',
  'log in': 'Signed In',
  'logged in': 'Signed In',
  'sign out': 'Signed Out',
  logout: 'Signed Out',
  'log out': 'Signed Out',
  'logged out': 'Signed Out',
  install: 'Application Installed',
  'app installed': 'Application Installed',
  'app opened': 'Application Opened',
  'add to cart': 'Product Added',
  'added to cart': 'Product Added',
  'remove from cart': 'Product Removed',
  'removed from cart': 'Product Removed'
}

/**
 * Past-tense words common in event names but absent from the Spec's own names; together with the
 * Spec's words they catch misspellings such as "User Subscibed".
 */
const COMMON_EVENT_VERBS = [
  'Subscribed',
  'Registered',
  'Submitted',
  'Purchased',
  'Requested',
  'Scheduled',
  'Converted',
  'Qualified',
  'Activated',
  'Deactivated',
  'Downloaded',
  'Uploaded',
  'Confirmed',
  'Accepted',
  'Declined',
  'Abandoned'
]

/** A word must be this long before a one-letter slip in it counts as a typo (short words collide). */
const MIN_TYPO_WORD_LENGTH = 8

/** Correct spellings one letter from a vocabulary word (American "canceled" beside the Spec's "Cancelled"). */
const NOT_TYPOS = new Set(['canceled'])

interface SpecNameIndex {
  names: string[]
  /** The Spec names with an edit budget (normalised, with the edits allowed), in the Spec's order. */
  editTargets: Array<{ name: string; normalised: string; cap: number }>
  exact: Set<string>
  byNormalised: Map<string, string>
  byWordSet: Map<string, string>
  vocabulary: Set<string>
  legacy: Map<string, string>
  /** Answers already given: the same event names recur in every action, integration and base. */
  nearMisses: Map<string, NearMiss | undefined>
}

/** Answers remembered per Spec before the memo starts over (names come from partner code). */
const NEAR_MISS_CACHE_LIMIT = 1000

const indexes = new WeakMap<SegmentSpec, SpecNameIndex>()

/** The semantic event names of the Spec, in the Spec's order. */
export function semanticEventNames(spec: SegmentSpec): string[] {
  return indexOf(spec).names
}

function indexOf(spec: SegmentSpec): SpecNameIndex {
  const known = indexes.get(spec)
  if (known) return known
  const names = spec.semanticEvents.categories.flatMap((category) => category.events.map((event) => event.name))
  const index: SpecNameIndex = {
    names,
    editTargets: names
      .map((name) => {
        const normalised = normalise(name)
        return { name, normalised, cap: allowedEdits(normalised.length) }
      })
      .filter((target) => target.cap > 0),
    exact: new Set(names),
    byNormalised: new Map(names.map((name) => [normalise(name), name])),
    byWordSet: new Map(names.map((name) => [wordSetKey(name), name])),
    vocabulary: new Set([...names.flatMap((name) => words(name)), ...COMMON_EVENT_VERBS.map((word) => word.toLowerCase())]),
    legacy: new Map(),
    nearMisses: new Map()
  }
  // The Spec data names the v1 e-commerce events; each maps to the v2 name with the same words.
  for (const category of spec.semanticEvents.categories) {
    const legacy = (category as { legacy?: { v1EventNames?: unknown } }).legacy
    const v1Names = Array.isArray(legacy?.v1EventNames)
      ? legacy.v1EventNames.filter((name): name is string => typeof name === 'string')
      : []
    for (const v1Name of v1Names) {
      const v2Name = index.byWordSet.get(wordSetKey(v1Name))
      if (v2Name) index.legacy.set(normalise(v1Name), v2Name)
    }
  }
  indexes.set(spec, index)
  return index
}

/** Lower case, words split on spaces, `_`, `-`, `.` and camelCase humps, joined by one space. */
function normalise(name: string): string {
  return words(name).join(' ')
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-/:]+/)
    .filter((word) => word.length > 0)
}

function wordSetKey(name: string): string {
  return [...words(name)].sort().join(' ')
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1
  let beforePrevious: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2] + 1)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > cap) return cap + 1
    beforePrevious = previous
    previous = current
  }
  return previous[b.length]
}

/** Edits allowed for a name of this length: one per seven characters, so short custom names stay apart. */
function allowedEdits(length: number): number {
  return Math.min(3, Math.floor(length / 7))
}

/**
 * The Spec name an event name nearly matches, or undefined for exact Spec names and unrelated
 * names. The answer is shared between callers: read it, do not change it.
 */
export function nearMissOfSemanticEvent(name: string, spec: SegmentSpec): Readonly<NearMiss> | undefined {
  const index = indexOf(spec)
  if (index.nearMisses.has(name)) return index.nearMisses.get(name)
  const miss = findNearMiss(name, index)
  if (index.nearMisses.size >= NEAR_MISS_CACHE_LIMIT) index.nearMisses.clear()
  index.nearMisses.set(name, miss)
  return miss
}

function findNearMiss(name: string, index: SpecNameIndex): NearMiss | undefined {
  const trimmed = name.trim()
  if (index.exact.has(name) || trimmed.length === 0 || trimmed.length > 200) return undefined
  const normalised = normalise(trimmed)
  if (trimmed !== name && index.exact.has(trimmed))
    return { specName: trimmed, reason: 'it has leading or trailing spaces', isSpecEvent: true }
  const sameWords = index.byNormalised.get(normalised)
  if (sameWords) return { specName: sameWords, reason: 'it differs from the Spec name only in case or separators', isSpecEvent: true }
  const legacy = index.legacy.get(normalised)
  if (legacy) return { specName: legacy, reason: 'it is a v1 (legacy) name of the Spec event', isSpecEvent: true, alternative: true }
  const alias = KNOWN_ALIASES[normalised]
  if (alias) return { specName: alias, reason: 'it is a common synonym of the Spec event', isSpecEvent: true, alternative: true }
  const reordered = index.byWordSet.get(wordSetKey(trimmed))
  if (reordered)
    return {
      specName: reordered,
      reason: 'it has the Spec words in another order (v1 style); the Spec uses Object Action order',
      isSpecEvent: true,
      alternative: true
    }
  let best: { name: string; distance: number } | undefined
  for (const target of index.editTargets) {
    const distance = editDistance(normalised, target.normalised, target.cap)
    if (distance <= target.cap && (!best || distance < best.distance)) best = { name: target.name, distance }
  }
  if (best)
    return {
      specName: best.name,
      reason: `it is ${best.distance} letter${best.distance === 1 ? '' : 's'} away from the Spec name`,
      isSpecEvent: true
    }
  const typo = misspelledWord(trimmed, index.vocabulary)
  if (typo)
    return {
      specName: trimmed.replace(typo.word, typo.correction),
      reason: `"${typo.word}" looks like a misspelling of "${typo.correction}"`,
      isSpecEvent: false
    }
  return undefined
}

/** A long past-tense word one slip away from a word of the event vocabulary. */
function misspelledWord(name: string, vocabulary: Set<string>): { word: string; correction: string } | undefined {
  for (const word of name.split(/[\s_-]+/)) {
    const lower = word.toLowerCase()
    if (lower.length < MIN_TYPO_WORD_LENGTH || !lower.endsWith('ed') || vocabulary.has(lower) || NOT_TYPOS.has(lower)) continue
    for (const candidate of vocabulary) {
      if (candidate.length < MIN_TYPO_WORD_LENGTH || !candidate.endsWith('ed')) continue
      // A different first letters is a prefix, not a slip: "Reactivated" is not a typo of "Deactivated".
      if (candidate.slice(0, 2) !== lower.slice(0, 2)) continue
      if (editDistance(lower, candidate, 1) <= 1) {
        const correction = word[0] === word[0].toUpperCase() ? candidate[0].toUpperCase() + candidate.slice(1) : candidate
        return { word, correction }
      }
    }
  }
  return undefined
}
