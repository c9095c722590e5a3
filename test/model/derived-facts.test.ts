import { describe, expect, it } from 'vitest'
import { DerivedFact } from '../../src/model/derived-facts.js'

describe('DerivedFact', () => {
  it('computes a fact once per owner and keeps it on the owner', () => {
    const lengths = new DerivedFact<{ text: string }, number>('length')
    const owner = { text: 'hello' }
    let computed = 0
    const measure = (of: { text: string }) => {
      computed++
      return of.text.length
    }
    expect(lengths.of(owner, measure)).toBe(5)
    expect(lengths.of(owner, measure)).toBe(5)
    expect(computed).toBe(1)
    expect(lengths.of({ text: 'other' }, measure)).toBe(5)
    expect(computed).toBe(2)
  })

  it('remembers null as a fact (none found) but not undefined', () => {
    const found = new DerivedFact<object, string | null>('found')
    const owner = {}
    let computed = 0
    found.of(owner, () => (computed++, null))
    found.of(owner, () => (computed++, null))
    expect(computed).toBe(1)
    expect(found.get(owner)).toBeNull()
  })

  it('is invisible to keys, JSON, spreads and deep equality', () => {
    const fact = new DerivedFact<Record<string, unknown>, number[]>('numbers')
    const owner: Record<string, unknown> = { a: 1 }
    fact.set(owner, [1, 2])
    expect(Object.keys(owner)).toEqual(['a'])
    expect(JSON.stringify(owner)).toBe('{"a":1}')
    expect(fact.get({ ...owner })).toBeUndefined()
    expect(owner).toStrictEqual({ a: 1 })
  })

  it('two facts on one owner do not collide', () => {
    const first = new DerivedFact<object, string>('same name')
    const second = new DerivedFact<object, string>('same name')
    const owner = {}
    first.set(owner, 'one')
    second.set(owner, 'two')
    expect(first.get(owner)).toBe('one')
    expect(second.get(owner)).toBe('two')
  })

  it('computes every time for an owner that cannot take properties', () => {
    const fact = new DerivedFact<object, number>('count')
    const owner = Object.freeze({})
    let computed = 0
    expect(fact.of(owner, () => ++computed)).toBe(1)
    expect(fact.of(owner, () => ++computed)).toBe(2)
    expect(fact.get(owner)).toBeUndefined()
  })
})
