// The blobs of a commit (path, id, size), read through a GitTreeReader. When the host truncates
// the recursive listing, only the folders and files the caller needs are listed, walking down from
// the root tree one folder at a time; a listing still cut short is reported, never passed over.
import type { GitTreeItem, GitTreeReader } from './git-tree-reader.js'

export interface TreeEntry {
  path: string
  sha: string
  size: number
}

interface NeededPaths {
  folders: readonly string[]
  files: readonly string[]
}

/** Every blob of the commit, or, past a truncated listing, those under `needed` (`onTruncated` hears of each listing still cut short). */
export async function listCommitBlobs(
  reader: GitTreeReader,
  commitSha: string,
  needed: NeededPaths,
  onTruncated: (treeSha: string) => void
): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>()
  const addBlobs = (items: readonly GitTreeItem[], prefix: string) => {
    for (const item of items) {
      const path = `${prefix}${item.path}`
      if (item.type === 'blob') entries.set(path, { path, sha: item.sha, size: item.size ?? 0 })
    }
  }
  const root = await reader.readTree(commitSha, true)
  addBlobs(root.items, '')
  if (!root.truncated) return entries

  const trees = new TreeWalk(reader, commitSha, onTruncated)
  for (const folder of new Set(needed.folders)) {
    const treeSha = await trees.folderSha(folder)
    if (treeSha) addBlobs(await trees.list(treeSha, true), `${folder}/`)
  }
  for (const file of new Set(needed.files)) {
    const slash = file.lastIndexOf('/')
    const folder = file.slice(0, Math.max(0, slash))
    const treeSha = await trees.folderSha(folder)
    if (treeSha)
      addBlobs(
        (await trees.list(treeSha, false)).filter((item) => item.path === file.slice(slash + 1)),
        slash < 0 ? '' : `${folder}/`
      )
  }
  return entries
}

/** Tree listings of one commit, each asked for once, and folder paths resolved to tree ids. */
class TreeWalk {
  private readonly listings = new Map<string, GitTreeItem[]>()

  constructor(
    private readonly reader: GitTreeReader,
    private readonly commitSha: string,
    private readonly onTruncated: (treeSha: string) => void
  ) {}

  async list(treeSha: string, recursive: boolean): Promise<GitTreeItem[]> {
    const key = `${treeSha}:${recursive}`
    let items = this.listings.get(key)
    if (!items) {
      const listing = await this.reader.readTree(treeSha, recursive)
      if (listing.truncated) this.onTruncated(treeSha)
      items = listing.items
      this.listings.set(key, items)
    }
    return items
  }

  /** The id of a folder's tree, or undefined when the folder does not exist in this commit. */
  async folderSha(folder: string): Promise<string | undefined> {
    let current = this.commitSha
    for (const segment of folder.split('/').filter(Boolean)) {
      const next = (await this.list(current, false)).find((item) => item.type === 'tree' && item.path === segment)
      if (!next) return undefined
      current = next.sha
    }
    return current
  }
}
