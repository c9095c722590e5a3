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
