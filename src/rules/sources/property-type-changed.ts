// sources/property-type-changed: a property whose type changes (a number becomes a string) breaks
// the destinations, warehouse columns and audiences that read it, although the event still arrives.
import type { SourceModel } from '../../model/source/extract-source.js'
import { defineRule, type RawFinding } from '../rule.js'
import { isUnknown } from './support/source-calls.js'

interface Typed {
  types: Set<string>
  /** False when some call sends the key with a type not known statically. */
  known: boolean
  at: { path: string; line: number; column: number }
}

/** Types of each `event/key` (track events, properties), over every call sending that event. */
function propertyTypes(model: SourceModel): Map<string, Typed> {
  const found = new Map<string, Typed>()
  for (const call of model.calls) {
    if (call.type !== 'track' || typeof call.event !== 'string') continue
    for (const key of call.properties.keys) {
      const id = `${call.event}\u0000${key.key}`
      const entry = found.get(id) ?? {
        types: new Set<string>(),
        known: true,
        at: key.line > 0 ? { path: key.path ?? call.location.path, line: key.line, column: key.column } : call.location
      }
      if (isUnknown(key.type)) entry.known = false
      else if (key.type !== 'null') entry.types.add(key.type)
      found.set(id, entry)
    }
  }
  return found
}

export const propertyTypeChanged = defineRule({
  id: 'sources/property-type-changed',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Property types stay the same',
  docs: {
    why: 'Destinations, warehouse columns, audiences and tracking plans read each property with the type the source sent before. A number that becomes a string fails schema checks and splits warehouse columns, while the event still looks fine.',
    fix: 'Keep sending the property with its previous type (convert with `Number(...)` or `String(...)`), or send the new shape under a new property name.',
    bad: 'properties: { minutes_open: String(ticket.minutes) }   // was a number',
    good: 'properties: { minutes_open: Number(ticket.minutes) }'
  },
  scope: 'integration',
  check(context) {
    const head = context.integration.kind === 'cloud-source' ? context.head.source : undefined
    const base = context.base?.source
    if (!head || !base) return []
    const before = propertyTypes(base)
    const findings: RawFinding[] = []
    for (const [id, now] of propertyTypes(head)) {
      const was = before.get(id)
      if (!was || !was.known || !now.known || was.types.size === 0 || now.types.size === 0) continue
      if ([...now.types].some((type) => was.types.has(type))) continue
      const [event, key] = id.split('\u0000')
      findings.push({
        ...now.at,
        key: `property-type#${event}#${key}`,
        message: `The property \`${key}\` of "${event}" was sent as ${[...was.types].join(' or ')} and is now ${[...now.types].join(' or ')}. Destinations, warehouse columns and audiences that read it with its old type break; keep its type or use a new property name.`
      })
    }
    return findings
  }
})
