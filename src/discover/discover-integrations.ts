// Finds the integrations of a revision, or the ones a set of changed paths touches.
import type { FileSource } from '../source/file-source.js'
import { normalizeRepoPath } from '../source/file-source.js'
import { entryCandidates, existingEntry, layoutRootMatches } from './source-layouts.js'
import { DEFAULT_LAYOUTS, type IntegrationKind, type IntegrationLayout } from './integration-layouts.js'

export interface IntegrationLocation {
  kind: IntegrationKind
  /** The integration folder, repository-relative. */
  path: string
  /** The definition's entry file. */
  entryPath: string
  /** The folder name, used as slug when the definition has none. */
  folder: string
}

interface CompiledLayout {
  layout: IntegrationLayout
  depth: number
  /** The root's text before its first glob character: a path that does not start with it cannot match. */
  literalPrefix: string
  /** Answers by candidate root (the path's first `depth` segments): the folders of one integration share it. */
  byRoot: Map<string, IntegrationLocation | null>
}

const compiledLayouts = new WeakMap<IntegrationLayout[], CompiledLayout[]>()

function compile(layouts: IntegrationLayout[]): CompiledLayout[] {
  let compiled = compiledLayouts.get(layouts)
  if (!compiled) compiledLayouts.set(layouts, (compiled = compileLayouts(layouts)))
  return compiled
}

function compileLayouts(layouts: IntegrationLayout[]): CompiledLayout[] {
  return layouts.map((layout) => ({
    layout,
    depth: layout.root.split('/').length,
    literalPrefix: layout.root.slice(0, layout.root.search(/[*?[\]{}()!+@\\]|$/)),
    byRoot: new Map<string, IntegrationLocation | null>()
  }))
}

/**
 * Answers by folder, per layouts: the answer depends only on a path's folder, and a review asks
 * for every file of its listing and every changed path, several times. Bounded for long-lived
 * processes (the App reviews many repositories with the default layouts).
 */
const locationsByFolder = new WeakMap<IntegrationLayout[], Map<string, IntegrationLocation | undefined>>()
const MAX_REMEMBERED_FOLDERS = 20_000

/** The integration folder a path belongs to, if any. */
export function integrationOfPath(path: string, layouts: IntegrationLayout[] = DEFAULT_LAYOUTS): IntegrationLocation | undefined {
  const normalized = normalizeRepoPath(path)
  const folder = normalized.slice(0, Math.max(0, normalized.lastIndexOf('/')))
  let byFolder = locationsByFolder.get(layouts)
  if (!byFolder) locationsByFolder.set(layouts, (byFolder = new Map<string, IntegrationLocation | undefined>()))
  let location: IntegrationLocation | undefined
  if (byFolder.has(folder)) location = byFolder.get(folder)
  else {
    if (byFolder.size >= MAX_REMEMBERED_FOLDERS) byFolder.clear()
    byFolder.set(folder, (location = locationOfFolder(normalized, layouts)))
  }
  return location && { ...location }
}

function locationOfFolder(normalized: string, layouts: IntegrationLayout[]): IntegrationLocation | undefined {
  for (const compiled of compile(layouts)) {
    if (!normalized.startsWith(compiled.literalPrefix)) continue
    // The root is the path's first `depth` segments, when more follow (a file directly at the root's depth belongs to none).
    let end = -1
    for (let segment = 0; segment < compiled.depth; segment++) {
      end = normalized.indexOf('/', end + 1)
      if (end === -1) break
    }
    if (end === -1) continue
    const root = normalized.slice(0, end)
    let location = compiled.byRoot.get(root)
    if (location === undefined) {
      if (compiled.byRoot.size >= MAX_REMEMBERED_FOLDERS) compiled.byRoot.clear()
      location = layoutRootMatches(compiled.layout.root, root) ? locationFor(compiled.layout, root) : null
      compiled.byRoot.set(root, location)
    }
    if (location) return location
  }
  return undefined
}

function locationFor(layout: IntegrationLayout, root: string): IntegrationLocation {
  const star = layout.root.split('/').indexOf('*')
  return { kind: layout.kind, path: root, entryPath: `${root}/${entryCandidates(layout)[0]}`, folder: root.split('/')[star] }
}

// A review discovers the same revision several times (head and base, each analysis): once per listing.
const discovered = new WeakMap<readonly string[], WeakMap<IntegrationLayout[], IntegrationLocation[]>>()

/** Every integration of the revision whose entry file exists. */
export function discoverIntegrations(source: FileSource, layouts: IntegrationLayout[] = DEFAULT_LAYOUTS): IntegrationLocation[] {
  const files = source.listFiles()
  let byLayouts = discovered.get(files)
  if (!byLayouts) discovered.set(files, (byLayouts = new WeakMap()))
  let locations = byLayouts.get(layouts)
  if (!locations) byLayouts.set(layouts, (locations = discoverIn(source, files, layouts)))
  return locations.map((location) => ({ ...location }))
}

function discoverIn(source: FileSource, files: readonly string[], layouts: IntegrationLayout[]): IntegrationLocation[] {
  const found = new Map<string, IntegrationLocation>()
  const tried = new Set<string>()
  const fileSet = new Set(files)
  // Files of one folder share its answer (the match depends only on the folder's segments).
  const byFolder = new Map<string, IntegrationLocation | undefined>()
  for (const path of files) {
    const folder = path.slice(0, path.lastIndexOf('/') + 1)
    let location: IntegrationLocation | undefined
    if (byFolder.has(folder)) location = byFolder.get(folder)
    else byFolder.set(folder, (location = integrationOfPath(path, layouts)))
    if (!location || tried.has(location.path)) continue
    tried.add(location.path)
    const entryPath = existingEntry(location, layouts, fileSet, source)
    if (entryPath) found.set(location.path, { ...location, entryPath })
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path))
}

/** The integrations that changed paths touch (their folder exists in at least one revision). */
export function integrationsTouchedBy(
  changedPaths: readonly string[],
  layouts: IntegrationLayout[] = DEFAULT_LAYOUTS
): IntegrationLocation[] {
  const found = new Map<string, IntegrationLocation>()
  for (const path of changedPaths) {
    const location = integrationOfPath(path, layouts)
    if (location && !found.has(location.path)) found.set(location.path, location)
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path))
}

/**
 * Resolves a user-given integration path (its folder, a file inside it, or its entry) to an integration.
 */
export function findIntegration(
  source: FileSource,
  userPath: string,
  layouts: IntegrationLayout[] = DEFAULT_LAYOUTS
): IntegrationLocation | undefined {
  const normalized = normalizeRepoPath(userPath)
  const all = discoverIntegrations(source, layouts)
  return all.find((location) => normalized === location.path || normalized.startsWith(`${location.path}/`))
}
