// A read-only view of one revision of a repository. The engine reads nothing else,
// so the same analysis runs on a directory, a git revision, GitHub blobs or a test map.

export interface FileSource {
  /** Human-readable name of the revision, used in messages ("working tree", "git main", "head abc123"). */
  readonly description: string
  /** Every file path in the revision, repository-relative, POSIX separators, sorted. */
  listFiles(): readonly string[]
  /** The file's text, or undefined when the path is not a file of this revision. */
  readFile(path: string): string | undefined
  /**
   * The file's text when it is at most `maxBytes`, else only its size, without reading it (one
   * open where `fileSize` then `readFile` would look the file up twice); undefined as `readFile`.
   */
  readFileWithin?(path: string, maxBytes: number): { text: string } | { size: number } | undefined
  /**
   * Reads these files now and keeps their texts (those within `maxBytes`), where reading files
   * together is cheaper than as they are asked for; what cannot be read is left to the reads that
   * follow, which report it.
   */
  prefetch?(paths: readonly string[], maxBytes: number): void
  /** Byte size without reading the content, when the source knows it cheaply. */
  fileSize?(path: string): number | undefined
  /** Files of the revision it could not read (symlinks, read errors): the review does not pass them. */
  unreadableFiles?(): ReadonlyArray<{ path: string; reason: string }>
  /**
   * An identity of the content known without reading it (a git blob id): equal ids mean equal
   * content. Only compared with ids from the same kind of source.
   */
  contentId?(path: string): string | undefined
  /**
   * Whether `path` has the same bytes here and in `other`, when this source can tell cheaply (two
   * local directories: one open each, bytes compared chunk by chunk); undefined when it cannot, and
   * the caller compares.
   */
  sameBytesAs?(other: FileSource, path: string): boolean | undefined
  /** The file's bytes, undecoded: comparing revisions needs no text. */
  readBytes?(path: string): Uint8Array | undefined
  /**
   * How another thread opens this same revision (`src/source/reopen-source.ts`), for reviews split
   * across worker threads; absent for sources that live only in this thread (GitHub blobs, test maps).
   */
  reopenable?(): ReopenableSource
}

/** A revision described as plain data that a worker thread can open again. */
export type ReopenableSource =
  /** A local directory, with the listing this thread made (one snapshot of the tree for every thread). */
  | { kind: 'directory'; root: string; listing: readonly string[] }
  /** A commit of a local git repository. */
  | { kind: 'git-revision'; repoDir: string; commit: string }

/** Normalises a user- or API-supplied path to the repository-relative POSIX form. */
export function normalizeRepoPath(path: string): string {
  // Fast path: most paths are already normal (no dot segments, backslashes or empty segments).
  if (!/(^|\/)\.{1,2}(\/|$)|\/\/|\\|^\/|\/$/.test(path)) return path
  const parts: string[] = []
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.join('/')
}

/** An in-memory revision: tests, and files already fetched from the GitHub API. */
export class MemoryFileSource implements FileSource {
  private readonly files = new Map<string, string>()
  private readonly sorted: string[]

  constructor(
    files: Record<string, string> | Map<string, string>,
    readonly description = 'in-memory files'
  ) {
    const entries = files instanceof Map ? [...files.entries()] : Object.entries(files)
    for (const [path, text] of entries) this.files.set(normalizeRepoPath(path), text)
    this.sorted = [...this.files.keys()].sort()
  }

  listFiles(): readonly string[] {
    return this.sorted
  }

  readFile(path: string): string | undefined {
    return this.files.get(normalizeRepoPath(path))
  }

  fileSize(path: string): number | undefined {
    const text = this.files.get(normalizeRepoPath(path))
    return text === undefined ? undefined : Buffer.byteLength(text)
  }
}
