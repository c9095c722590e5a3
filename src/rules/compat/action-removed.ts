// Deleting (or renaming) an action orphans every subscription that points at its key.
import { defineRule, type RawFinding } from '../rule.js'
import { atWrittenProperty, bothRevisions, findingAt, isJsonObject, keyedMap, likelyRenameTarget, removedKeys } from './metadata-diff.js'
import { escapePointer } from '../../model/serialize-metadata.js'

export const actionRemoved = defineRule({
  id: 'compat/action-removed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Action removed or renamed',
  docs: {
    why:
      "Subscriptions store the action's key. When the key disappears (deleted, or renamed — a rename is a removal plus an " +
      'addition), every customer subscription of that action stops delivering events.',
    fix: 'Keep the action under its key and set `hidden: true` so new subscriptions cannot pick it; add the replacement beside it.',
    bad: 'actions: { trackEventV2 } // trackEvent deleted',
    good: 'actions: { trackEvent: { ...trackEvent, hidden: true }, trackEventV2 }'
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const base = keyedMap(revisions.base.actions)
    const head = keyedMap(revisions.head.actions)
    if (!base || !head) return []
    const findings: RawFinding[] = []
    for (const key of removedKeys(base, head)) {
      const renamedTo = likelyRenameTarget(base, head, key, () => true)
      const removed = base.entries.get(key)
      const title = isJsonObject(removed) && typeof removed.title === 'string' && removed.title !== key ? ` (${removed.title})` : ''
      const message =
        `Action \`${key}\`${title} was removed or renamed${renamedTo ? ` — it looks renamed to \`${renamedTo}\`` : ''}. ` +
        `Customer subscriptions point at \`${key}\` and stop delivering events once it is gone. ` +
        `Keep \`${key}\` in \`actions\` and set \`hidden: true\` on it so new subscriptions cannot pick it` +
        (renamedTo ? `, with \`${renamedTo}\` beside it.` : '.')
      // Reported where the actions are listed in head: that is where the key should be kept.
      findings.push(atWrittenProperty(context, ['actions'], findingAt(context, '', `/actions/${escapePointer(key)}`, message, 'error')))
    }
    return findings
  }
})
