// The interpreter runs helper bodies exactly as JS would for the subset it models, changes only
// objects the call created, and says "unknown" (with the reason) for everything else.
import { describe, expect, it } from 'vitest'
import { SourceProgram } from '../../src/model/source-program.js'
import { StaticEvaluator } from '../../src/model/static-evaluator.js'
import { MAX_STEPS_PER_EVALUATION } from '../../src/model/static-environment.js'
import { Unresolved, type StaticValue } from '../../src/model/static-values.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

function valuesOf(code: string, names: string[]): StaticValue[] {
  const source = new MemoryFileSource({ 'src/main.ts': code })
  const evaluator = new StaticEvaluator(new SourceProgram(source))
  return names.map((name) => evaluator.evaluateExport('src/main.ts', name))
}

const valueOf = (code: string): StaticValue => valuesOf(`${code}\nexport const result = value\n`, ['result'])[0]

function reasonOf(code: string): string {
  const value = valueOf(code)
  if (!(value instanceof Unresolved)) throw new Error(`expected unknown, got ${JSON.stringify(value)}`)
  return value.reason
}

describe('statements of helpers', () => {
  it('runs if/else, ternaries, early returns and switch with fallthrough and default', () => {
    const code = `function kind(type: string) {
  switch (type) {
    case 'a':
    case 'b':
      return 'letter'
    case 'n': {
      const digits = 'digit'
      return digits
    }
    default:
      break
  }
  if (type.length > 3) return 'long'
  else if (type === '') return 'empty'
  return type === 'x' ? 'ex' : 'other'
}
const value = ['a', 'b', 'n', 'words', '', 'x', 'y'].map(kind)`
    expect(valueOf(code)).toEqual(['letter', 'letter', 'digit', 'long', 'empty', 'ex', 'other'])
  })

  it('runs for, for…of, for…in, while and do…while with break, continue and labels', () => {
    const code = `function loops() {
  const out: number[] = []
  for (let i = 0; i < 10; i++) { if (i % 2) continue; if (i > 6) break; out.push(i) }
  let sum = 0
  for (const [key, n] of Object.entries({ a: 1, b: 2, c: 3 })) sum += key === 'b' ? 0 : n
  const keys: string[] = []
  for (const key in { x: 1, y: 2 }) keys.push(key)
  let k = 0
  while (k < 3) k++
  do { k += 10 } while (k < 5)
  let pairs = 0
  outer: for (const a of [1, 2, 3]) { for (const b of [1, 2, 3]) { if (b > a) continue outer; if (a === 3) break outer; pairs++ } }
  return { out, sum, keys, k, pairs }
}
const value = loops()`
    expect(valueOf(code)).toEqual({ out: [0, 2, 4, 6], sum: 4, keys: ['x', 'y'], k: 13, pairs: 3 })
  })

  it('binds let/var/const, compound and logical assignments, increments, destructuring with defaults and rests', () => {
    const code = `function bind({ a, b = 2, ...others }: any, [first, , ...tail]: number[], ...rest: string[]) {
  var v = 1
  if (a) { var v = 5 }
  let s = 'x'
  s += '-' + a
  let n = 10
  n -= 3; n *= 2; n **= 1; n %= 8
  let u: string | undefined
  u ??= 'set'
  let t = ''
  t ||= 'or'
  const counter = { hits: 0 }
  counter.hits++
  ++counter.hits
  return { v, s, n, u, t, b, others, first, tail, rest, hits: counter.hits }
}
const value = bind({ a: 1, c: 3, d: 4 }, [7, 8, 9, 10], 'r1', 'r2')`
    expect(valueOf(code)).toEqual({
      v: 5,
      s: 'x-1',
      n: 6,
      u: 'set',
      t: 'or',
      b: 2,
      others: { c: 3, d: 4 },
      first: 7,
      tail: [9, 10],
      rest: ['r1', 'r2'],
      hits: 2
    })
  })

  it('changes objects and arrays the call created: set, delete, push, splice, spread, Object.assign', () => {
    const code = `const BASE = { keep: 1, drop: 2 }
function build() {
  const copy = { ...BASE, extra: true }
  delete copy.drop
  const list = [1, 2, 3, 4]
  list.splice(1, 2, 9)
  list.unshift(0)
  const merged = Object.assign({}, copy, { more: 'yes' })
  return { copy, list, merged, popped: [5, 6].pop() }
}
const value = [build(), BASE]`
    expect(valueOf(code)).toEqual([
      { copy: { keep: 1, extra: true }, list: [0, 1, 9, 4], merged: { keep: 1, extra: true, more: 'yes' }, popped: 6 },
      { keep: 1, drop: 2 }
    ])
  })

  it('calls callbacks of forEach, some, every, find, flatMap and Object.entries(...).forEach, stopping where JS stops', () => {
    const code = `function collect() {
  const seen: string[] = []
  const found = ['a', 'b', 'c'].find((x) => { seen.push(x); return x === 'b' })
  const any = [1, 2, 3].some((n) => n > 1)
  const all = [1, 2, 3].every((n) => n > 1)
  const flat = [1, 2].flatMap((n) => [n, n * 10])
  const table: Record<string, number> = {}
  Object.entries({ a: 1, b: 2 }).forEach(([key, n]) => { table[key.toUpperCase()] = n })
  return { seen, found, any, all, flat, table }
}
const value = collect()`
    expect(valueOf(code)).toEqual({ seen: ['a', 'b'], found: 'b', any: true, all: false, flat: [1, 10, 2, 20], table: { A: 1, B: 2 } })
  })

  it('sorts arrays the evaluation built, with or without a comparator, and pads, repeats and parses strings', () => {
    const code = `const CHOICES = [{ label: 'b', n: 2 }, { label: 'a', n: 1 }, { label: 'c', n: 1 }]
const value = [
  Object.keys({ z: 1, a: 2 }).sort(),
  [...CHOICES].sort((x, y) => x.n - y.n).map((c) => c.label),
  '7'.padStart(3, '0'), 'ab'.repeat(2), parseInt('42px', 10), Array.from('hi')
]`
    expect(valueOf(code)).toEqual([['a', 'z'], ['a', 'c', 'b'], '007', 'abab', 42, ['h', 'i']])
  })

  it('runs try/catch/finally: the catch only for a throw it followed, the finally always', () => {
    const code = `function regionUrl(region: string) {
  if (!['us', 'eu'].includes(region)) throw new Error('Unknown region ' + region)
  return 'https://' + region + '.api.example.com'
}
function safeUrl(region: string) {
  const tried: string[] = []
  try {
    tried.push(region)
    return { url: regionUrl(region), tried }
  } catch {
    tried.push('fallback')
    return { url: regionUrl('us'), tried }
  } finally {
    tried.push('done')
  }
}
function orDefault(value: string) {
  try { if (value === '') throw 'empty'; return value } catch (reason) { return 'was ' + reason }
}
function rethrows() { try { throw 1 } finally { return 'finally wins' } }
const value = [safeUrl('eu'), safeUrl('mars'), orDefault(''), orDefault('x'), rethrows()]`
    expect(valueOf(code)).toEqual([
      { url: 'https://eu.api.example.com', tried: ['eu', 'done'] },
      { url: 'https://us.api.example.com', tried: ['mars', 'fallback', 'done'] },
      'was empty',
      'x',
      'finally wins'
    ])
  })

  it('is unknown when the thrown Error object is read, or when a throw escapes every try', () => {
    expect(
      reasonOf(`function f() { try { throw new Error('boom') } catch (e) { return (e as Error).message } }\nconst value = f()`)
    ).toContain('Error object thrown here is not modelled')
    expect(
      reasonOf(`function inner() { throw new Error('x') }\nfunction f() { try { inner() } finally { } return 1 }\nconst value = f()`)
    ).toContain('throws')
  })

  it('sorts choices with localeCompare where every locale agrees, and is unknown where they may not', () => {
    const code = `const REGIONS = [{ label: 'Europe', value: 'eu' }, { label: 'Asia Pacific', value: 'ap' }, { label: 'United States', value: 'us' }]
const value = [...REGIONS].sort((a, b) => a.label.localeCompare(b.label)).map((r) => r.value)`
    expect(valueOf(code)).toEqual(['ap', 'eu', 'us'])
    // English puts "apple" before "Banana"; a POSIX locale orders by code point, the other way.
    expect(reasonOf(`const value = ['Banana', 'apple'].sort((a, b) => a.localeCompare(b))`)).toContain('depends on the locale')
    expect(reasonOf(`const value = 'é'.localeCompare('e')`)).toContain('localeCompare')
    expect(reasonOf(`const value = 'a'.localeCompare('b', 'sv')`)).toContain('localeCompare')
  })

  it('models lodash uniq, compact, flatten, isEmpty, cloneDeep and get on known data', () => {
    const code = `import _ from 'lodash'
import uniq from 'lodash/uniq'
import { get } from 'lodash'
const BASE = { api: { region: 'us', hosts: ['a', 'b'] } }
function build() {
  const copy = _.cloneDeep(BASE)
  copy.api.hosts.push('c')
  return copy
}
const value = [
  uniq(['a', 'b', 'a']), _.compact([0, 'x', '', null, 'y']), _.flatten([[1], 2, [3, [4]]]),
  _.isEmpty({}), _.isEmpty([1]), _.isEmpty(''), get(BASE, 'api.region'), get(BASE, ['api', 'missing'], 'fallback'),
  build(), BASE.api.hosts.length
]`
    expect(valueOf(code)).toEqual([
      ['a', 'b'],
      ['x', 'y'],
      [1, 2, 3, [4]],
      true,
      false,
      true,
      'us',
      'fallback',
      { api: { region: 'us', hosts: ['a', 'b', 'c'] } },
      2
    ])
    expect(reasonOf(`import _ from 'lodash'\nconst value = _.camelCase('Hello world')`)).toContain('lodash')
    expect(reasonOf(`import { get } from 'lodash'\nconst value = get({ a: [1] }, 'a[0]')`)).toContain('dotted path')
  })

  it('reads static members of a class: static helpers build fields, static tables are data', () => {
    const code = `export class FieldFactory {
  static readonly PREFIX = '$.properties.'
  static textField(label: string, key: string) {
    return { label, type: 'string', default: { '@path': FieldFactory.PREFIX + key } }
  }
  static withRequired(field: Record<string, unknown>) {
    return { ...field, required: true }
  }
  send(payload: unknown) { return payload }
}
const value = {
  orderId: FieldFactory.withRequired(FieldFactory.textField('Order ID', 'order_id')),
  total: FieldFactory.textField('Total', 'total')
}`
    expect(valueOf(code)).toEqual({
      orderId: { label: 'Order ID', type: 'string', default: { '@path': '$.properties.order_id' }, required: true },
      total: { label: 'Total', type: 'string', default: { '@path': '$.properties.total' } }
    })
    expect(reasonOf(`class A { static x = 1 }\nconst value = Object.keys(A)`)).toContain('static members')
    expect(valueOf(`class A { static x = 1; static m() { return 2 } }\nconst value = [typeof A, typeof A.m, A.m()]`)).toEqual([
      'function',
      'function',
      2
    ])
    expect(reasonOf(`class A { static make() { return this.name } }\nconst value = A.make()`)).toContain('this')
    expect(reasonOf(`class Base { static x = 1 }\nclass A extends Base {}\nconst value = A.x`)).toContain('extends')
    expect(reasonOf(`class A { static x = 1; static { A.x = 2 } }\nconst value = A.x`)).toContain('static block')
  })

  it('builds Sets and Maps with constant keys: dedupes, lookups, iteration, changes the call made', () => {
    const code = `const EVENT_TYPES = ['track', 'page', 'track', 'identify']
const LABELS = new Map([['track', 'Track'], ['page', 'Page']])
function choices() {
  const seen = new Set<string>()
  const out: Array<{ label: string; value: string }> = []
  for (const type of EVENT_TYPES) {
    if (seen.has(type)) continue
    seen.add(type)
    out.push({ label: LABELS.get(type) ?? type.toUpperCase(), value: type })
  }
  const byValue = new Map<string, number>()
  out.forEach((choice, index) => byValue.set(choice.value, index))
  byValue.delete('page')
  return { out, unique: [...new Set(EVENT_TYPES)], size: seen.size, keys: Array.from(byValue.keys()), pairs: [...byValue] }
}
const value = choices()`
    expect(valueOf(code)).toEqual({
      out: [
        { label: 'Track', value: 'track' },
        { label: 'Page', value: 'page' },
        { label: 'IDENTIFY', value: 'identify' }
      ],
      unique: ['track', 'page', 'identify'],
      size: 3,
      keys: ['track', 'identify'],
      pairs: [
        ['track', 0],
        ['identify', 2]
      ]
    })
    expect(reasonOf(`const SEEN = new Set(['a'])\nfunction f() { SEEN.add('b'); return 1 }\nconst value = f()`)).toContain(
      'not created by this call'
    )
    expect(reasonOf(`function f() { const s = new Set(); s.add({ a: 1 }); return s.size }\nconst value = f()`)).toContain(
      'keys that are not constants'
    )
    expect(reasonOf(`const value = { choices: new Set(['a']) }.choices.foo()`)).toContain('Set .foo()')
  })

  it('gives each turn of a for loop its own let binding, as closures see it', () => {
    expect(
      valueOf(
        `function f() { const fns: Array<() => number> = []; for (let i = 0; i < 3; i++) fns.push(() => i); return fns.map((g) => g()) }\nconst value = f()`
      )
    ).toEqual([0, 1, 2])
  })
})

