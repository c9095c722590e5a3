// sources/event-removed: customers build destinations, mappings, audiences and tracking plans on
// the events a source sends. An event the base sent and the head no longer sends (renamed or
// removed) silently stops all of them.
import type { SourceModel } from '../../model/source/extract-source.js'
import { defineRule, type RawFinding } from '../rule.js'
import { isUnknown } from './support/source-calls.js'

/** Track event names by name, with the first call sending each; undefined when a name is not known. */
function eventsSent(model: SourceModel): Map<string, SourceModel['calls'][number]> | undefined {
  const events = new Map<string, SourceModel['calls'][number]>()
  for (const call of model.calls) {
    if (call.type !== 'track') continue
    if (call.payload || call.event === undefined || isUnknown(call.event)) return undefined
    if (!events.has(call.event)) events.set(call.event, call)
  }
  return events
}

export const eventRemoved = defineRule({
  id: 'sources/event-removed',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Events the source sent are still sent',
  docs: {
    why: "Customers' destinations, mappings, audiences and tracking plans match the events a source sends by name. Renaming or removing an event stops every one of them without an error.",
    fix: 'Keep sending the event under its old name. If it must change, announce it, and send both names for a transition period.',
    bad: "Segment.track({ event: 'Ticket Resolved', userId })   // was 'Ticket Solved'",
    good: "Segment.track({ event: 'Ticket Solved', userId })"
  },
  scope: 'integration',
  check(context) {
    const head = context.integration.kind === 'cloud-source' ? context.head.source : undefined
    const base = context.base?.source
    if (!head || !base) return []
    const before = eventsSent(base)
    // A head event name not known statically might still be any removed name: claim nothing.
    const after = eventsSent(head)
    if (!before || !after) return []
    const added = [...after.keys()].filter((name) => !before.has(name))
    const findings: RawFinding[] = []
    for (const name of before.keys()) {
      if (after.has(name)) continue
      const at = head.handler ?? head.calls[0]?.location ?? { path: context.integration.entryPath, line: 1, column: 1 }
      findings.push({
        path: at.path,
        line: at.line,
        column: at.column,
        key: `event-removed#${name}`,
        message: `The base sent the event "${name}" and this change no longer does${added.length > 0 ? ` (new: ${added.map((event) => `"${event}"`).join(', ')}; a rename?)` : ''}. Customers' destinations, mappings and audiences on "${name}" stop receiving it; keep sending it under its old name.`
      })
    }
    return findings
  }
})
