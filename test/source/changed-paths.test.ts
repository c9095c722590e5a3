// Comparing two revisions reads as little as it can and still finds every change: a size that
// differs, an equal size with other bytes, an added and a removed file, through every source.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changedPathsBetween } from '../../src/source/changed-paths.js'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'
import { MemoryFileSource, type FileSource } from '../../src/source/file-source.js'
import { GitRevisionFileSource } from '../../src/source/git-revision-file-source.js'
import { filesUnder, pathsWithPrefix } from '../../src/source/sorted-paths.js'

const BASE: Record<string, string> = {
  'dest/a/index.ts': 'export const a = 1\n',
  'dest/a/same-size.ts': 'export const b = 1\n',
  'dest/a/unchanged.ts': 'export const c = 1\n',
  'dest/b/removed.ts': 'gone\n',
  'root.ts': 'é\n'
}
const HEAD: Record<string, string> = {
  'dest/a/index.ts': 'export const a = 100\n',
  'dest/a/same-size.ts': 'export const b = 2\n',
  'dest/a/unchanged.ts': 'export const c = 1\n',
  'dest/c/added.ts': 'new\n',
  'root.ts': 'é\n'
}
const EXPECTED = ['dest/a/index.ts', 'dest/a/same-size.ts', 'dest/b/removed.ts', 'dest/c/added.ts']

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

/** Counts what the comparison asks of a source. */
function counting(source: FileSource) {
  const calls = { readFile: 0, readBytes: 0 }
  const wrapped: FileSource = {
    description: source.description,
    listFiles: () => source.listFiles(),
    readFile: (path) => (calls.readFile++, source.readFile(path)),
    fileSize: source.fileSize && ((path) => source.fileSize!(path)),
    contentId: source.contentId && ((path) => source.contentId!(path)),
    readBytes: source.readBytes && ((path) => (calls.readBytes++, source.readBytes!(path)))
  }
  return { source: wrapped, calls }
}

describe('changed paths between two revisions', () => {
  it('finds added, removed, resized and same-size changes in memory', () => {
    expect(changedPathsBetween(new MemoryFileSource(HEAD), new MemoryFileSource(BASE))).toEqual(EXPECTED)
  })

  it('compares two directories by size, then bytes only for files of equal size, never as text', () => {
    const work = mkdtempSync(join(tmpdir(), 'ir-changed-'))
    writeTree(join(work, 'head'), HEAD)
    writeTree(join(work, 'base'), BASE)
    const head = counting(new DirectoryFileSource(join(work, 'head')))
    const base = counting(new DirectoryFileSource(join(work, 'base')))
    expect(changedPathsBetween(head.source, base.source)).toEqual(EXPECTED)
    // index.ts differs in size: not read. same-size.ts, unchanged.ts and root.ts are read as bytes.
    expect(head.calls).toEqual({ readFile: 0, readBytes: 3 })
    expect(base.calls).toEqual({ readFile: 0, readBytes: 3 })
  })

  it('compares two git revisions by blob id without reading a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-changed-git-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' }).toString()
    git('init', '-q', '-b', 'main')
    writeTree(dir, BASE)
    git('add', '-A')
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'base')
    git('rm', '-q', 'dest/b/removed.ts')
    writeTree(dir, HEAD)
    git('add', '-A')
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'head')
    const head = counting(new GitRevisionFileSource(dir, 'HEAD'))
    const base = counting(new GitRevisionFileSource(dir, 'HEAD~1'))
    expect(changedPathsBetween(head.source, base.source)).toEqual(EXPECTED)
    expect(head.calls.readFile + base.calls.readFile).toBe(0)
  })

  it('reads a git revision folder by folder in one batch, with the same text as file by file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-batch-git-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' }).toString()
    git('init', '-q', '-b', 'main')
    writeTree(dir, { ...HEAD, 'dest/a/empty.ts': '', 'dest/a/nested/deep.ts': 'export {}\n', 'dest/a/copy.ts': 'export const c = 1\n' })
    git('add', '-A')
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'one')
    const revision = new GitRevisionFileSource(dir, 'HEAD')
    const copy = mkdtempSync(join(tmpdir(), 'ir-batch-copy-'))
    cpSync(dir, copy, { recursive: true })
    const directory = new DirectoryFileSource(copy)
    for (const path of revision.listFiles()) expect(revision.readFile(path), path).toBe(directory.readFile(path))
    expect(revision.readFile('dest/a/missing.ts')).toBeUndefined()
  })

  it('finds the files under a folder in a sorted list, and in an unsorted one', () => {
    const sorted = ['a/x', 'a/y/z', 'ab/c', 'b']
    expect(pathsWithPrefix(sorted, 'a/')).toEqual(['a/x', 'a/y/z'])
    expect(filesUnder(sorted, 'a')).toEqual(['a/x', 'a/y/z'])
    expect(filesUnder(['b', 'a/y/z', 'ab/c', 'a/x'], 'a')).toEqual(['a/y/z', 'a/x'])
    expect(filesUnder(sorted, 'c')).toEqual([])
  })
})
