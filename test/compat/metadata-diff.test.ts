// The helpers every compat rule reads metadata through: unknown values, partial maps, renames, deep values.
import { describe, expect, it } from 'vitest'
import type { Json } from '../../src/model/serialize-metadata.js'
import {
  addedKeys,
  containsUnresolved,
  jsonEqual,
  keyedMap,
  likelyRenameTarget,
  removedKeys,
  requirementOf,
  type KeyedMap
} from '../../src/rules/compat/metadata-diff.js'

const field = (type: string, label: string, required: Json = false): Json => ({ type, label, required })
const map = (value: Json): KeyedMap => {
  const keyed = keyedMap(value)
  if (!keyed) throw new Error('not a map')
  return keyed
}
const sameType = (a: Json | undefined, b: Json | undefined) =>
  typeof a === 'object' && a !== null && !Array.isArray(a) && typeof b === 'object' && b !== null && !Array.isArray(b) && a.type === b.type

describe('requirementOf', () => {
  it('tells required, optional, conditional and unknown apart', () => {
    expect(requirementOf(field('string', 'A', true))).toBe('required')
    expect(requirementOf(field('string', 'A', false))).toBe('optional')
    expect(requirementOf({ type: 'string', label: 'A' })).toBe('optional')
    expect(requirementOf(field('string', 'A', { conditions: [{ fieldKey: 'b', operator: 'is', value: 'x' }] }))).toBe('conditional')
    expect(requirementOf(field('string', 'A', { $unresolved: 'computed at run time' }))).toBe('unknown')
    expect(requirementOf({ $unresolved: 'field from an external module' })).toBe('unknown')
  })
})

describe('added and removed keys', () => {
  it('ignores the partial marker and reports nothing across an incomplete key set', () => {
    const complete = map({ email: field('string', 'Email'), phone: field('string', 'Phone') })
    const partial = map({ email: field('string', 'Email'), $unresolved: 'spread of an external module' })
    expect(partial.entries.has('$unresolved')).toBe(false)
    // phone may still come from the unresolved spread in head.
    expect(removedKeys(complete, partial)).toEqual([])
    // In reverse, email may have come from the spread on base.
    expect(addedKeys(partial, complete)).toEqual([])
    expect(addedKeys(partial, complete).length + removedKeys(partial, complete).length).toBe(0)
    expect(removedKeys(complete, map({ email: field('string', 'Email') }))).toEqual(['phone'])
  })
})

describe('likelyRenameTarget', () => {
  it('names the single added key of the same type', () => {
    const base = map({ email: field('string', 'Email'), count: field('integer', 'Count') })
    const head = map({ emailAddress: field('string', 'Email address'), count: field('integer', 'Count'), total: field('number', 'Total') })
    expect(likelyRenameTarget(base, head, 'email', sameType)).toBe('emailAddress')
  })

  it('names nothing when two keys of that type were removed, unless one label matches', () => {
    const base = map({ first_name: field('string', 'First Name'), phone: field('string', 'Phone') })
    const head = map({ firstName: field('string', 'First Name') })
    expect(likelyRenameTarget(base, head, 'first_name', sameType)).toBe('firstName')
    expect(likelyRenameTarget(base, head, 'phone', sameType)).toBeUndefined()
  })

  it('names nothing when the added key has another type or there are several candidates', () => {
    const base = map({ email: field('string', 'Email') })
    expect(likelyRenameTarget(base, map({ emails: field('object', 'Emails') }), 'email', sameType)).toBeUndefined()
    expect(likelyRenameTarget(base, map({ a: field('string', 'A'), b: field('string', 'B') }), 'email', sameType)).toBeUndefined()
  })
})

describe('deep values', () => {
  it('treats values nested past the bound as unknown instead of overflowing the stack', () => {
    const nest = (): Json => {
      let deep: Json = 'leaf'
      for (let level = 0; level < 10_000; level += 1) deep = { '@if': deep }
      return deep
    }
    const deep = nest()
    expect(containsUnresolved(deep)).toBe(true)
    expect(jsonEqual(deep, nest())).toBe(false)
    expect(jsonEqual({ '@path': '$.event' }, { '@path': '$.event' })).toBe(true)
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true)
    expect(jsonEqual(['a'], ['a', 'b'])).toBe(false)
  })
})
