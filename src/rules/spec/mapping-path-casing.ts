// spec/mapping-path-casing: an `@path` that names a Spec key in the wrong case style
// (`$.properties.orderId` for `order_id`, `$.traits.first_name` for `firstName`) reads nothing.
import type { SegmentSpec } from '../../spec/segment-spec.js'
import { defineRule, type RawFinding } from '../rule.js'
import { mappingDirectivesOf } from '../support/mapping-directives.js'

interface NamedEntry {
  name?: unknown
  properties?: unknown
}

/** Where a path's key lives in the event, and the Spec keys documented there. */
interface SpecKeys {
  root: Set<string>
  context: Set<string>
  properties: Set<string>
  traits: Set<string>
  /** Sub-keys of object traits such as `address` and `company`. */
  traitChildren: Map<string, Set<string>>
}

const cache = new WeakMap<SegmentSpec, SpecKeys>()

function namesOf(list: unknown): string[] {
  return Array.isArray(list) ? list.flatMap((entry: NamedEntry) => (entry && typeof entry.name === 'string' ? [entry.name] : [])) : []
}

function specKeys(spec: SegmentSpec): SpecKeys {
  const known = cache.get(spec)
  if (known) return known
  const record = spec as Record<string, unknown>
  const section = (key: string) => (record[key] && typeof record[key] === 'object' ? (record[key] as Record<string, unknown>) : {})
  const properties = new Set<string>()
  for (const group of Object.values(spec.reservedProperties))
    if (group && typeof group === 'object') namesOf((group as NamedEntry).properties).forEach((name) => properties.add(name))
  for (const category of spec.semanticEvents.categories) {
    for (const event of category.events) namesOf((event as NamedEntry).properties).forEach((name) => properties.add(name))
  }
  const traits = new Set<string>()
  const traitChildren = new Map<string, Set<string>>()
  for (const group of Object.values(spec.reservedTraits)) {
    if (!group || typeof group !== 'object') continue
    const entries = (group as { traits?: unknown }).traits
    if (!Array.isArray(entries)) continue
    for (const trait of entries as NamedEntry[]) {
      if (!trait || typeof trait.name !== 'string') continue
      traits.add(trait.name)
      const children = namesOf(trait.properties)
      if (children.length > 0) traitChildren.set(trait.name, new Set([...(traitChildren.get(trait.name) ?? []), ...children]))
    }
  }
  const keys: SpecKeys = {
    root: new Set([
      ...namesOf(section('commonFields').fields),
      'event',
      'properties',
      'traits',
      'name',
      'category',
      'groupId',
      'previousId'
    ]),
    context: new Set(namesOf(section('context').fields)),
    properties,
    traits,
    traitChildren
  }
  cache.set(spec, keys)
  return keys
}

/** A key with case and separators removed: `orderId`, `order_id` and `Order-ID` compare equal. */
function folded(key: string): string {
  return key.toLowerCase().replace(/[_\-\s]/g, '')
}

/** Each documented set by folded spelling (the first name of each spelling), built once per set. */
const foldedNames = new WeakMap<Set<string>, Map<string, string>>()

function correctionIn(key: string, documented: Set<string>): string | undefined {
  if (documented.has(key)) return undefined
  let byFolded = foldedNames.get(documented)
  if (!byFolded) {
    byFolded = new Map()
    for (const name of documented) if (!byFolded.has(folded(name))) byFolded.set(folded(name), name)
    foldedNames.set(documented, byFolded)
  }
  return byFolded.get(folded(key))
}

/** The first segment of a path that is a wrongly styled Spec key: its position and the Spec spelling. */
interface Miscased {
  written: string
  documented: string
  where: string
  /** The path with the key spelled as documented. */
  corrected: string
}

function miscasedSegment(path: string, keys: SpecKeys): Miscased | undefined {
  // Only plain dotted paths; bracket and wildcard paths are left alone.
  if (!/^\$\.[A-Za-z0-9_.$-]+$/.test(path)) return undefined
  const segments = path.slice(2).split('.')
  const check = (index: number, documented: Set<string>, where: string) => {
    const written = segments[index]
    if (written === undefined) return undefined
    const documentedName = correctionIn(written, documented)
    return documentedName
      ? { written, documented: documentedName, where, corrected: corrected(segments, index, documentedName) }
      : undefined
  }
  const [first, second] = segments
  if (first === 'properties') return check(1, keys.properties, 'a Spec property')
  if (first === 'traits') return check(1, keys.traits, 'a reserved trait') ?? traitChild(segments, 1, keys)
  if (first === 'context') {
    if (second === 'traits') return check(2, keys.traits, 'a reserved trait') ?? traitChild(segments, 2, keys)
    return check(1, keys.context, 'a Spec context field')
  }
  return check(0, keys.root, 'a Spec common field')
}

