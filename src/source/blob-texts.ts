// The text of a blob, fetched once: from the shared cache when a review has seen it, otherwise
// through the reader, with blobs of the same content asked for at the same time sharing one
// request. A blob holding NUL bytes is not text (undefined) and is not cached.
import type { BlobCache } from './blob-cache.js'
import type { GitTreeReader } from './git-tree-reader.js'

export class BlobTexts {
  /** Blobs read through the reader, and answers served from the cache. */
  readonly counts = { fetched: 0, fromCache: 0 }
  private readonly inFlight = new Map<string, Promise<string | undefined>>()

  constructor(
    private readonly reader: Pick<GitTreeReader, 'readBlob'>,
    private readonly cache: BlobCache
  ) {}

  textOf(blobSha: string): Promise<string | undefined> {
    const cached = this.cache.get(blobSha)
    if (cached !== undefined) {
      this.counts.fromCache++
      return Promise.resolve(cached)
    }
    let pending = this.inFlight.get(blobSha)
    if (!pending) {
      pending = this.fetch(blobSha)
      this.inFlight.set(blobSha, pending)
    }
    return pending
  }

  /** The texts of many blobs, in order, at most `concurrency` requests at a time. */
  async textsOf(blobShas: readonly string[], concurrency: number): Promise<Array<string | undefined>> {
    const results = new Array<string | undefined>(blobShas.length)
    let next = 0
    const worker = async () => {
      while (next < blobShas.length) {
        const index = next++
        results[index] = await this.textOf(blobShas[index])
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, blobShas.length) }, worker))
    return results
  }

  private async fetch(blobSha: string): Promise<string | undefined> {
    const bytes = await this.reader.readBlob(blobSha)
    this.counts.fetched++
    // A NUL byte means binary content that slipped past the extension check.
    if (bytes.includes(0)) return undefined
    const text = bytes.toString('utf8')
    this.cache.set(blobSha, text)
    return text
  }
}