describe('what the interpreter refuses', () => {
  it('never changes an object the call did not create, and leaves the object as declared', () => {
    const [result, table] = valuesOf(
      `export const TABLE = { a: 1 }\nfunction poke(t: Record<string, number>) { t.b = 2; return 'done' }\nexport const result = poke(TABLE)\n`,
      ['result', 'TABLE']
    )
    expect(result).toBeInstanceOf(Unresolved)
    expect((result as Unresolved).reason).toContain('not created by this call')
    expect(table).toEqual({ a: 1 })
  })

  it('is unknown on uncaught throws, unknown branches, unknown calls, instances and changes to outside state', () => {
    expect(reasonOf(`function f() { throw new Error('x') }\nconst value = f()`)).toContain('throws')
    expect(reasonOf(`function f() { try { return JSON.parse('{bad') } catch { return {} } }\nconst value = f()`)).toContain(
      'try block met a value that is not known'
    )
    expect(
      reasonOf(
        `import { lookup } from 'some-sdk'\nfunction f() { try { return lookup('x') } catch { return 'fallback' } }\nconst value = f()`
      )
    ).toContain('some-sdk')
    expect(reasonOf(`function f() { if (process.env.X) return 1; return 2 }\nconst value = f()`)).toContain('process')
    expect(reasonOf(`import { send } from 'http-lib'\nfunction f() { send('x'); return 1 }\nconst value = f()`)).toContain('http-lib')
    expect(reasonOf(`class Box {}\nfunction f() { return new Box() }\nconst value = f()`)).toContain('Box')
    expect(reasonOf(`let counter = 0\nfunction f() { counter++; return counter }\nconst value = f()`)).toContain('counter')
  })

  it('stops endless and long loops within the budget, and deep recursion at the depth limit', () => {
    expect(reasonOf(`function f() { for (;;) {} }\nconst value = f()`)).toContain(`budget of ${MAX_STEPS_PER_EVALUATION} steps`)
    expect(reasonOf(`function f() { let n = 0; while (n < 10_000_000) n++; return n }\nconst value = f()`)).toContain('budget')
    expect(reasonOf(`function f(n: number): number { return n <= 1 ? 1 : n * f(n - 1) }\nconst value = f(50)`)).toContain('deep')
    expect(valueOf(`function f(n: number): number { return n <= 1 ? 1 : n * f(n - 1) }\nconst value = f(5)`)).toBe(120)
  })

  it('bounds the steps of a whole model, so that many endless helpers cannot add up', () => {
    const helpers = Array.from({ length: 25 }, (_, index) => `function f${index}() { for (;;) {} }`).join('\n')
    const value = valueOf(
      `${helpers}\nconst value = [${Array.from({ length: 25 }, (_, index) => `f${index}()`).join(', ')}]`
    ) as Unresolved[]
    expect(value[0].reason).toContain('evaluation ran past its budget')
    expect(value[24].reason).toContain('the model ran past its budget')
  })
})
