// Deleting (or unregistering) a destination that customers use is the largest breaking change
// there is: every connection of it stops delivering events, with all its actions and presets.
import { defineRule, type RawFinding, type RemovedIntegration } from '../rule.js'
import { isJsonObject, isUnresolvedValue, keyedMap, type MetadataNode } from './metadata-diff.js'

export const destinationRemoved = defineRule({
  id: 'compat/destination-removed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Destination deleted or unregistered',
  docs: {
    why:
      'Customers connect a destination by its registration. When the destination folder is deleted, or its `register(...)` line ' +
      'leaves the registry, every connection of it stops delivering events, and all its actions and presets go with it.',
    fix: 'Keep the destination and its registration until Segment has retired it from the catalog and no connection uses it; ask your Segment contact how.',
    bad: "// destinations/index.ts\n-register('64f0…', './acme-crm')",
    good: "register('64f0…', './acme-crm') // kept until Segment retires it"
  },
  scope: 'pull-request',
  check(context) {
    const findings = context.removedIntegrations.map((removed) => removalFinding(removed))
    // Not analysed is not passed: a registry the bot cannot read may unregister anything.
    for (const registry of context.unreadableRegistries ?? []) {
      findings.push({
        path: registry.path,
        line: 1,
        severity: 'error',
        message: `The destinations registry changed but could not be read (${registry.reason}), so which destinations it registers or unregisters is unknown. A reviewer must check it by hand.`
      })
    }
    return findings
  }
})

function removalFinding(removed: RemovedIntegration): RawFinding {
  const metadata = removed.base.metadata
  const name = isJsonObject(metadata) && typeof metadata.name === 'string' ? metadata.name : removed.location.folder
  const what = `${countOf(metadata?.actions, 'action')} and ${countOf(metadata?.presets, 'preset')}`
  const how = removed.how === 'deleted' ? 'is deleted' : `is no longer registered (its \`register(...)\` line is gone, the folder stays)`
  const message =
    `Destination \`${name}\` (\`${removed.location.folder}\`) ${how}: its ${what} go with it, and every customer connection of it stops delivering events. ` +
    `Keep it${removed.how === 'deleted' ? ' and its registration' : ' registered'} until Segment has retired it from the catalog and no connection uses it.`
  // A destination never launched (status `new`) has no customers to lose.
  const severity = removed.status === 'new' ? 'info' : 'error'
  // Nothing of it survives in head but the registry it was listed in; without one the finding is about the pull request as a whole.
  const at = removed.anchor ?? { path: '', line: 1 }
  return { message, path: at.path, line: at.line, severity, key: removed.location.path }
}

/** "3 actions", "1 preset", or "an unknown number of actions" when the model could not tell. */
function countOf(value: MetadataNode, noun: string): string {
  let count: number | undefined
  if (Array.isArray(value)) count = value.length
  else if (isJsonObject(value) && !isUnresolvedValue(value)) {
    const map = keyedMap(value)
    count = map && !map.partial ? map.entries.size : undefined
  } else if (value === undefined || value === null) count = 0
  return count === undefined ? `an unknown number of ${noun}s` : `${count} ${noun}${count === 1 ? '' : 's'}`
}