function traitChild(segments: string[], traitIndex: number, keys: SpecKeys): Miscased | undefined {
  const children = keys.traitChildren.get(segments[traitIndex])
  const written = segments[traitIndex + 1]
  if (!children || written === undefined) return undefined
  const documented = correctionIn(written, children)
  if (!documented) return undefined
  return {
    written,
    documented,
    where: `a documented key of the ${segments[traitIndex]} trait`,
    corrected: corrected(segments, traitIndex + 1, documented)
  }
}

/** mapping-kit strips a leading `$.` and reads the rest, so `traits.email` names the same key as `$.traits.email`. */
function rooted(path: string): string {
  return path.startsWith('$') ? path : `$.${path}`
}

function corrected(segments: string[], index: number, replacement: string): string {
  return `$.${segments.map((segment, position) => (position === index ? replacement : segment)).join('.')}`
}

export default defineRule({
  id: 'spec/mapping-path-casing',
  category: 'spec',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: '@path names Spec keys as the Spec spells them',
  docs: {
    why: 'Paths are case-sensitive. Spec properties are snake_case (`order_id`, `product_id`) and reserved traits camelCase (`firstName`, `createdAt`); a default mapping of `$.properties.orderId` or `$.traits.first_name` reads nothing from Spec-conformant events, so the field is empty for every customer who does not notice.',
    fix: 'Spell the key as the Spec documents it: https://segment.com/docs/connections/spec/.',
    bad: "default: { '@path': '$.properties.orderId' }",
    good: "default: { '@path': '$.properties.order_id' }"
  },
  scope: 'integration',
  check(context) {
    const keys = specKeys(context.spec)
    const findings: RawFinding[] = []
    // One finding per misspelt key of one mapping value: an `@if` reading `$.traits.first_name`
    // in `exists` and again in `then` is one defect with one fix.
    const reported = new Set<string>()
    const directives = mappingDirectivesOf(context.head)
    // The outermost directive of each mapping value (listed first): where its findings point.
    const rootLocations = new Map<string, (typeof directives)[number]['location']>()
    for (const directive of directives) if (!rootLocations.has(directive.root)) rootLocations.set(directive.root, directive.location)
    for (const directive of directives) {
      // Paths inside an @arrayPath item shape are relative to each item, not to the event.
      if (directive.relative) continue
      const paths: string[] = []
      const pathValue = directive.object['@path']
      if (typeof pathValue === 'string') paths.push(rooted(pathValue))
      const arrayPath = directive.object['@arrayPath']
      if (Array.isArray(arrayPath) && typeof arrayPath[0] === 'string') paths.push(rooted(arrayPath[0]))
      // `{{properties.order_id}}` in a template reads the same event paths, without the `$.`.
      const template = directive.object['@template']
      if (typeof template === 'string') {
        for (const match of template.slice(0, 10_000).matchAll(/\{\{\s*([A-Za-z0-9_$.-]+)\s*\}\}/g)) paths.push(`$.${match[1]}`)
      }
      for (const path of paths) {
        const miss = miscasedSegment(path, keys)
        if (!miss) continue
        const identity = `${directive.root}#${miss.corrected}`
        if (reported.has(identity)) continue
        reported.add(identity)
        const inTemplate = typeof template === 'string'
        const location = rootLocations.get(directive.root) ?? directive.location
        findings.push({
          path: location.path,
          line: location.line,
          column: location.column,
          key: identity,
          message: `The default mapping at \`${directive.root}\` reads "${inTemplate ? `{{${path.slice(2)}}}` : path}"${inTemplate ? ' in its @template' : ''}, but "${miss.written}" is ${miss.where} spelled "${miss.documented}" in the Segment Spec. Paths are case-sensitive, so the field stays empty for events that follow the Spec; use "${inTemplate ? `{{${miss.corrected.slice(2)}}}` : miss.corrected}".`
        })
      }
    }
    return findings
  }
})
