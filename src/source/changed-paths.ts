// Which paths differ between two revisions, reading as little as possible: paths first, then
// sizes, then a content identity the source already knows (a git blob id), and bytes only for
// files whose size is equal and whose identity is unknown. Two local directories compare each
// file with one open on each side and its bytes through reused buffers (one read a side under
// 64 KiB; files of different sizes differ in their first chunk).
import { timed } from '../phase-timing.js'
import type { FileSource } from './file-source.js'

/** Paths whose content differs between two revisions (added, removed or modified), sorted. */
export function changedPathsBetween(head: FileSource, base: FileSource): string[] {
  return timed('changed paths', () => {
    const changed: string[] = []
    const baseFiles = new Set(base.listFiles())
    const headFiles = new Set(head.listFiles())
    for (const path of headFiles) {
      if (!baseFiles.has(path) || !sameContent(head, base, path)) changed.push(path)
    }
    for (const path of baseFiles) if (!headFiles.has(path)) changed.push(path)
    return changed.sort()
  })
}

function sameContent(head: FileSource, base: FileSource, path: string): boolean {
  const known = head.sameBytesAs?.(base, path)
  if (known !== undefined) return known
  const headSize = head.fileSize?.(path)
  const baseSize = base.fileSize?.(path)
  if (headSize !== undefined && baseSize !== undefined && headSize !== baseSize) return false
  const headId = head.contentId?.(path)
  const baseId = base.contentId?.(path)
  if (headId !== undefined && baseId !== undefined) return headId === baseId
  if (head.readBytes && base.readBytes) {
    const headBytes = head.readBytes(path)
    const baseBytes = base.readBytes(path)
    if (headBytes === undefined || baseBytes === undefined) return headBytes === baseBytes
    return Buffer.compare(headBytes, baseBytes) === 0
  }
  return head.readFile(path) === base.readFile(path)
}
