// A revision of a local git repository, read with plumbing commands: no checkout,
// the working tree is never touched.
import { execFileSync } from 'node:child_process'
import type { FileSource } from './file-source.js'
import { normalizeRepoPath } from './file-source.js'
import { InputError } from '../input-error.js'

const MAX_GIT_OUTPUT = 256 * 1024 * 1024

interface TreeEntry {
  blob: string
  size: number
}

export class GitRevisionFileSource implements FileSource {
  readonly description: string
  readonly commit: string
  private readonly entries = new Map<string, TreeEntry>()
  private readonly sorted: string[]
  private readonly cache = new Map<string, string>()

  constructor(
    private readonly repoDir: string,
    revision: string
  ) {
    if (revision.startsWith('-')) throw new InputError(`invalid git revision: ${revision}`)
    try {
      this.commit = this.git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).trim()
    } catch {
      throw new InputError(`git revision not found in ${repoDir}: ${revision}`)
    }
    this.description = `git ${revision} (${this.commit.slice(0, 12)})`
    // Relative to repoDir: a subfolder of a repository reads as its own tree.
    const listing = this.git(['ls-tree', '-r', '-z', '--long', this.commit])
    for (const record of listing.split('\0')) {
      if (!record) continue
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const tab = record.indexOf('\t')
      const [, type, blob, size] = record.slice(0, tab).split(/ +/)
      if (type !== 'blob') continue
      this.entries.set(record.slice(tab + 1), { blob, size: Number(size) })
    }
    this.sorted = [...this.entries.keys()].sort()
  }

  listFiles(): readonly string[] {
    return this.sorted
  }

  readFile(path: string): string | undefined {
    const normalized = normalizeRepoPath(path)
    const entry = this.entries.get(normalized)
    if (!entry) return undefined
    let text = this.cache.get(entry.blob)
    if (text === undefined) {
      text = this.git(['cat-file', 'blob', entry.blob])
      this.cache.set(entry.blob, text)
    }
    return text
  }

  fileSize(path: string): number | undefined {
    return this.entries.get(normalizeRepoPath(path))?.size
  }

  private git(args: string[]): string {
    return execFileSync('git', ['-C', this.repoDir, ...args], {
      encoding: 'utf8',
      maxBuffer: MAX_GIT_OUTPUT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  }
}
