// The mapping directives an integration ships (`{ '@path': '$.userId' }` and friends) in field
// defaults and preset mappings, found in the evaluated definition with where each was written.
// A directive shared by several fields (a common fields file, `defaultValues(fields)` in a preset)
// is listed once, at its first pointer.
import type { IntegrationModel } from '../../model/extract-integration.js'
import {
  isPlainObject,
  locationOf,
  readProperty,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from '../../model/static-values.js'
import { locatePointer, pointerOf } from './definition-location.js'

/**
 * The directives Segment's mapping-kit registers (`registerDirective` / `registerStringDirective`
 * in packages/core/src/mapping-kit/index.ts of actions-core; `@liquid` is evaluated by its
 * liquid-directive.ts). The list grows with actions-core, so a name outside it is only suspect.
 */
export const KNOWN_DIRECTIVES = [
  '@arrayPath',
  '@case',
  '@excludeWhenNull',
  '@flatten',
  '@if',
  '@json',
  '@liquid',
  '@literal',
  '@merge',
  '@path',
  '@replace',
  '@template',
  '@transform'
] as const

export interface MappingDirective {
  /** The object holding the `@` key(s). */
  object: StaticObject
  /** JSON pointer of the object, e.g. `/actions/send/fields/email/default`. */
  pointer: string
  /** Where the object literal was written. */
  location: SourceLocation
  /** True inside an `@arrayPath` item shape, where paths are relative to each array item. */
  relative: boolean
  /** Pointer of the mapping value the directive sits in (a field default or a preset mapping key). */
  root: string
}

/** Keys and values a mapping walk visits at most, so hostile input cannot make it unbounded. */
const MAX_VISITS = 20_000

/** The directive key(s) of an object, e.g. ['@path']. */
export function directiveKeys(object: StaticObject): string[] {
  return Object.keys(object).filter((key) => key.startsWith('@'))
}

/** Every mapping directive in field defaults (actions and nested object properties) and preset mappings. */
export function mappingDirectivesOf(model: IntegrationModel): MappingDirective[] {
  const found: MappingDirective[] = []
  const seen = new Set<object>()
  const roots: Array<{ value: StaticValue; pointer: string }> = []
  const definition = model.definition
  if (!isPlainObject(definition)) return found
  const actions = readProperty(definition, 'actions')
  if (isPlainObject(actions)) {
    for (const actionKey of Object.keys(actions)) {
      const action = actions[actionKey]
      if (!isPlainObject(action)) continue
      const fields = readProperty(action, 'fields')
      if (!isPlainObject(fields)) continue
      for (const fieldKey of Object.keys(fields)) {
        const field = fields[fieldKey]
        if (!isPlainObject(field)) continue
        const fieldPointer = pointerOf('actions', actionKey, 'fields', fieldKey)
        roots.push({ value: readProperty(field, 'default'), pointer: `${fieldPointer}/default` })
        const properties = readProperty(field, 'properties')
        if (!isPlainObject(properties)) continue
        for (const propertyKey of Object.keys(properties)) {
          const property = properties[propertyKey]
          if (isPlainObject(property))
            roots.push({
              value: readProperty(property, 'default'),
              pointer: `${fieldPointer}${pointerOf('properties', propertyKey, 'default')}`
            })
        }
      }
    }
  }
  const presets = readProperty(definition, 'presets')
  if (Array.isArray(presets)) {
    presets.forEach((preset, index) => {
      if (!isPlainObject(preset)) return
      const mapping = readProperty(preset, 'mapping')
      if (!isPlainObject(mapping)) return
      for (const key of Object.keys(mapping)) roots.push({ value: mapping[key], pointer: pointerOf('presets', index, 'mapping', key) })
    })
  }

  let visits = 0
  for (const root of roots) {
    const stack: Array<{ value: StaticValue; pointer: string; relative: boolean }> = [{ ...root, relative: false }]
    while (stack.length > 0 && visits < MAX_VISITS) {
      visits++
      const { value, pointer, relative } = stack.pop()!
      if (Array.isArray(value)) {
        if (seen.has(value)) continue
        seen.add(value)
        value.forEach((element, index) => stack.push({ value: element, pointer: `${pointer}/${index}`, relative }))
        continue
      }
      // Unresolved values, functions and primitives hold no directive we can read.
      if (!isPlainObject(value) || seen.has(value)) continue
      seen.add(value)
      const keys = directiveKeys(value)
      if (keys.length > 0) {
        found.push({ object: value, pointer, location: locationOf(value) ?? locatePointer(model, pointer), relative, root: root.pointer })
      }
      for (const key of Object.keys(value)) {
        const child = value[key]
        const childPointer = `${pointer}${pointerOf(key)}`
        if (key === '@arrayPath' && Array.isArray(child)) {
          // The first element is a path into the event; the second shapes each item, relative to it.
          if (child.length > 0) stack.push({ value: child[0], pointer: `${childPointer}/0`, relative })
          if (child.length > 1) stack.push({ value: child[1], pointer: `${childPointer}/1`, relative: true })
          continue
        }
        stack.push({ value: child, pointer: childPointer, relative })
      }
    }
  }
  return found
}
