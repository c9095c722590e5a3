// The three revisions the engine reads: a directory, a git revision (plumbing only), a map.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'
import { GitRevisionFileSource } from '../../src/source/git-revision-file-source.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { InputError } from '../../src/input-error.js'

function tempRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ir-source-'))
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' })
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'Test')
  mkdirSync(join(dir, 'src', 'a b'), { recursive: true })
  writeFileSync(join(dir, 'src', 'a b', 'one.ts'), 'export const one = 1\n')
  git('add', '.')
  git('commit', '-q', '-m', 'first')
  writeFileSync(join(dir, 'src', 'a b', 'one.ts'), 'export const one = 2\n')
  writeFileSync(join(dir, 'two.ts'), 'export const two = 2\n')
  return dir
}

describe('file sources', () => {
  it('reads a git revision without touching the working tree', () => {
    const dir = tempRepo()
    const revision = new GitRevisionFileSource(dir, 'HEAD')
    expect(revision.listFiles()).toEqual(['src/a b/one.ts'])
    expect(revision.readFile('src/a b/one.ts')).toBe('export const one = 1\n')
    expect(revision.readFile('two.ts')).toBeUndefined()
    expect(revision.fileSize('src/a b/one.ts')).toBe(21)
    expect(readFileSync(join(dir, 'src', 'a b', 'one.ts'), 'utf8')).toBe('export const one = 2\n')
  })

  it('names a missing revision or an option-like one as input errors', () => {
    const dir = tempRepo()
    expect(() => new GitRevisionFileSource(dir, 'no-such-branch')).toThrow(InputError)
    expect(() => new GitRevisionFileSource(dir, '--output=/tmp/x')).toThrow(InputError)
  })

  it('lists a directory, skipping dependency and build folders', () => {
    const dir = tempRepo()
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true })
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1\n')
    const directory = new DirectoryFileSource(dir)
    expect(directory.listFiles()).toEqual(['src/a b/one.ts', 'two.ts'])
    expect(directory.readFile('./src/a b/../a b/one.ts')).toBe('export const one = 2\n')
    expect(() => new DirectoryFileSource(join(dir, 'missing'))).toThrow(InputError)
  })

  it('reads a directory file within a size bound in one open: the text, or only the size of a larger file', () => {
    const dir = tempRepo()
    writeFileSync(join(dir, 'big.ts'), 'x'.repeat(5000))
    const directory = new DirectoryFileSource(dir)
    directory.listFiles()
    expect(directory.readFileWithin('two.ts', 100)).toEqual({ text: 'export const two = 2\n' })
    expect(directory.readFileWithin('big.ts', 4999)).toEqual({ size: 5000 })
    expect(directory.readFileWithin('big.ts', 5000)).toEqual({ text: 'x'.repeat(5000) })
    expect(directory.readFileWithin('missing.ts', 100)).toBeUndefined()
    expect(directory.readFileWithin('src', 100)).toBeUndefined()
    // Empty files and multi-byte text come back whole.
    writeFileSync(join(dir, 'empty.ts'), '')
    writeFileSync(join(dir, 'utf8.ts'), 'const é = "✓"\n')
    expect(directory.readFileWithin('empty.ts', 100)).toEqual({ text: '' })
    expect(directory.readFile('utf8.ts')).toBe('const é = "✓"\n')
    expect(Buffer.from(directory.readBytes('utf8.ts') ?? []).equals(Buffer.from('const é = "✓"\n'))).toBe(true)
  })

  it('reads files around the first read of 64 KiB whole, refuses larger ones by size, and keeps bytes apart', () => {
    const dir = tempRepo()
    const sizes = [65_535, 65_536, 65_537, 200_000]
    for (const size of sizes) writeFileSync(join(dir, `f${size}.ts`), 'y'.repeat(size - 1) + 'z')
    writeFileSync(join(dir, 'folder.ts'), 'export {}\n')
    const directory = new DirectoryFileSource(dir)
    directory.listFiles()
    for (const size of sizes) {
      expect(directory.readFileWithin(`f${size}.ts`, size - 1)).toEqual({ size })
      expect(directory.readBytes(`f${size}.ts`)?.length).toBe(size)
    }
    for (const size of sizes) expect(directory.readFileWithin(`f${size}.ts`, size)).toEqual({ text: 'y'.repeat(size - 1) + 'z' })
    // Bytes handed out are the caller's: a later read does not change them.
    const first = directory.readBytes('two.ts')
    directory.readBytes('f65535.ts')
    expect(Buffer.from(first ?? []).toString()).toBe('export const two = 2\n')
    // A listed file replaced by a folder is not a file to read, and not an unreadable one.
    rmSync(join(dir, 'folder.ts'))
    mkdirSync(join(dir, 'folder.ts'))
    expect(directory.readFileWithin('folder.ts', 1000)).toBeUndefined()
    expect(directory.unreadableFiles()).toEqual([])
  })

  it('prefetches texts within the size bound; later reads are answered from them, as one snapshot', () => {
    const dir = tempRepo()
    writeFileSync(join(dir, 'big.ts'), 'x'.repeat(5000))
    const directory = new DirectoryFileSource(dir)
    directory.listFiles()
    directory.prefetch(['two.ts', 'big.ts', 'missing.ts'], 1000)
    // Changed on disk after the prefetch: the review still sees the one snapshot it read.
    writeFileSync(join(dir, 'two.ts'), 'export const two = 3\n')
    expect(directory.readFile('two.ts')).toBe('export const two = 2\n')
    // Over the bound: not kept, so the model's read finds it too large and says so.
    expect(directory.readFileWithin('big.ts', 1000)).toEqual({ size: 5000 })
    expect(directory.readFile('missing.ts')).toBeUndefined()
    expect(directory.unreadableFiles()).toEqual([])
  })

  it('refuses a listed file that became a symbolic link before it was read', () => {
    const dir = tempRepo()
    const outside = mkdtempSync(join(tmpdir(), 'ir-outside-'))
    writeFileSync(join(outside, 'secret.ts'), 'export const secret = 1\n')
    const directory = new DirectoryFileSource(dir)
    expect(directory.listFiles()).toContain('two.ts')
    rmSync(join(dir, 'two.ts'))
    symlinkSync(join(outside, 'secret.ts'), join(dir, 'two.ts'))
    expect(directory.readFile('two.ts')).toBeUndefined()
    expect(directory.readFileWithin('two.ts', 1000)).toBeUndefined()
    expect(directory.unreadableFiles()).toEqual([{ path: 'two.ts', reason: expect.stringContaining('could not be read') as unknown }])
  })

  it('compares a file in two directories with one open each: sizes first, then bytes chunk by chunk', () => {
    const head = mkdtempSync(join(tmpdir(), 'ir-head-'))
    const base = mkdtempSync(join(tmpdir(), 'ir-base-'))
    const big = 'a'.repeat(200_000)
    const files: Record<string, [string, string]> = {
      'same.ts': ['export const x = 1\n', 'export const x = 1\n'],
      'edited.ts': ['export const x = 1\n', 'export const x = 2\n'],
      'grown.ts': ['export const x = 10\n', 'export const x = 1\n'],
      'big-same.ts': [big, big],
      'big-last-byte.ts': [`${big}b`, `${big}c`],
      // Sizes on a chunk's boundary (64 KiB): the end is found by a read of nothing.
      'one-chunk.ts': ['a'.repeat(65_536), 'a'.repeat(65_536)],
      'one-chunk-last-byte.ts': [`${'a'.repeat(65_535)}b`, `${'a'.repeat(65_535)}c`],
      'two-chunks.ts': ['a'.repeat(131_072), 'a'.repeat(131_072)],
      'empty.ts': ['', '']
    }
    for (const [path, [headText, baseText]] of Object.entries(files)) {
      writeFileSync(join(head, path), headText)
      writeFileSync(join(base, path), baseText)
    }
    const headSource = new DirectoryFileSource(head)
    const baseSource = new DirectoryFileSource(base)
    const verdicts = Object.fromEntries(Object.keys(files).map((path) => [path, headSource.sameBytesAs(baseSource, path)]))
    expect(verdicts).toEqual({
      'same.ts': true,
      'edited.ts': false,
      'grown.ts': false,
      'big-same.ts': true,
      'big-last-byte.ts': false,
      'one-chunk.ts': true,
      'one-chunk-last-byte.ts': false,
      'two-chunks.ts': true,
      'empty.ts': true
    })
    // Missing on one side, or not two directories: the caller compares as usual.
    expect(headSource.sameBytesAs(baseSource, 'missing.ts')).toBeUndefined()
    // A folder where the other side has a file cannot be read as one: unknown, not "different" nor "same".
    mkdirSync(join(head, 'folder.ts'))
    writeFileSync(join(base, 'folder.ts'), '')
    expect(headSource.sameBytesAs(baseSource, 'folder.ts')).toBeUndefined()
    expect(headSource.sameBytesAs(new MemoryFileSource({ 'same.ts': 'export const x = 1\n' }), 'same.ts')).toBeUndefined()
  })

  it('never compares through a symbolic link', () => {
    const head = mkdtempSync(join(tmpdir(), 'ir-head-'))
    const base = mkdtempSync(join(tmpdir(), 'ir-base-'))
    const outside = mkdtempSync(join(tmpdir(), 'ir-outside-'))
    writeFileSync(join(outside, 'secret.ts'), 'export const secret = 1\n')
    writeFileSync(join(base, 'linked.ts'), 'export const secret = 1\n')
    symlinkSync(join(outside, 'secret.ts'), join(head, 'linked.ts'))
    const headSource = new DirectoryFileSource(head)
    expect(headSource.sameBytesAs(new DirectoryFileSource(base), 'linked.ts')).toBeUndefined()
    expect(headSource.unreadableFiles()).toEqual([{ path: 'linked.ts', reason: 'reached through a symbolic link, not followed' }])
  })

  it('normalises paths in an in-memory revision', () => {
    const memory = new MemoryFileSource({ 'b.ts': 'b', './a/x.ts': 'x' })
    expect(memory.listFiles()).toEqual(['a/x.ts', 'b.ts'])
    expect(memory.readFile('a//x.ts')).toBe('x')
  })
})
