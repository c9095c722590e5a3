// Where a node of an integration's metadata was written, by JSON pointer: the exact property
// when the evaluated definition records it, else the nearest recorded ancestor, else the entry file.
import type { IntegrationModel } from '../../model/extract-integration.js'
import {
  isPlainObject,
  locationOf,
  propertyLocationOf,
  readProperty,
  type SourceLocation,
  type StaticValue
} from '../../model/static-values.js'

/** The unescaped segments of a JSON pointer (`/actions/a~1b` → ['actions', 'a/b']). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** Builds a JSON pointer from raw keys (many rules build one per field: keys without `~` or `/` are taken as they are). */
export function pointerOf(...segments: Array<string | number>): string {
  let pointer = ''
  for (const segment of segments) {
    const key = String(segment)
    pointer += `/${key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key}`
  }
  return pointer
}

/** The deepest location the evaluated definition knows along the pointer, with the depth it reached. */
function definitionLocation(definition: StaticValue, segments: string[]): { location: SourceLocation; depth: number } | undefined {
  let best: { location: SourceLocation; depth: number } | undefined
  const own = locationOf(definition)
  if (own) best = { location: own, depth: 0 }
  let value: StaticValue = definition
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]
    let next: StaticValue
    let propertyLocation: SourceLocation | undefined
    if (Array.isArray(value)) {
      next = /^\d+$/.test(segment) ? value[Number(segment)] : undefined
    } else if (isPlainObject(value)) {
      next = readProperty(value, segment)
      propertyLocation = Object.prototype.hasOwnProperty.call(value, segment) ? propertyLocationOf(value, segment) : undefined
    } else break
    // A value written elsewhere (a shared constant) is located where it was written; a primitive at its property.
    const location = locationOf(next) ?? propertyLocation
    if (location) best = { location, depth: index + 1 }
    if (next === undefined) break
    value = next
  }
  return best
}

/** The source location of the metadata node at `pointer`, never undefined. */
export function locatePointer(model: IntegrationModel, pointer: string): SourceLocation {
  const segments = pointerSegments(pointer)
  const fromDefinition = definitionLocation(model.definition, segments)
  if (fromDefinition && fromDefinition.depth === segments.length) return fromDefinition.location
  for (let depth = segments.length; depth >= 0; depth--) {
    if (fromDefinition && fromDefinition.depth >= depth) return fromDefinition.location
    const recorded = model.locations.get(pointerOf(...segments.slice(0, depth)))
    if (recorded) return recorded
  }
  return { path: model.location.entryPath, line: 1, column: 1 }
}
