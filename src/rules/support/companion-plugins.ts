// The companion browser plugin of a cloud destination (`browser-destinations/destinations/<slug>-plugins`,
// such as amplitude's session plugin). Segment's registry merges the actions of a cloud destination
// and its plugin under one destination, so a preset of the cloud destination may name a plugin action.
import { ts } from '../../model/typescript.js'
import type { IntegrationRuleContext } from '../rule.js'

const BROWSER_DESTINATIONS = 'packages/browser-destinations/destinations/'

export type CompanionActions =
  /** The companion exists and these are all its action keys. */
  | { kind: 'known'; path: string; keys: string[] }
  /** The companion exists but its action keys cannot be read statically. */
  | { kind: 'unreadable'; path: string }
  /** The reviewed tree holds browser destinations and no companion of this one. */
  | { kind: 'none' }
  /** The reviewed tree holds no browser destinations: whether a companion exists is unknown. */
  | { kind: 'unknown' }

/** The actions of the companion plugin of a cloud destination, read from its syntax tree. */
export function companionActions(context: IntegrationRuleContext): CompanionActions {
  if (context.integration.kind !== 'cloud-destination') return { kind: 'none' }
  const entry = `${BROWSER_DESTINATIONS}${context.integration.folder}-plugins/src/index.ts`
  if (context.headSource.readFile(entry) === undefined) {
    const hasBrowserDestinations = context.headSource.listFiles().some((path) => path.startsWith(BROWSER_DESTINATIONS))
    return hasBrowserDestinations ? { kind: 'none' } : { kind: 'unknown' }
  }
  const file = context.parse(entry)
  const keys = file ? actionKeysOf(file.sourceFile) : undefined
  return keys ? { kind: 'known', path: entry, keys } : { kind: 'unreadable', path: entry }
}

/**
 * A browser destination of the tree that defines an action named `key`, if any. Segment's registry
 * links a cloud destination to its plugin by destination ID, not by folder name (reddit's plugin
 * need not be `reddit-conversions-api-plugins`), so any browser destination may be the companion.
 */
export function browserDestinationDefining(context: IntegrationRuleContext, key: string): string | undefined {
  for (const path of context.headSource.listFiles()) {
    if (!path.startsWith(BROWSER_DESTINATIONS) || !/^[^/]+\/src\/index\.ts$/.test(path.slice(BROWSER_DESTINATIONS.length))) continue
    const file = context.parse(path)
    if (file && actionKeysOf(file.sourceFile)?.includes(key)) return path
  }
  return undefined
}

/** The keys of the `actions: { … }` object literal of a browser destination definition, or undefined when not all are literal. */
function actionKeysOf(sourceFile: ts.SourceFile): string[] | undefined {
  let found: string[] | undefined
  let ambiguous = false
  const visit = (node: ts.Node): void => {
    if (ambiguous) return
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'actions' &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      const keys: string[] = []
      for (const property of node.initializer.properties) {
        if (ts.isSpreadAssignment(property) || !property.name) return void (ambiguous = true)
        if (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) keys.push(property.name.text)
        else return void (ambiguous = true)
      }
      // Two `actions` objects in one file: which one is the definition's is not known.
      if (found) return void (ambiguous = true)
      found = keys
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return ambiguous ? undefined : found
}
