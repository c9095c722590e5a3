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
import { DerivedFact } from '../../model/derived-facts.js'

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

/** True when an object has a directive key (without listing the keys). */
function hasDirectiveKey(object: StaticObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && key.startsWith('@')) return true
  return false
}

/**
 * A value waiting in the walk. Its pointer is built only when a directive is found below it
 * (most values hold none), from its parent's pointer and its own key.
 */
interface PendingValue {
  value: StaticValue
  parent: PendingValue | undefined
  /** The key or array index under the parent (unused where the pointer is given). */
  key: string | number
  relative: boolean
  pointer?: string
}

function pointerOfPending(pending: PendingValue): string {
  // Iterative: a hostile definition can nest deeper than the call stack allows.
  const unresolved: PendingValue[] = []
  let current: PendingValue = pending
  while (current.pointer === undefined) {
    unresolved.push(current)
    current = current.parent!
  }
  let pointer = current.pointer
  for (let index = unresolved.length - 1; index >= 0; index--) {
    const entry = unresolved[index]
    pointer += typeof entry.key === 'number' ? `/${entry.key}` : pointerOf(entry.key)
    entry.pointer = pointer
  }
  return pointer
}

const directivesByModel = new DerivedFact<IntegrationModel, readonly MappingDirective[]>('mapping directives')

/**
 * Every mapping directive in field defaults (actions and nested object properties) and preset
 * mappings. Several rules read them: they are found once per model (callers must not modify them).
 */
export function mappingDirectivesOf(model: IntegrationModel): readonly MappingDirective[] {
  return directivesByModel.of(model, findMappingDirectives)
}

function findMappingDirectives(model: IntegrationModel): MappingDirective[] {
  const found: MappingDirective[] = []
  const seen = new Set<object>()
  /** The mapping values, their pointers built only when a directive is found in them. */
  const roots: PendingValue[] = []
  const below = (parent: PendingValue, key: string | number, value: StaticValue = undefined): PendingValue => ({
    value,
    parent,
    key,
    relative: false
  })
  const definition = model.definition
  if (!isPlainObject(definition)) return found
  const actions = readProperty(definition, 'actions')
  if (isPlainObject(actions)) {
    const actionsAt: PendingValue = { value: undefined, parent: undefined, key: '', relative: false, pointer: pointerOf('actions') }
    for (const actionKey of Object.keys(actions)) {
      const action = actions[actionKey]
      if (!isPlainObject(action)) continue
      const fields = readProperty(action, 'fields')
      if (!isPlainObject(fields)) continue
      const fieldsAt = below(below(actionsAt, actionKey), 'fields')
      for (const fieldKey of Object.keys(fields)) {
        const field = fields[fieldKey]
        if (!isPlainObject(field)) continue
        const fieldAt = below(fieldsAt, fieldKey)
        roots.push(below(fieldAt, 'default', readProperty(field, 'default')))
        const properties = readProperty(field, 'properties')
        if (!isPlainObject(properties)) continue
        const propertiesAt = below(fieldAt, 'properties')
        for (const propertyKey of Object.keys(properties)) {
          const property = properties[propertyKey]
          if (isPlainObject(property)) roots.push(below(below(propertiesAt, propertyKey), 'default', readProperty(property, 'default')))
        }
      }
    }
  }
  const presets = readProperty(definition, 'presets')
  if (Array.isArray(presets)) {
    const presetsAt: PendingValue = { value: undefined, parent: undefined, key: '', relative: false, pointer: pointerOf('presets') }
    presets.forEach((preset, index) => {
      if (!isPlainObject(preset)) return
      const mapping = readProperty(preset, 'mapping')
      if (!isPlainObject(mapping)) return
      const mappingAt = below(below(presetsAt, index), 'mapping')
      for (const key of Object.keys(mapping)) roots.push(below(mappingAt, key, mapping[key]))
    })
  }

  let visits = 0
  for (const root of roots) {
    const stack: PendingValue[] = [root]
    while (stack.length > 0 && visits < MAX_VISITS) {
      visits++
      const pending = stack.pop()!
      const { value, relative } = pending
      if (Array.isArray(value)) {
        if (seen.has(value)) continue
        seen.add(value)
        for (let index = 0; index < value.length; index++) {
          // Holes are skipped, as forEach skips them.
          if (index in value) stack.push({ value: value[index], parent: pending, key: index, relative })
        }
        continue
      }
      // Unresolved values, functions and primitives hold no directive we can read.
      if (!isPlainObject(value) || seen.has(value)) continue
      seen.add(value)
      if (hasDirectiveKey(value)) {
        const pointer = pointerOfPending(pending)
        found.push({
          object: value,
          pointer,
          location: locationOf(value) ?? locatePointer(model, pointer),
          relative,
          root: pointerOfPending(root)
        })
      }
      for (const key of Object.keys(value)) {
        const child = value[key]
        if (key === '@arrayPath' && Array.isArray(child)) {
          // The first element is a path into the event; the second shapes each item, relative to it.
          const arrayPath: PendingValue = { value: child, parent: pending, key, relative }
          if (child.length > 0) stack.push({ value: child[0], parent: arrayPath, key: 0, relative })
          if (child.length > 1) stack.push({ value: child[1], parent: arrayPath, key: 1, relative: true })
          continue
        }
        stack.push({ value: child, parent: pending, key, relative })
      }
    }
  }
  return found
}
