// The three revisions the engine reads: a directory, a git revision (plumbing only), a map.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
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

  it('normalises paths in an in-memory revision', () => {
    const memory = new MemoryFileSource({ 'b.ts': 'b', './a/x.ts': 'x' })
    expect(memory.listFiles()).toEqual(['a/x.ts', 'b.ts'])
    expect(memory.readFile('a//x.ts')).toBe('x')
  })
})
