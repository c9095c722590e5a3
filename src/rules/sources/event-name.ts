// sources/event-name: the names a source sends are what every destination downstream matches on.
// A near miss of a Spec event ("Order completed", "Purchase") breaks them all and gets a partner
// source rejected; names must be Title Case in Object Action form. Names built at run time cannot
// be checked and are said to be unknown.
import type { SegmentSpec } from '../../spec/segment-spec.js'
import { defineRule, type RawFinding } from '../rule.js'
import { nearMissOfSemanticEvent, semanticEventNames } from '../support/semantic-event-names.js'
import { callKey, isUnknown, sourceModelOf } from './support/source-calls.js'

/** Past tenses that do not end in -ed, for the Object Action check. */
const IRREGULAR_PAST = new Set([
  'sent',
  'paid',
  'won',
  'lost',
  'made',
  'built',
  'begun',
  'done',
  'shown',
  'seen',
  'taken',
  'given',
  'read',
  'set',
  'reset',
  'held',
  'left',
  'met',
  'run',
  'withdrawn',
  'bought',
  'sold',
  'spent',
  'found',
  'sent',
  'written',
  'chosen',
  'forgotten',
  'hidden',
  'rebuilt',
  'resent',
  'undone',
  'overridden',
  'upheld',
  'frozen',
  'unfrozen',
  'begun',
  'drawn',
  'broken'
])

function lowercaseExceptions(spec: SegmentSpec): Set<string> {
  const words = [...spec.naming.titleCaseExceptionsSeenInSpec, ...semanticEventNames(spec)].flatMap((name) => name.split(' ').slice(1))
  return new Set(words.filter((word) => /^[a-z]+$/.test(word)))
}

function titleCaseProblem(name: string, exceptions: Set<string>): string | undefined {
  if (/[_]/.test(name) || /^[a-z]+[A-Z]/.test(name)) return 'it is written as an identifier, not words'
  const words = name.split(' ')
  if (words.some((word) => word.length === 0)) return 'it has extra spaces'
  const bad = words.filter((word, index) => !/^[A-Z0-9]/.test(word) && !(index > 0 && exceptions.has(word)))
  return bad.length > 0 ? `${bad.map((word) => `"${word}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not capitalised` : undefined
}

function isPastTense(word: string): boolean {
  const lower = word.toLowerCase()
  return (lower.endsWith('ed') && lower.length > 3) || IRREGULAR_PAST.has(lower)
}

function objectActionProblem(name: string): string | undefined {
  const words = name.split(' ').filter((word) => /^[A-Za-z]/.test(word))
  if (words.length === 0) return undefined
  if (!words.some(isPastTense)) return 'it has no past-tense action (Object Action: "Ticket Created", not "Create Ticket" or "Ticket")'
  if (words.length > 1 && isPastTense(words[0]) && !isPastTense(words[words.length - 1]) && !/^(Signed|Opted|Logged)$/.test(words[0])) {
    return 'the action comes before the object (Object Action: "Ticket Created", not "Created Ticket")'
  }
  return undefined
}

export const eventName = defineRule({
  id: 'sources/event-name',
  category: 'sources',
  stages: { public: 'error' },
  who: 'everyone',
  title: 'Event names follow the Spec',
  docs: {
    why: 'Destinations, presets and customer mappings match events by exact name. A source that sends "Order completed" or "Purchase" instead of the Spec\'s "Order Completed" breaks every destination downstream, and Segment rejects partner sources that break the Spec.',
    fix: 'Send the exact Spec name for a Spec event (https://segment.com/docs/connections/spec/semantic/); name custom events in Title Case, Object Action form ("Ticket Created"), as literals.',
    bad: "Segment.track({ event: 'Order completed', userId })",
    good: "Segment.track({ event: 'Order Completed', userId })"
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model) return []
    const exceptions = lowercaseExceptions(context.spec)
    const specNames = new Set(semanticEventNames(context.spec))
    const findings: RawFinding[] = []
    model.calls.forEach((call, index) => {
      if (call.type !== 'track' || call.event === undefined) return
      const written = call.eventLocation ?? call.location
      const at = { path: written.path, line: written.line, column: written.column, key: `${callKey(call, index)}#event` }
      if (isUnknown(call.event)) {
        // A name shown to come from the request or to be built at run time is likely a defect; one not resolved is only unknown.
        findings.push({
          ...at,
          severity: call.eventDynamic ? 'warning' : 'info',
          message: call.eventDynamic
            ? `The event name of this track call is ${call.event.$unresolved}, so every distinct value becomes a new event downstream and none can be checked against the Spec. Send a fixed Title Case name per kind of event and put the variable part in a property.`
            : `The event name of this track call is not known statically (${call.event.$unresolved}), so it cannot be checked against the Spec. Names built from request data multiply events downstream; prefer a fixed name per event and put the variable part in a property.`
        })
        return
      }
      const name = call.event
      if (specNames.has(name)) return
      const miss = nearMissOfSemanticEvent(name, context.spec)
      if (miss?.isSpecEvent) {
        findings.push({
          ...at,
          severity: 'error',
          message: `The event "${name}" is a near miss of the Segment Spec event "${miss.specName}" (${miss.reason}). Destinations match the exact Spec name, so this event breaks them; send "${miss.specName}".`
        })
        return
      }
      const caseProblem = titleCaseProblem(name, exceptions)
      if (caseProblem) {
        findings.push({
          ...at,
          severity: 'error',
          message: `The event "${name}" is not Title Case: ${caseProblem}. Segment's Spec names events in Title Case (e.g. "Order Completed").`
        })
        return
      }
      if (miss) {
        findings.push({ ...at, severity: 'warning', message: `The event "${name}": ${miss.reason}. Did you mean "${miss.specName}"?` })
        return
      }
      const shape = objectActionProblem(name)
      if (shape) findings.push({ ...at, severity: 'warning', message: `The event "${name}" is not in Object Action form: ${shape}.` })
    })
    return findings
  }
})
