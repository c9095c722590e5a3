// Where each action of an integration lives (its own folder or a shared file) and whether the
// change under review adds or touches it.
import type { IntegrationRuleContext } from '../rule.js'
import { pointerOf } from './definition-location.js'
import { isTestFile } from './integration-tests.js'
import { knownEntries } from './metadata-values.js'

export interface ActionPlacement {
  key: string
  /** The file the action object is written in. */
  file: string | undefined
  /** The action's own folder (`<integration>/<action>/`), or undefined when it shares a folder with the definition. */
  folder: string | undefined
  /** Added by the change, or its files changed. */
  changed: boolean
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

interface ChangedIndex {
  /** Changed paths that are not tests. */
  files: Set<string>
  /** Every folder holding one of them, at any depth. */
  folders: Set<string>
}

// The changed paths are the same list for every integration and rule of a review (the whole tree
// when there is no base): indexed once, not filtered again for each integration.
const changedIndexes = new WeakMap<readonly string[], ChangedIndex>()

function changedIndexOf(changedPaths: readonly string[]): ChangedIndex {
  let index = changedIndexes.get(changedPaths)
  if (!index) {
    index = { files: new Set(), folders: new Set() }
    for (const path of changedPaths) {
      if (isTestFile(path)) continue
      index.files.add(path)
      for (let folder = folderOf(path); folder !== '' && !index.folders.has(folder); folder = folderOf(folder)) index.folders.add(folder)
    }
    changedIndexes.set(changedPaths, index)
  }
  return index
}

/** The actions the model knows, with their placement and whether the change adds or touches them. */
export function actionPlacements(context: IntegrationRuleContext): ActionPlacement[] {
  const metadata = context.head.metadata
  if (!metadata) return []
  const baseActions = context.base?.metadata ? knownEntries(context.base.metadata.actions).map(([key]) => key) : undefined
  const entryFolder = folderOf(context.integration.entryPath)
  const changed = changedIndexOf(context.changedPaths)
  return knownEntries(metadata.actions).map(([key]) => {
    const file = context.head.locations.pathOf(pointerOf('actions', key))
    const fileFolder = file ? folderOf(file) : undefined
    const folder =
      fileFolder &&
      fileFolder !== entryFolder &&
      fileFolder !== context.integration.path &&
      fileFolder.startsWith(`${context.integration.path}/`)
        ? fileFolder
        : undefined
    const isNew = baseActions === undefined || !baseActions.includes(key)
    const touched = (file !== undefined && changed.files.has(file)) || (folder !== undefined && changed.folders.has(folder))
    return { key, file, folder, changed: isNew || touched }
  })
}
