// Range look-ups in a sorted path list: the files under a folder are one contiguous run, found
// by binary search instead of filtering the whole repository for each integration.

/** The paths in `sorted` that start with `prefix`, in order. */
export function pathsWithPrefix(sorted: readonly string[], prefix: string): string[] {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle] < prefix) low = middle + 1
    else high = middle
  }
  const found: string[] = []
  for (let index = low; index < sorted.length && sorted[index].startsWith(prefix); index++) found.push(sorted[index])
  return found
}

const sortedness = new WeakMap<readonly string[], boolean>()

/** True when the list is in ascending code-unit order (what `FileSource.listFiles` promises); checked once per list. */
function isSortedList(paths: readonly string[]): boolean {
  let sorted = sortedness.get(paths)
  if (sorted === undefined) {
    sorted = true
    for (let index = 1; index < paths.length && sorted; index++) if (paths[index - 1] > paths[index]) sorted = false
    sortedness.set(paths, sorted)
  }
  return sorted
}

/** The files of a revision under `folder` (repository-relative, no trailing slash). */
export function filesUnder(paths: readonly string[], folder: string): string[] {
  const prefix = `${folder}/`
  return isSortedList(paths) ? pathsWithPrefix(paths, prefix) : paths.filter((path) => path.startsWith(prefix))
}
