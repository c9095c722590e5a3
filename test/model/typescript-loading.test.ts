// The engine loads the TypeScript compiler API from src/model/typescript.js (a plain require of
// the build ts-morph bundles), never through ts-morph itself: loading ts-morph costs start-up time
// every CLI run pays. Both give the very same compiler instance, so trees are identical.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ts as fromTsMorph } from 'ts-morph'
import { ts } from '../../src/model/typescript.js'

const SRC = join(import.meta.dirname, '..', '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry)
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : []
  })
}

describe('loading TypeScript', () => {
  it('is the same compiler instance ts-morph uses', () => {
    // ts-morph re-exports the module's members on its own object; the functions are the same ones.
    expect(ts.createSourceFile).toBe(fromTsMorph.createSourceFile)
    expect(ts.forEachChild).toBe(fromTsMorph.forEachChild)
    expect(ts.SyntaxKind).toBe(fromTsMorph.SyntaxKind)
    expect(ts.version).toBe(fromTsMorph.version)
  })

  it('never loads ts-morph at run time from src (type-only imports are fine)', () => {
    const offenders = sourceFiles(SRC).filter((path) => /^import\s+\{[^}]*\}\s+from\s+'ts-morph'/m.test(readFileSync(path, 'utf8')))
    // Fix: sed -i "s#^import { ts } from 'ts-morph'#import { ts } from '<relative path>/model/typescript.js'#" <file>
    expect(
      offenders.map((path) => relative(SRC, path)),
      'import { ts } from the model/typescript.js module instead of ts-morph'
    ).toEqual([])
  })
})
