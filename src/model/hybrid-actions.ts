// Segment registers some cloud and browser destinations under one metadata id; its tooling
// then merges the browser actions into the cloud definition (`getManifest` in the actions CLI),
// so the cloud destination's published metadata lists both. This reproduces that merge from
// the two registries' `register('<id>', '<module>')` calls, read as text.
import { ts } from './typescript.js'
import type { SourceProgram } from './source-program.js'
import type { StaticEvaluator } from './static-evaluator.js'
import { isPlainObject, partialReason, spreadInto, type StaticObject, type StaticValue } from './static-values.js'

const CLOUD_REGISTRY_PATH = 'packages/destination-actions/src/destinations/index.ts'
const BROWSER_MANIFEST_PATH = 'packages/destinations-manifest/src/index.ts'
const BROWSER_DESTINATIONS_ROOT = 'packages/browser-destinations/destinations'

/** `register('<id>', '<module>')` calls with literal arguments, in order. */
function registrations(program: SourceProgram, path: string): Array<{ id: string; module: string }> {
  const file = program.getFile(path)
  if (!file) return []
  const found: Array<{ id: string; module: string }> = []
  for (const statement of file.sourceFile.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue
    const call = statement.expression
    const [id, module] = call.arguments
    if (
      ts.isIdentifier(call.expression) &&
      call.expression.text === 'register' &&
      id &&
      module &&
      ts.isStringLiteral(id) &&
      ts.isStringLiteral(module)
    ) {
      found.push({ id: id.text, module: module.text })
    }
  }
  return found
}

/** The browser destination folder registered under the same id as a cloud destination folder, if any. */
function hybridBrowserFolder(program: SourceProgram, cloudFolder: string): string | undefined {
  const cloud = registrations(program, CLOUD_REGISTRY_PATH).find(
    (entry) => entry.module.replace(/^\.\//, '').replace(/\/index$/, '') === cloudFolder
  )
  if (!cloud) return undefined
  const browser = registrations(program, BROWSER_MANIFEST_PATH).find((entry) => entry.id === cloud.id)
  if (!browser) return undefined
  const prefix = `${BROWSER_DESTINATIONS_ROOT}/`
  for (const path of program.source.listFiles()) {
    if (!path.startsWith(prefix) || !path.endsWith('/package.json') || path.split('/').length !== 5) continue
    try {
      const name = (JSON.parse(program.source.readFile(path) ?? '{}') as { name?: unknown }).name
      if (name === browser.module) return path.slice(0, -'/package.json'.length)
    } catch {
      continue
    }
  }
  return undefined
}

/**
 * The cloud definition with the hybrid browser destination's actions appended, as the merge
 * does; the definition itself when there is nothing to merge.
 */
export function withHybridActions(
  definition: StaticValue,
  program: SourceProgram,
  evaluator: StaticEvaluator,
  cloudFolder: string
): StaticValue {
  if (!isPlainObject(definition)) return definition
  const cloudActions = definition.actions
  // The merge keeps a cloud definition without actions as it is.
  if (!isPlainObject(cloudActions) || (Object.keys(cloudActions).length === 0 && !partialReason(cloudActions))) return definition
  const browserFolder = hybridBrowserFolder(program, cloudFolder)
  if (!browserFolder) return definition
  const browser = evaluator.evaluateExport(`${browserFolder}/src/index.ts`, 'destination')
  const browserActions = isPlainObject(browser) ? browser.actions : undefined
  if (!isPlainObject(browserActions)) return definition
  const actions: StaticObject = {}
  spreadInto(actions, cloudActions)
  spreadInto(actions, browserActions)
  const merged: StaticObject = {}
  spreadInto(merged, definition)
  merged.actions = actions
  return merged
}
