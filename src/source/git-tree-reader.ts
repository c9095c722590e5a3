// A repository's trees and blobs, read by object id from wherever the repository lives. The GitHub
// adapter implements it with the Git Trees and Blobs APIs (src/github/octokit-tree-reader.ts); the
// GitHub-tree loading in this folder knows only this interface.

export interface GitTreeItem {
  /** Relative to the tree listed. */
  path: string
  /** `blob`, `tree` or `commit` (a submodule). */
  type: string
  sha: string
  size?: number
}

export interface GitTreeListing {
  items: GitTreeItem[]
  /** The host cut the listing short (GitHub: past 100,000 entries or 7 MB). */
  truncated: boolean
}

export interface GitTreeReader {
  /** One tree's entries (a commit id names its root tree); `recursive` lists every entry below it. */
  readTree(treeSha: string, recursive: boolean): Promise<GitTreeListing>
  /** A blob's bytes. */
  readBlob(blobSha: string): Promise<Buffer>
}
