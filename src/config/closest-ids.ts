// Suggestions for a misspelt id (a rule id in a config, a command, `explain`): no dependencies, so
// the light CLI commands can use it without loading the config schema or the rules.

/** The known ids nearest to a misspelt one (edit distance), best first. */
export function closestIds(id: string, knownIds: readonly string[], count = 3): string[] {
  const scored = knownIds.map((known) => ({ known, distance: editDistance(id.toLowerCase(), known.toLowerCase()) }))
  const name = id.split('/').pop() ?? id
  const limit = Math.max(3, Math.floor(id.length / 3))
  const lower = id.toLowerCase()
  return scored
    .filter(
      (entry) =>
        entry.distance <= limit || entry.known.endsWith(`/${name}`) || (lower.length >= 3 && entry.known.toLowerCase().includes(lower))
    )
    .sort((a, b) => a.distance - b.distance || a.known.localeCompare(b.known))
    .slice(0, count)
    .map((entry) => entry.known)
}

function editDistance(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) return Math.abs(a.length - b.length) + 200
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
