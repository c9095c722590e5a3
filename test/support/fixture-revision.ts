// Loads a fixture folder (a miniature integrations repository) into an in-memory revision.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { MemoryFileSource } from '../../src/source/file-source.js'

export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry)
      if (statSync(full).isDirectory()) walk(full)
      else files[relative(root, full).split('\\').join('/')] = readFileSync(full, 'utf8')
    }
  }
  walk(root)
  return files
}

export function fixtureRevision(root: string, description = root): MemoryFileSource {
  return new MemoryFileSource(readTree(root), description)
}
