// The cloud destinations registry (`destinations/index.ts` beside the destination folders): each
// `register('<metadata id>', './<folder>')` line makes a destination reachable by Segment. Read
// from the text with the TypeScript parser, never run.
import { ts } from '../model/typescript.js'
import type { FileSource } from '../source/file-source.js'
import type { IntegrationLayout } from './integration-layouts.js'

export interface Registration {
  /** Segment's metadata id, the first argument. */
  id: string
  /** The destination folder the second argument names (`./braze` → `braze`). */
  folder: string
  /** 1-based line of the call in the registry file. */
  line: number
}

/** A registry file is bigger than any real one past this: not read (a change to it is reviewed as usual). */
const MAX_REGISTRY_BYTES = 2 * 1024 * 1024

/** Registry files of the cloud-destination layouts: `<folder of the destinations>/index.ts`. */
function registryPaths(layouts: readonly IntegrationLayout[]): string[] {
  const paths = new Set<string>()
  for (const layout of layouts) {
    if (layout.kind !== 'cloud-destination' || !layout.root.endsWith('/*')) continue
    paths.add(`${layout.root.slice(0, -2)}/index.ts`)
  }
  return [...paths]
}

/** Why a registry that exists could not be read. */
class UnreadableRegistry {
  constructor(readonly reason: string) {}
}

/** The registrations in a registry file: none when it does not exist, UnreadableRegistry when it cannot be read. */
function readRegistrations(source: FileSource, path: string): Registration[] | UnreadableRegistry {
  const size = source.fileSize?.(path)
  if (size !== undefined && size > MAX_REGISTRY_BYTES) return new UnreadableRegistry(`it is larger than ${MAX_REGISTRY_BYTES} bytes`)
  const text = source.readFile(path)
  if (text === undefined) return []
  if (text.length > MAX_REGISTRY_BYTES) return new UnreadableRegistry(`it is larger than ${MAX_REGISTRY_BYTES} bytes`)
  try {
    return registrationsIn(path, text)
  } catch (error) {
    // Hostile nesting can exhaust the parser's stack: unknown, never a crash.
    return new UnreadableRegistry(
      error instanceof RangeError
        ? 'it is too deeply nested to parse'
        : `it could not be parsed (${error instanceof Error ? error.message : String(error)})`
    )
  }
}

function registrationsIn(path: string, text: string): Registration[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const registrations: Registration[] = []
  // Only top-level statements: real registries call `register` once per line at module level.
  for (const statement of file.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue
    const call = statement.expression
    if (!ts.isIdentifier(call.expression) || call.expression.text !== 'register' || call.arguments.length < 2) continue
    const [id, target] = call.arguments
    if (!ts.isStringLiteralLike(id) || !ts.isStringLiteralLike(target)) continue
    const folder = /^\.\/([^/]+)\/?$/.exec(target.text)?.[1]
    if (folder === undefined || folder === '.' || folder === '..') continue
    const line = file.getLineAndCharacterOfPosition(call.getStart(file)).line + 1
    registrations.push({ id: id.text, folder, line })
  }
  return registrations
}

export interface RegistryChange {
  /** Repository path of the registry file. */
  path: string
  /** Destination folders (repository paths) registered in head and not in base. */
  registered: string[]
  /** Destination folders registered in base and not in head. */
  unregistered: string[]
  /** Registrations of each revision (empty when the file does not exist there). */
  head: Registration[]
  base: Registration[]
  /** Set when either revision's registry could not be read: what it registers is then unknown. */
  unreadable?: string
}

/** What changed in each registry between two revisions; only registries that changed. */
export function registryChanges(
  head: FileSource,
  base: FileSource,
  changedPaths: readonly string[],
  layouts: readonly IntegrationLayout[]
): RegistryChange[] {
  const changed = new Set(changedPaths)
  const changes: RegistryChange[] = []
  for (const path of registryPaths(layouts)) {
    if (!changed.has(path)) continue
    const headRead = readRegistrations(head, path)
    const baseRead = readRegistrations(base, path)
    const unreadable = [headRead, baseRead].find((read): read is UnreadableRegistry => read instanceof UnreadableRegistry)
    const headRegistrations = headRead instanceof UnreadableRegistry ? [] : headRead
    const baseRegistrations = baseRead instanceof UnreadableRegistry ? [] : baseRead
    if (unreadable) {
      changes.push({ path, registered: [], unregistered: [], head: [], base: [], unreadable: unreadable.reason })
      continue
    }
    const folderOf = (registration: Registration) => `${path.slice(0, path.lastIndexOf('/'))}/${registration.folder}`
    const headFolders = new Set(headRegistrations.map(folderOf))
    const baseFolders = new Set(baseRegistrations.map(folderOf))
    changes.push({
      path,
      registered: [...headFolders].filter((folder) => !baseFolders.has(folder)).sort(),
      unregistered: [...baseFolders].filter((folder) => !headFolders.has(folder)).sort(),
      head: headRegistrations,
      base: baseRegistrations
    })
  }
  return changes
}

/**
 * Where a removed destination is best shown in head's registry: its own registration if head
 * still has one, else the surviving registration just before where it was, else the first line.
 */
export function registryAnchor(head: readonly Registration[], base: readonly Registration[], folder: string): number {
  const own = head.find((registration) => registration.folder === folder)
  if (own) return own.line
  const surviving = new Map(head.map((registration) => [registration.folder, registration.line]))
  const index = base.findIndex((registration) => registration.folder === folder)
  for (let before = index - 1; before >= 0; before--) {
    const line = surviving.get(base[before].folder)
    if (line !== undefined) return line
  }
  return 1
}
