// File contents by git blob SHA, shared across reviews: a blob's content never changes, so the
// base and head of a pull request, and its next push, fetch only the blobs they have not seen.

export class BlobCache {
  private readonly entries = new Map<string, string>()
  private bytes = 0

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(sha: string): string | undefined {
    const text = this.entries.get(sha)
    if (text !== undefined) {
      // Map order is recency order: move the hit to the back.
      this.entries.delete(sha)
      this.entries.set(sha, text)
    }
    return text
  }

  set(sha: string, text: string): void {
    const size = Buffer.byteLength(text)
    if (size > this.maxBytes) return
    const previous = this.entries.get(sha)
    if (previous !== undefined) {
      this.entries.delete(sha)
      this.bytes -= Buffer.byteLength(previous)
    }
    this.entries.set(sha, text)
    this.bytes += size
    for (const [oldest, oldText] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= Buffer.byteLength(oldText)
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }
}
