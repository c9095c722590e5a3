// sources/property-names: property keys in snake_case, semantic properties with the Spec's types
// (revenue a number, products an array), reserved traits in their documented camelCase, and no
// key sent in both spellings (which makes two traits downstream).
import type { EmittedCall, KeyedValue } from '../../model/source/extract-source.js'
import type { SegmentSpec } from '../../spec/segment-spec.js'
import { defineRule, type RawFinding } from '../rule.js'
import { callKey, capitalise, describeCall, isUnknown, sourceModelOf } from './support/source-calls.js'

const SNAKE_CASE = /^[a-z0-9]+(_[a-z0-9]+)*$/

interface SpecProperty {
  name: string
  types: string[]
}

/** The Spec's types as the static types of the model. */
function staticTypes(type: unknown): string[] {
  const list = Array.isArray(type) ? type : [type]
  return list.flatMap((entry) => {
    if (typeof entry !== 'string') return []
    if (/^(Number|Integer|Float)$/.test(entry)) return ['number']
    if (entry === 'String' || entry === 'Date') return ['string']
    if (entry === 'Boolean') return ['boolean']
    if (entry.startsWith('Array')) return ['array']
    if (entry === 'Object') return ['object']
    return []
  })
}

function propertiesOf(raw: unknown): SpecProperty[] {
  if (!Array.isArray(raw)) return []
  return raw.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as { name?: unknown }).name !== 'string') return []
    const types = staticTypes((entry as { type?: unknown }).type)
    return types.length > 0 ? [{ name: (entry as { name: string }).name, types }] : []
  })
}

/** Spec properties for a call: the reserved ones of its type, plus those of the Spec event it sends. */
function specPropertiesFor(call: EmittedCall, spec: SegmentSpec): Map<string, string[]> {
  const reserved = (spec.reservedProperties as Record<string, { properties?: unknown }>)[call.type]
  const found = new Map(propertiesOf(reserved?.properties).map((property) => [property.name, property.types]))
  if (call.type === 'track' && typeof call.event === 'string') {
    for (const category of spec.semanticEvents.categories) {
      for (const event of category.events) {
        if (event.name !== call.event) continue
        for (const property of propertiesOf((event as { properties?: unknown }).properties)) found.set(property.name, property.types)
      }
    }
  }
  return found
}

function reservedTraits(spec: SegmentSpec): string[] {
  const identify = (spec.reservedTraits as Record<string, { traits?: unknown }>).identify
  const list: unknown = identify?.traits
  return Array.isArray(list) ? list.flatMap((trait: { name?: unknown }) => (typeof trait?.name === 'string' ? [trait.name] : [])) : []
}

const toSnake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** Where a key was written: its own place when known, else the call's. */
function keyPosition(call: EmittedCall, key: KeyedValue): { path: string; line: number; column: number } {
  return key.line > 0 ? { path: key.path ?? call.location.path, line: key.line, column: key.column } : call.location
}

export const propertyNames = defineRule({
  id: 'sources/property-names',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Properties and traits follow the Spec',
  docs: {
    why: "Destinations read the Spec's properties by name and type: a revenue sent as a string is dropped or summed as text, products that are not an array map to nothing, and a trait sent as both first_name and firstName becomes two traits.",
    fix: 'Name properties in snake_case, send the Spec types (revenue and price as numbers, products as an array, currency as an ISO 4217 code), and send reserved traits in their documented camelCase (firstName, createdAt).',
    bad: 'properties: { orderId: body.id, revenue: body.total }   // total is a string',
    good: 'properties: { order_id: body.id, revenue: Number(body.total) }'
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model) return []
    const traits = reservedTraits(context.spec)
    const snakeTraits = new Map(traits.filter((trait) => toSnake(trait) !== trait).map((trait) => [toSnake(trait), trait]))
    const findings: RawFinding[] = []
    model.calls.forEach((call, index) => {
      const report = (key: KeyedValue, message: string, severity: 'error' | 'warning', what: string) =>
        findings.push({ ...keyPosition(call, key), severity, key: `${callKey(call, index)}#${what}:${key.key}`, message })
      const specProperties = specPropertiesFor(call, context.spec)
      if (call.type !== 'identify' && call.type !== 'group') {
        for (const key of call.properties.keys) {
          const expected = specProperties.get(key.key)
          if (expected && !isUnknown(key.type) && !expected.includes(key.type) && !(key.type === 'null')) {
            report(
              key,
              `The property \`${key.key}\` of ${describeCall(call)} is a ${key.type}, but the Segment Spec types it ${expected.join(' or ')}. Destinations read it as such; convert it (e.g. \`Number(...)\`).`,
              'error',
              'type'
            )
          } else if (key.key === 'currency' && typeof key.value === 'string' && !/^[A-Z]{3}$/.test(key.value)) {
            report(
              key,
              `The property \`currency\` of ${describeCall(call)} is "${key.value}", which is not an ISO 4217 code (three capital letters, e.g. "USD").`,
              'warning',
              'currency'
            )
          } else if (!SNAKE_CASE.test(key.key) && !expected) {
            report(
              key,
              `The property \`${key.key}\` of ${describeCall(call)} is not snake_case; Segment's Spec names properties in snake_case (\`${toSnake(key.key)}\`).`,
              'warning',
              'case'
            )
          }
        }
      }
      for (const list of [call.properties.keys, call.traits.keys]) {
        const byKey = new Set(list.map((key) => key.key))
        for (const key of list) {
          const snake = toSnake(key.key)
          if (snake !== key.key && byKey.has(snake))
            report(
              key,
              `${capitalise(describeCall(call))} sends both \`${key.key}\` and \`${snake}\`: destinations see two different keys for one value. Send one spelling.`,
              'warning',
              'duplicate'
            )
        }
      }
      for (const key of call.traits.keys) {
        const reserved = snakeTraits.get(key.key)
        if (reserved && !call.traits.keys.some((other) => other.key === reserved)) {
          report(
            key,
            `The trait \`${key.key}\` of ${describeCall(call)} is the reserved trait \`${reserved}\` in another spelling. Destinations map the documented camelCase \`${reserved}\`; send that.`,
            'warning',
            'trait'
          )
        }
      }
    })
    return findings
  }
})
