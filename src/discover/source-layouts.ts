// Where cloud event sources live, and how their entry is found: a source's folder may hold an
// `index.ts`, an `index.js`, a `src/index.ts`, or only a bundled file declaring `onRequest`.
import type { FileSource } from '../source/file-source.js'
import type { IntegrationLayout } from './integration-layouts.js'
import picomatch from 'picomatch'
import type { IntegrationLocation } from './discover-integrations.js'

const SOURCE_ENTRIES = ['index.ts', 'index.js', 'src/index.ts']

export const SOURCE_LAYOUTS: IntegrationLayout[] = [
  { kind: 'cloud-source', root: 'sources/*', entry: SOURCE_ENTRIES, handler: 'onRequest' },
  { kind: 'cloud-source', root: 'packages/sources/*', entry: SOURCE_ENTRIES, handler: 'onRequest' }
]

/** A layout root as a matcher, made once per root (picomatch compiles a pattern to a regex on every call otherwise). */
const rootMatchers = new Map<string, (path: string) => boolean>()
const MAX_ROOT_MATCHERS = 1000

export function layoutRootMatches(root: string, path: string): boolean {
  let matches = rootMatchers.get(root)
  if (!matches) {
    if (rootMatchers.size >= MAX_ROOT_MATCHERS) rootMatchers.clear()
    rootMatchers.set(root, (matches = picomatch(root, { dot: false })))
  }
  return matches(path)
}

export function entryCandidates(layout: IntegrationLayout): string[] {
  return typeof layout.entry === 'string' ? [layout.entry] : layout.entry
}

const CODE_FILE = /\.(ts|js|mjs|cjs)$/
const DECLARATION_FILE = /\.d\.ts$/

/** The entry file of an integration folder in this revision, or undefined when it has none. */
export function existingEntry(
  location: IntegrationLocation,
  layouts: IntegrationLayout[],
  files: ReadonlySet<string>,
  source: FileSource
): string | undefined {
  const layout = layouts.find((candidate) => candidate.kind === location.kind && layoutRootMatches(candidate.root, location.path))
  if (!layout) return files.has(location.entryPath) ? location.entryPath : undefined
  for (const entry of entryCandidates(layout)) if (files.has(`${location.path}/${entry}`)) return `${location.path}/${entry}`
  if (!layout.handler) return undefined
  return handlerFile(location.path, layout.handler, files, source)
}

/** The first code file directly in the folder or its `src/` that declares the handler function. */
function handlerFile(folder: string, handler: string, files: ReadonlySet<string>, source: FileSource): string | undefined {
  const declares = new RegExp(`\\b(?:function\\s*\\*?\\s*${handler}\\s*\\(|(?:const|let|var)\\s+${handler}\\s*=|exports\\.${handler}\\s*=)`)
  const candidates = [...files]
    .filter((path) => {
      if (!CODE_FILE.test(path) || DECLARATION_FILE.test(path)) return false
      const rest = path.slice(folder.length + 1)
      return path.startsWith(`${folder}/`) && (!rest.includes('/') || (rest.startsWith('src/') && !rest.slice(4).includes('/')))
    })
    .sort()
  return candidates.find((path) => declares.test(source.readFile(path) ?? ''))
}
