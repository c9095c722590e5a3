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

/** The actions the model knows, with their placement and whether the change adds or touches them. */
export function actionPlacements(context: IntegrationRuleContext): ActionPlacement[] {
  const metadata = context.head.metadata
  if (!metadata) return []
  const baseActions = context.base?.metadata ? knownEntries(context.base.metadata.actions).map(([key]) => key) : undefined
  const entryFolder = folderOf(context.integration.entryPath)
  const changed = context.changedPaths.filter((path) => !isTestFile(path))
  return knownEntries(metadata.actions).map(([key]) => {
    const file = context.head.locations.get(pointerOf('actions', key))?.path
    const fileFolder = file ? folderOf(file) : undefined
    const folder = fileFolder && fileFolder !== entryFolder && fileFolder !== context.integration.path && fileFolder.startsWith(`${context.integration.path}/`) ? fileFolder : undefined
    const isNew = baseActions === undefined || !baseActions.includes(key)
    const touched = changed.some((path) => path === file || (folder !== undefined && path.startsWith(`${folder}/`)))
    return { key, file, folder, changed: isNew || touched }
  })
}
