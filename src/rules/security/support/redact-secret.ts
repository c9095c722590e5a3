// Shows a secret the way every output of the bot may show it: its non-secret family prefix
// (or its first four characters) and its length, never the whole value.

/**
 * `ghp_…(40 chars)`. `knownPrefix` is the public part of a token family (`ghp_`, `sk_live_`);
 * without one, at most four characters are shown, and fewer for short values.
 */
export function redactSecret(secret: string, knownPrefix?: string): string {
  const length = [...secret].length
  const shown =
    knownPrefix && secret.startsWith(knownPrefix) && knownPrefix.length < length / 2
      ? knownPrefix
      : secret.slice(0, Math.min(4, Math.floor(length / 4)))
  return `${shown}…(${length} chars)`
}

/** Hides the user-info part of URLs in a text (`https://user:token@host` → `https://***@host`). */
export function redactUrlCredentials(text: string): string {
  let result = ''
  let rest = text
  for (let guard = 0; guard < 100; guard++) {
    const scheme = rest.indexOf('://')
    if (scheme < 0) break
    const authorityStart = scheme + 3
    let authorityEnd = rest.length
    for (const stop of ['/', '?', '#', ' ', '"', "'", '`']) {
      const index = rest.indexOf(stop, authorityStart)
      if (index >= 0 && index < authorityEnd) authorityEnd = index
    }
    const at = rest.lastIndexOf('@', authorityEnd - 1)
    if (at >= authorityStart) {
      result += `${rest.slice(0, authorityStart)}***`
      rest = rest.slice(at)
    } else {
      result += rest.slice(0, authorityEnd)
      rest = rest.slice(authorityEnd)
    }
  }
  return result + rest
}
