// Where a node of an integration's metadata was written, by JSON pointer: the exact property
// when the evaluated definition records it, else the nearest recorded ancestor, else the entry file.
import type { IntegrationModel } from '../../model/extract-integration.js'
import type { ts } from '../../model/typescript.js'
import {
  isPlainObject,
  locateNode,
  nodeOf,
  propertyNodeOf,
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

/** Builds a JSON pointer from raw keys (rules build many: the common key with nothing to escape is copied as is). */
export function pointerOf(...segments: Array<string | number>): string {
  let pointer = ''
  for (const segment of segments) {
    const text = String(segment)
    pointer += text.includes('~') || text.includes('/') ? `/${text.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${text}`
  }
  return pointer
}

/**
 * The deepest location the evaluated definition knows along the pointer, with the depth it reached.
 * Only the deepest node is located: turning a node into a line and column is the costly part.
 */
function definitionLocation(definition: StaticValue, segments: string[]): { location: SourceLocation; depth: number } | undefined {
  let best: { node: ts.Node; depth: number } | undefined
  const own = nodeOf(definition)
  if (own) best = { node: own, depth: 0 }
  let value: StaticValue = definition
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]
    let next: StaticValue
    let propertyNode: ts.Node | undefined
    if (Array.isArray(value)) {
      next = /^\d+$/.test(segment) ? value[Number(segment)] : undefined
    } else if (isPlainObject(value)) {
      next = readProperty(value, segment)
      propertyNode = Object.prototype.hasOwnProperty.call(value, segment) ? propertyNodeOf(value, segment) : undefined
    } else break
    // A value written elsewhere (a shared constant) is located where it was written; a primitive at its property.
    const node = nodeOf(next) ?? propertyNode
    if (node) best = { node, depth: index + 1 }
    if (next === undefined) break
    value = next
  }
  return best && { location: locateNode(best.node), depth: best.depth }
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
