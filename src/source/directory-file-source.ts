// A revision read from a local directory (the partner's working tree).
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import type { FileSource } from './file-source.js'
import { normalizeRepoPath } from './file-source.js'
import { InputError } from '../input-error.js'

/** Folders that never hold integration source and can be huge. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', 'dist', 'coverage', '.yarn', '.nx', '.turbo'])

export class DirectoryFileSource implements FileSource {
  readonly description: string
  private listing: string[] | undefined
  /** Texts already read (a review reads the tree as one snapshot): the model, the rules and the suppression scan read the same files. */
  private readonly texts = new Map<string, string | undefined>()

  constructor(private readonly root: string) {
    const stat = statSync(root, { throwIfNoEntry: false })
    if (!stat || !stat.isDirectory()) throw new InputError(`not a directory: ${root}`)
    this.description = `directory ${root}`
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
            if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path)
          } else if (entry.isFile()) {
            files.push(path)
          }
        }
      }
      this.listing = files.sort()
    }
    return this.listing
  }

  readFile(path: string): string | undefined {
    const normalized = normalizeRepoPath(path)
    if (this.texts.has(normalized)) return this.texts.get(normalized)
    let text: string | undefined
    try {
      text = readFileSync(join(this.root, normalized), 'utf8')
    } catch {
      text = undefined
    }
    this.texts.set(normalized, text)
    return text
  }

  readBytes(path: string): Uint8Array | undefined {
    try {
      return readFileSync(join(this.root, normalizeRepoPath(path)))
    } catch {
      return undefined
    }
  }

  fileSize(path: string): number | undefined {
    return statSync(join(this.root, normalizeRepoPath(path)), { throwIfNoEntry: false })?.size
  }
}
