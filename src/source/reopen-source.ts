// Opens, in a worker thread, a revision another thread described (`FileSource.reopenable`).
import { DirectoryFileSource } from './directory-file-source.js'
import type { FileSource, ReopenableSource } from './file-source.js'
import { GitRevisionFileSource } from './git-revision-file-source.js'

export function reopenSource(described: ReopenableSource): FileSource {
  switch (described.kind) {
    case 'directory':
      return new DirectoryFileSource(described.root, described.listing)
    case 'git-revision':
      return new GitRevisionFileSource(described.repoDir, described.commit)
  }
}
