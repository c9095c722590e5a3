// A revision read from a local directory (the partner's working tree). Symbolic links are never
// followed, for listing or reading (config included): a link could point anywhere on the machine.
// Files it cannot read are reported, so the review does not pass what it did not see.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats
} from 'node:fs'
import { join } from 'node:path'
import type { FileSource, ReopenableSource } from './file-source.js'
import { normalizeRepoPath } from './file-source.js'
import { InputError } from '../input-error.js'

/** Read only; O_NOFOLLOW: a link swapped in after the checks is refused too. */
const READ_NO_LINK = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)

/** Folders that never hold integration source and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', 'dist', 'coverage', '.yarn', '.nx', '.turbo'])

export class DirectoryFileSource implements FileSource {
  readonly description: string
  private listing: string[] | undefined
  /** The root with its own links resolved: the user chose it; links below it are not followed. */
  private readonly realRoot: string
  private readonly unreadable = new Map<string, string>()
  /** Folders already checked to be real folders (not links) below the root. */
  private readonly realFolders = new Set<string>()
  /** Files already checked to be regular files reached without links. */
  private readonly realFiles = new Set<string>()
  /** Texts already read (a review reads the tree as one snapshot): the model, the rules and the suppression scan read the same files. */
  private readonly texts = new Map<string, string | undefined>()

  /** `listing`: the files another thread already listed under `root` (see `reopenable`). */
  constructor(
    private readonly root: string,
    listing?: readonly string[]
  ) {
    const stat = statSync(root, { throwIfNoEntry: false })
    if (!stat || !stat.isDirectory()) throw new InputError(`not a directory: ${root}`)
    this.description = `directory ${root}`
    this.realRoot = realpathSync(root)
    this.listing = listing === undefined ? undefined : [...listing]
  }

  reopenable(): ReopenableSource {
    return { kind: 'directory', root: this.root, listing: this.listFiles() }
  }

  listFiles(): readonly string[] {
    if (!this.listing) {
      const files: string[] = []
      const pending: string[] = ['']
      while (pending.length > 0) {
        const relative = pending.pop() as string
        let entries: Dirent[]
        try {
          entries = readdirSync(join(this.root, relative), { withFileTypes: true })
        } catch {
          continue
        }
        for (const entry of entries) {
          const path = relative ? `${relative}/${entry.name}` : entry.name
          if (entry.isDirectory()) {
            // A directory entry that is a directory (a link reports as a link): no need to lstat it again.
            if (!SKIPPED_DIRECTORIES.has(entry.name)) {
              pending.push(path)
              this.realFolders.add(path)
            }
          } else if (entry.isFile()) {
            // Listed as a regular file below real folders: reads need no lstat of their own (they open without following links).
            files.push(path)
            this.realFiles.add(path)
          } else if (entry.isSymbolicLink()) {
            this.unreadable.set(path, 'a symbolic link, not followed')
          }
        }
      }
      this.listing = files.sort()
    }
    return this.listing
  }

  readFile(path: string): string | undefined {
    const read = this.readFileWithin(path, Number.POSITIVE_INFINITY)
    return read && 'text' in read ? read.text : undefined
  }

  readFileWithin(path: string, maxBytes: number): { text: string } | { size: number } | undefined {
    const normalized = normalizeRepoPath(path)
    if (this.texts.has(normalized)) {
      const text = this.texts.get(normalized)
      return text === undefined ? undefined : { text }
    }
    const read = this.readWithin(normalized, maxBytes, true)
    // Over the bound: only the size, and nothing kept (a larger bound may read it later).
    if (read && 'size' in read) return read
    const text = read && decode(read.bytes)
    this.texts.set(normalized, text)
    return text === undefined ? undefined : { text }
  }

  prefetch(paths: readonly string[], maxBytes: number): void {
    for (const path of paths) this.readFileWithin(path, maxBytes)
  }

  /** The file's bytes, undecoded (comparing revisions needs no text); never through a link. */
  readBytes(path: string): Uint8Array | undefined {
    const read = this.readWithin(normalizeRepoPath(path), Number.POSITIVE_INFINITY, false)
    return read && 'bytes' in read ? read.bytes : undefined
  }

  /**
   * One open, one read, one close for a file under 64 KiB (most files): a regular file reads short
   * only at its end, so the read gives its size. A larger one is measured (fstat) before it is read
   * whole, so a file over `maxBytes` is not read to be refused; only its size is given.
   * `toDecode`: the bytes are decoded before the next read, so they may sit in the shared scratch
   * buffer.
   */
  private readWithin(normalized: string, maxBytes: number, toDecode: boolean): { bytes: Uint8Array } | { size: number } | undefined {
    if (!this.isFileWithoutLinks(normalized)) return undefined
    let descriptor: number | undefined
    try {
      descriptor = openSync(join(this.realRoot, normalized), READ_NO_LINK)
      // At position 0, so the file's own position stays at its start for a full read below.
      const first = readSync(descriptor, scratch, 0, FIRST_READ, 0)
      if (first < FIRST_READ) {
        if (first > maxBytes) return { size: first }
        const bytes = scratch.subarray(0, first)
        return { bytes: toDecode ? bytes : Uint8Array.prototype.slice.call(bytes) }
      }
      const stat = fstatSync(descriptor)
      if (!stat.isFile()) return undefined
      if (stat.size > maxBytes) return { size: stat.size }
      return { bytes: readToEnd(descriptor, stat.size, toDecode) }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // EISDIR: a folder put in the file's place since it was listed; it is not a file to read.
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR')
        this.unreadable.set(normalized, `could not be read (${code ?? 'error'})`)
      return undefined
    } finally {
      if (descriptor !== undefined) closeSync(descriptor)
    }
  }

  sameBytesAs(other: FileSource, path: string): boolean | undefined {
    if (!(other instanceof DirectoryFileSource)) return undefined
    const normalized = normalizeRepoPath(path)
    if (!this.insideWithoutLinks(normalized) || !other.insideWithoutLinks(normalized)) return undefined
    let mine: number | undefined
    let theirs: number | undefined
    try {
      // No fstat: both are listed as regular files (a folder swapped in fails its read), and
      // files of different sizes differ in their first chunk already.
      mine = openSync(join(this.realRoot, normalized), READ_NO_LINK)
      theirs = openSync(join(other.realRoot, normalized), READ_NO_LINK)
      return sameContents(mine, theirs)
    } catch {
      // Read errors are reported by the reads the caller falls back to.
      return undefined
    } finally {
      if (mine !== undefined) closeSync(mine)
      if (theirs !== undefined) closeSync(theirs)
    }
  }

  fileSize(path: string): number | undefined {
    const stat = this.statWithoutLinks(normalizeRepoPath(path))
    return stat?.isFile() ? stat.size : undefined
  }

  unreadableFiles(): ReadonlyArray<{ path: string; reason: string }> {
    return [...this.unreadable].map(([path, reason]) => ({ path, reason }))
  }

  /** True when no segment of the path (folders included) is a symbolic link. */
  private insideWithoutLinks(normalized: string): boolean {
    return this.realFiles.has(normalized) || this.statWithoutLinks(normalized) !== undefined
  }

  /**
   * True for a regular file reached without links (listed as one, or checked now): a path that is
   * a folder, a pipe or a device when it is asked about is not opened.
   */
  private isFileWithoutLinks(normalized: string): boolean {
    return this.realFiles.has(normalized) || this.statWithoutLinks(normalized)?.isFile() === true
  }

  /** The file's own lstat when no segment of the path (folders included) is a symbolic link; undefined otherwise. */
  private statWithoutLinks(normalized: string): Stats | undefined {
    if (normalized === '' || normalized.split('/').includes('..')) return undefined
    const segments = normalized.split('/')
    let relative = ''
    for (let index = 0; index < segments.length; index++) {
      relative = relative ? `${relative}/${segments[index]}` : segments[index]
      const folder = index < segments.length - 1
      if (folder && this.realFolders.has(relative)) continue
      const stat = lstatSync(join(this.realRoot, relative), { throwIfNoEntry: false })
      if (!stat) return undefined
      if (stat.isSymbolicLink()) {
        this.unreadable.set(normalized, 'reached through a symbolic link, not followed')
        return undefined
      }
      if (folder && stat.isDirectory()) this.realFolders.add(relative)
      if (!folder) {
        // Reads open with O_NOFOLLOW and check the type again, so a link swapped in later is still refused.
        if (stat.isFile()) this.realFiles.add(normalized)
        return stat
      }
    }
    return undefined
  }
}

