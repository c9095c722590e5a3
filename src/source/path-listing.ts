// A revision known by its paths only, no contents: enough for SourceProgram to resolve module
// specifiers while the files a review needs are still being chosen from a commit's tree.
import type { FileSource } from './file-source.js'

export class PathListing implements FileSource {
  readonly description = 'tree listing'
  private readonly paths: string[]

  constructor(paths: Iterable<string>) {
    this.paths = [...paths].sort()
  }

  listFiles(): readonly string[] {
    return this.paths
  }

  readFile(): string | undefined {
    return undefined
  }
}
