// A few token-level facts about an FQL string that `parseFql`'s output cannot show (which field
// a dropped clause named, how parentheses nest, which conditionals share a group). This is a
// tokenizer only; the meaning of a subscription always comes from Segment's `parseFql`.

type FqlTokenKind = 'string' | 'single-quoted' | 'number' | 'ident' | 'operator' | 'conditional' | 'paren-left' | 'paren-right' | 'other'

export interface FqlToken {
  kind: FqlTokenKind
  text: string
  /** Parenthesis depth the token sits at (0 outside any group). */
  depth: number
}

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>', '!']

/** Splits FQL into tokens, in one linear pass. */
export function fqlTokens(fql: string): FqlToken[] {
  const tokens: FqlToken[] = []
  let depth = 0
  let index = 0
  while (index < fql.length) {
    const char = fql[index]
    if (/\s/.test(char)) {
      index++
      continue
    }
    if (char === '"' || char === "'") {
      let end = index + 1
      while (end < fql.length && fql[end] !== char) end += fql[end] === '\\' ? 2 : 1
      const text = fql.slice(index, Math.min(end + 1, fql.length))
      tokens.push({ kind: char === '"' ? 'string' : 'single-quoted', text, depth })
      index = end + 1
      continue
    }
    if (char === '(') {
      depth++
      tokens.push({ kind: 'paren-left', text: char, depth })
      index++
      continue
    }
    if (char === ')') {
      tokens.push({ kind: 'paren-right', text: char, depth })
      depth = Math.max(0, depth - 1)
      index++
      continue
    }
    const operator = OPERATORS.find((candidate) => fql.startsWith(candidate, index))
    if (operator) {
      tokens.push({ kind: 'operator', text: operator, depth })
      index += operator.length
      continue
    }
    if (/[0-9-]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(fql.slice(index, index + 64))
      if (match) {
        tokens.push({ kind: 'number', text: match[0], depth })
        index += match[0].length
        continue
      }
    }
    if (/[A-Za-z_$\\]/.test(char)) {
      let end = index
      while (end < fql.length && /[A-Za-z0-9_$.\\-]/.test(fql[end])) end += fql[end] === '\\' ? 2 : 1
      const text = fql.slice(index, end)
      tokens.push({ kind: text === 'and' || text === 'or' ? 'conditional' : 'ident', text, depth })
      index = end
      continue
    }
    tokens.push({ kind: 'other', text: char, depth })
    index++
  }
  return tokens
}

/** The deepest parenthesis nesting of the string. */
export function maxParenDepth(tokens: readonly FqlToken[]): number {
  return tokens.reduce((max, token) => (token.kind === 'paren-left' ? Math.max(max, token.depth) : max), 0)
}

/** True when one group (same parentheses) mixes `and` with `or`. */
export function mixesConditionals(tokens: readonly FqlToken[]): boolean {
  // One entry per open group: the conditionals seen in it so far.
  const groups: Array<Set<string>> = [new Set()]
  for (const token of tokens) {
    if (token.kind === 'paren-left') groups.push(new Set())
    else if (token.kind === 'paren-right') {
      if (groups.length > 1) groups.pop()
    } else if (token.kind === 'conditional') {
      const group = groups[groups.length - 1]
      group.add(token.text)
      if (group.size > 1) return true
    }
  }
  return false
}

/** Field names used as the left side of a comparison or as the first argument of a function. */
export function comparedFields(tokens: readonly FqlToken[]): string[] {
  const fields: string[] = []
  tokens.forEach((token, index) => {
    if (token.kind !== 'ident') return
    const next = tokens[index + 1]
    const previous = tokens[index - 1]
    const beforePrevious = tokens[index - 2]
    const isComparison = next?.kind === 'operator' && next.text !== '!'
    const isFunctionArgument = previous?.kind === 'paren-left' && beforePrevious?.kind === 'ident'
    if (isComparison || isFunctionArgument) fields.push(token.text)
  })
  return fields
}

/** Names called as functions: `contains(`, `length(`. */
export function calledFunctions(tokens: readonly FqlToken[]): Array<{ name: string; firstArgument?: string; secondArgument?: FqlToken }> {
  const calls: Array<{ name: string; firstArgument?: string; secondArgument?: FqlToken }> = []
  tokens.forEach((token, index) => {
    if (token.kind !== 'ident' || tokens[index + 1]?.kind !== 'paren-left') return
    const first = tokens[index + 2]
    const comma = tokens[index + 3]
    calls.push({
      name: token.text,
      firstArgument: first?.kind === 'ident' ? first.text : undefined,
      secondArgument: comma?.kind === 'other' && comma.text === ',' ? tokens[index + 4] : undefined
    })
  })
  return calls
}

/** Comparison operators not followed by a value (`type = ` or `type = and ...`). */
export function comparisonsWithoutValue(tokens: readonly FqlToken[]): FqlToken[] {
  const missing: FqlToken[] = []
  tokens.forEach((token, index) => {
    if (token.kind !== 'operator' || token.text === '!') return
    const field = tokens[index - 1]
    if (field?.kind !== 'ident') return
    const value = tokens[index + 1]
    if (!value || !['string', 'single-quoted', 'number', 'ident'].includes(value.kind)) missing.push(field)
  })
  return missing
}

/** Bare words compared as values (`type = identify`): FQL reads them as field paths, parseFql as text. */
export function unquotedValues(tokens: readonly FqlToken[]): Array<{ field: string; value: string }> {
  const found: Array<{ field: string; value: string }> = []
  tokens.forEach((token, index) => {
    if (token.kind !== 'operator' || token.text === '!') return
    const field = tokens[index - 1]
    const value = tokens[index + 1]
    if (field?.kind !== 'ident' || value?.kind !== 'ident') return
    if (['true', 'false', 'null'].includes(value.text)) return
    found.push({ field: field.text, value: value.text })
  })
  return found
}

/**
 * The event names a subscription matches positively: `event = "X"` outside any negation.
 * `event != "X"` and clauses under `!( … )` subscribe to nothing (parseFql drops the `!` of a
 * group, so this reads the tokens); a double negation counts as positive.
 */
export function positiveEventNames(tokens: readonly FqlToken[]): string[] {
  const names: string[] = []
  // Negation of each open parenthesis group, innermost last.
  const negations: boolean[] = [false]
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]
    const current = negations[negations.length - 1]
    if (token.kind === 'operator' && token.text === '!' && tokens[index + 1]?.kind === 'paren-left') {
      negations.push(!current)
      index++
      continue
    }
    if (token.kind === 'paren-left') negations.push(current)
    else if (token.kind === 'paren-right') {
      if (negations.length > 1) negations.pop()
    } else if (token.kind === 'ident' && token.text === 'event') {
      const operator = tokens[index + 1]
      const value = tokens[index + 2]
      if (operator?.kind !== 'operator' || (operator.text !== '=' && operator.text !== '!=') || value?.kind !== 'string') continue
      if (current !== (operator.text === '!=')) continue
      names.push(unquote(value.text))
      index += 2
    }
  }
  return names
}

function unquote(text: string): string {
  const inner = text.length >= 2 && text.endsWith('"') ? text.slice(1, -1) : text.slice(1)
  return inner.replace(/\\(.)/g, '$1')
}