function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
}

/** Files read to be decoded at once share one buffer: a review reads thousands, and allocates none per file. */
const SCRATCH_LIMIT = 4 * 1024 * 1024
/** The first read of a file, in bytes: most files end within it. */
const FIRST_READ = 64 * 1024
let scratch = Buffer.allocUnsafe(FIRST_READ)

/**
 * Reads an open file to its end: `expected` bytes as its size said, more if it grew meanwhile.
 * `transient`: into the scratch buffer when it fits (the caller copies or decodes before the next read).
 */
function readToEnd(descriptor: number, expected: number, transient: boolean): Uint8Array {
  // One byte more than expected: a file that grew is noticed, and read to its end.
  if (transient && expected < SCRATCH_LIMIT && scratch.length <= expected)
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_LIMIT, 2 * (expected + 1)))
  let buffer = transient && expected < scratch.length ? scratch : Buffer.allocUnsafe(Math.max(expected + 1, 64))
  let length = 0
  for (;;) {
    if (length === buffer.length) {
      const larger = Buffer.allocUnsafe(buffer.length * 2)
      buffer.copy(larger, 0, 0, length)
      buffer = larger
    }
    const wanted = buffer.length - length
    const count = readSync(descriptor, buffer, length, wanted, null)
    length += count
    // A regular file reads short only at its end: no further read to be told so.
    if (count < wanted) return buffer.subarray(0, length)
  }
}

/** Two reusable chunks: comparing two trees reads thousands of files, and allocates nothing per file. */
const COMPARE_CHUNK = 64 * 1024
const compareBuffers = [Buffer.allocUnsafe(COMPARE_CHUNK), Buffer.allocUnsafe(COMPARE_CHUNK)] as const

/**
 * Whether two open regular files hold the same bytes to their ends, read chunk by chunk. A regular
 * file reads short only at its end (as in readToEnd), so a file under one chunk takes one read.
 */
function sameContents(first: number, second: number): boolean {
  const [left, right] = compareBuffers
  for (;;) {
    const leftLength = readSync(first, left, 0, left.length, null)
    const rightLength = readSync(second, right, 0, right.length, null)
    if (leftLength !== rightLength) return false
    if (left.compare(right, 0, rightLength, 0, leftLength) !== 0) return false
    if (leftLength < left.length) return true
  }
}
