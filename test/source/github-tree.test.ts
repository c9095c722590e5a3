// The GitHub-tree pieces of src/source against an in-memory repository that speaks GitTreeReader:
// a listing cut short is walked folder by folder, a blob is asked for once, binary content is not text.
import { describe, expect, it } from 'vitest'
import { BlobCache } from '../../src/source/blob-cache.js'
import { BlobTexts } from '../../src/source/blob-texts.js'
import { listCommitBlobs } from '../../src/source/commit-blobs.js'
import type { GitTreeItem, GitTreeListing, GitTreeReader } from '../../src/source/git-tree-reader.js'
import { PathListing } from '../../src/source/path-listing.js'

/** Trees by id; `truncated` lists the trees whose recursive listing the host cuts short. */
class MemoryRepository implements GitTreeReader {
  readonly treeReads: string[] = []
  readonly blobReads: string[] = []

  constructor(
    private readonly trees: Record<string, GitTreeItem[]>,
    private readonly blobs: Record<string, Buffer>,
    private readonly truncated: ReadonlySet<string> = new Set()
  ) {}

  async readTree(treeSha: string, recursive: boolean): Promise<GitTreeListing> {
    this.treeReads.push(`${treeSha}${recursive ? ' recursive' : ''}`)
    const items = recursive ? this.below(treeSha, '') : this.trees[treeSha]
    if (!items) throw new Error(`no tree ${treeSha}`)
    return { items, truncated: recursive && this.truncated.has(treeSha) }
  }

  async readBlob(blobSha: string): Promise<Buffer> {
    this.blobReads.push(blobSha)
    await new Promise((resolve) => setImmediate(resolve))
    const bytes = this.blobs[blobSha]
    if (!bytes) throw new Error(`no blob ${blobSha}`)
    return bytes
  }

  private below(treeSha: string, prefix: string): GitTreeItem[] {
    return (this.trees[treeSha] ?? []).flatMap((item) => [
      { ...item, path: `${prefix}${item.path}` },
      ...(item.type === 'tree' ? this.below(item.sha, `${prefix}${item.path}/`) : [])
    ])
  }
}

const TREES: Record<string, GitTreeItem[]> = {
  root: [
    { path: 'packages', type: 'tree', sha: 't-packages' },
    { path: 'README.md', type: 'blob', sha: 'b-readme', size: 6 }
  ],
  't-packages': [
    { path: 'acme', type: 'tree', sha: 't-acme' },
    { path: 'other', type: 'tree', sha: 't-other' }
  ],
  't-acme': [
    { path: 'index.ts', type: 'blob', sha: 'b-index', size: 20 },
    { path: 'vendor', type: 'commit', sha: 'c-submodule' }
  ],
  't-other': [{ path: 'big.ts', type: 'blob', sha: 'b-big', size: 9000 }]
}

describe('listCommitBlobs', () => {
  it('takes every blob of a whole listing, and no trees or submodules', async () => {
    const repository = new MemoryRepository(TREES, {})
    const entries = await listCommitBlobs(repository, 'root', { folders: [], files: [] }, () => expect.unreachable())
    expect([...entries.values()]).toEqual([
      { path: 'packages/acme/index.ts', sha: 'b-index', size: 20 },
      { path: 'packages/other/big.ts', sha: 'b-big', size: 9000 },
      { path: 'README.md', sha: 'b-readme', size: 6 }
    ])
    expect(repository.treeReads).toEqual(['root recursive'])
  })

  it('past a truncated listing, walks down to the needed folders and files, each tree listed once, and reports a listing still cut short', async () => {
    const repository = new MemoryRepository(TREES, {}, new Set(['root', 't-acme']))
    const cutShort: string[] = []
    const entries = await listCommitBlobs(
      repository,
      'root',
      { folders: ['packages/acme', 'packages/missing'], files: ['README.md'] },
      (tree) => cutShort.push(tree)
    )
    expect(cutShort).toEqual(['t-acme'])
    expect(entries.get('packages/acme/index.ts')).toEqual({ path: 'packages/acme/index.ts', sha: 'b-index', size: 20 })
    expect(entries.has('README.md')).toBe(true)
    expect(repository.treeReads).toEqual(['root recursive', 'root', 't-packages', 't-acme recursive'])
  })
})

describe('BlobTexts', () => {
  it('asks for a blob once even when asked twice at the same time, then answers from the cache', async () => {
    const repository = new MemoryRepository({}, { a: Buffer.from('alpha'), b: Buffer.from('beta') })
    const cache = new BlobCache()
    const texts = new BlobTexts(repository, cache)
    expect(await texts.textsOf(['a', 'b', 'a'], 3)).toEqual(['alpha', 'beta', 'alpha'])
    expect(repository.blobReads.sort()).toEqual(['a', 'b'])
    expect(await new BlobTexts(repository, cache).textOf('b')).toBe('beta')
    expect(repository.blobReads).toHaveLength(2)
    expect(texts.counts).toEqual({ fetched: 2, fromCache: 0 })
  })

  it('says a blob with NUL bytes is not text, and does not cache it', async () => {
    const repository = new MemoryRepository({}, { bin: Buffer.from([0x50, 0x00, 0x4b]) })
    const cache = new BlobCache()
    expect(await new BlobTexts(repository, cache).textOf('bin')).toBeUndefined()
    expect(cache.get('bin')).toBeUndefined()
  })

  it('passes a failed read on to the caller', async () => {
    await expect(new BlobTexts(new MemoryRepository({}, {}), new BlobCache()).textOf('gone')).rejects.toThrow('no blob gone')
  })
})

describe('PathListing', () => {
  it('lists the paths sorted and reads no content', () => {
    const listing = new PathListing(['b.ts', 'a/c.ts'])
    expect(listing.listFiles()).toEqual(['a/c.ts', 'b.ts'])
    expect(listing.readFile()).toBeUndefined()
  })
})
