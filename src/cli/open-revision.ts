// Opens the revision a CLI user names: the working tree, or a git revision of it.
import { DirectoryFileSource } from '../source/directory-file-source.js'
import { GitRevisionFileSource } from '../source/git-revision-file-source.js'
import type { FileSource } from '../source/file-source.js'

export function openRevision(repoDir: string, gitRef?: string): FileSource {
  const directory = new DirectoryFileSource(repoDir)
  return gitRef === undefined ? directory : new GitRevisionFileSource(repoDir, gitRef)
}
