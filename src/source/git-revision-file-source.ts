// A revision of a local git repository, read with plumbing commands: no checkout,
// the working tree is never touched.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import type { FileSource, ReopenableSource } from './file-source.js'
import { normalizeRepoPath } from './file-source.js'
import { InputError } from '../input-error.js'
import { pathsWithPrefix } from './sorted-paths.js'

/**
 * A read fetches the requested file's folder (with its subfolders) in one `git cat-file --batch`,
 * as the review reads an integration's files together; a folder bigger than this is read by its
 * direct files only, or file by file.
 */
const MAX_BATCH_FILES = 400
const MAX_BATCH_BYTES = 8 * 1024 * 1024

const MAX_GIT_OUTPUT = 256 * 1024 * 1024

const execFileAsync = promisify(execFile)

/** A revision already resolved and listed (see `GitRevisionFileSource.open`). */
interface ListedRevision {
  commit: string
  listing: string
}

interface TreeEntry {
  blob: string
  size: number
}

const LS_TREE = ['ls-tree', '-r', '-z', '--long']

/** A git command's output, without blocking this thread. */
export async function gitAsync(repoDir: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-C', repoDir, ...args], { encoding: 'utf8', maxBuffer: MAX_GIT_OUTPUT })
  return stdout
}

/** The `git rev-parse` arguments that name a revision's commit; an option-like revision is refused. */
function commitQuery(revision: string): string[] {
  if (revision.startsWith('-')) throw new InputError(`invalid git revision: ${revision}`)
  return ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]
}

function revisionNotFound(repoDir: string, revision: string): InputError {
  return new InputError(`git revision not found in ${repoDir}: ${revision}`)
}

/** The commit a revision names, without blocking this thread; an input error when there is none. */
export async function resolveCommit(repoDir: string, revision: string): Promise<string> {
  const query = commitQuery(revision)
  try {
    return (await gitAsync(repoDir, query)).trim()
  } catch {
    throw revisionNotFound(repoDir, revision)
  }
}

export class GitRevisionFileSource implements FileSource {
  readonly description: string
  readonly commit: string
  private readonly entries = new Map<string, TreeEntry>()
  private readonly sorted: string[]
  private readonly cache = new Map<string, string>()
  private readonly sizeOfBlob = new Map<string, number>()

  constructor(
    private readonly repoDir: string,
    revision: string,
    listed?: ListedRevision
  ) {
    const query = commitQuery(revision)
    if (listed) this.commit = listed.commit
    else {
      try {
        this.commit = this.git(query).trim()
      } catch {
        throw revisionNotFound(repoDir, revision)
      }
    }
    this.description = `git ${revision} (${this.commit.slice(0, 12)})`
    // Relative to repoDir: a subfolder of a repository reads as its own tree.
    const listing = listed?.listing ?? this.git(LS_TREE.concat(this.commit))
    for (const record of listing.split('\0')) {
      if (!record) continue
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const tab = record.indexOf('\t')
      const [, type, blob, size] = record.slice(0, tab).split(/ +/)
      if (type !== 'blob') continue
      this.entries.set(record.slice(tab + 1), { blob, size: Number(size) })
      this.sizeOfBlob.set(blob, Number(size))
    }
    this.sorted = [...this.entries.keys()].sort()
  }

  /**
   * The same revision, with git run in the background: the caller does other work (listing the
   * working tree, asking git what changed) while git resolves and lists the commit.
   */
  static async open(repoDir: string, revision: string, commit?: string): Promise<GitRevisionFileSource> {
    const resolved = commit ?? (await resolveCommit(repoDir, revision))
    const listing = await gitAsync(repoDir, LS_TREE.concat(resolved))
    return new GitRevisionFileSource(repoDir, revision, { commit: resolved, listing })
  }

  listFiles(): readonly string[] {
    return this.sorted
  }

  reopenable(): ReopenableSource {
    return { kind: 'git-revision', repoDir: this.repoDir, commit: this.commit }
  }

  readFile(path: string): string | undefined {
    const normalized = normalizeRepoPath(path)
    const entry = this.entries.get(normalized)
    if (!entry) return undefined
    let text = this.cache.get(entry.blob)
    if (text === undefined) {
      this.readBatch(this.batchFor(normalized))
      text = this.cache.get(entry.blob)
      if (text === undefined) {
        text = this.git(['cat-file', 'blob', entry.blob])
        this.cache.set(entry.blob, text)
      }
    }
    return text
  }

  fileSize(path: string): number | undefined {
    return this.entries.get(normalizeRepoPath(path))?.size
  }

  /** The blob id: equal ids are equal content, so comparing two revisions reads nothing. */
  contentId(path: string): string | undefined {
    return this.entries.get(normalizeRepoPath(path))?.blob
  }

  /** Blobs to fetch with `path`: its folder's files not yet read, within the batch bounds. */
  private batchFor(path: string): string[] {
    const slash = path.lastIndexOf('/')
    const folder = slash < 0 ? '' : path.slice(0, slash + 1)
    const unread = (paths: string[]) =>
      [...new Set(paths.map((candidate) => this.entries.get(candidate)!.blob))].filter((blob) => !this.cache.has(blob))
    const fits = (blobs: string[]) =>
      blobs.length <= MAX_BATCH_FILES && blobs.reduce((total, blob) => total + (this.sizeOfBlob.get(blob) ?? 0), 0) <= MAX_BATCH_BYTES
    const subtree = unread(pathsWithPrefix(this.sorted, folder))
    if (fits(subtree)) return subtree
    const direct = unread(pathsWithPrefix(this.sorted, folder).filter((candidate) => !candidate.slice(folder.length).includes('/')))
    return fits(direct) ? direct : [this.entries.get(path)!.blob]
  }

  /** Reads blobs in one `git cat-file --batch`: "<id> blob <size>\n<content>\n" for each. */
  private readBatch(blobs: string[]): void {
    if (blobs.length === 0) return
    const output = execFileSync('git', ['-C', this.repoDir, 'cat-file', '--batch'], {
      input: `${blobs.join('\n')}\n`,
      maxBuffer: MAX_GIT_OUTPUT,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let offset = 0
    while (offset < output.length) {
      const newline = output.indexOf(0x0a, offset)
      if (newline < 0) break
      const [blob, type, size] = output.subarray(offset, newline).toString('latin1').split(' ')
      if (type !== 'blob') {
        // "<id> missing": nothing follows the header.
        offset = newline + 1
        continue
      }
      const length = Number(size)
      this.cache.set(blob, output.subarray(newline + 1, newline + 1 + length).toString('utf8'))
      offset = newline + 1 + length + 1
    }
  }

  private git(args: string[]): string {
    return execFileSync('git', ['-C', this.repoDir, ...args], {
      encoding: 'utf8',
      maxBuffer: MAX_GIT_OUTPUT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  }
}
