// The evaluator computes exactly what JS would for the constructs it models, and says
// "unresolved" (with a reason) for everything else.
import { describe, expect, it } from 'vitest'
import { SourceProgram } from '../../src/model/source-program.js'
import { StaticEvaluator } from '../../src/model/static-evaluator.js'
import { Unresolved, isPlainObject, partialReason, type StaticValue } from '../../src/model/static-values.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

function valueOf(code: string, extraFiles: Record<string, string> = {}): StaticValue {
  const source = new MemoryFileSource({ 'src/main.ts': `${code}\nexport const result = value\n`, ...extraFiles })
  return new StaticEvaluator(new SourceProgram(source)).evaluateExport('src/main.ts', 'result')
}

describe('static evaluator', () => {
  it('applies spreads in order: later keys win, earlier ones are overridden', () => {
    expect(valueOf(`const base = { a: 1, b: 2 }\nconst value = { a: 0, ...base, b: 3 }`)).toEqual({ a: 1, b: 3 })
  })

  it('makes keys before an unknown spread unknown, and keeps the ones after', () => {
    const value = valueOf(`import { x } from 'somewhere'\nconst value = { a: 1, ...x, b: 2 }`)
    if (!isPlainObject(value)) throw new Error('expected an object')
    expect(value.a).toBeInstanceOf(Unresolved)
    expect(value.b).toBe(2)
    expect(partialReason(value)?.reason).toContain('somewhere')
  })

  it('evaluates numeric enums with their reverse mapping, like compiled enums', () => {
    expect(valueOf(`enum Level { Low = 1, Mid, High }\nconst value = Object.values(Level)`)).toEqual(['Low', 'Mid', 'High', 1, 2, 3])
    expect(valueOf(`enum Region { US = 'us', EU = 'eu' }\nconst value = Object.values(Region).map((r) => r.toUpperCase())`)).toEqual([
      'US',
      'EU'
    ])
  })

  it('calls helpers with their arguments bound, closures included', () => {
    const code = `function field(label: string, required = false) { const type = 'string'; return { label, type, required } }
const make = (prefix: string) => (name: string) => prefix + name
const value = [field('A'), field('B', true), make('x_')('y')]`
    expect(valueOf(code)).toEqual([{ label: 'A', type: 'string', required: false }, { label: 'B', type: 'string', required: true }, 'x_y'])
  })

  it('folds templates, operators, optional chaining and logical defaults', () => {
    const code = `const n = 2\nconst o = { deep: { v: 'x' } } as const\nconst none = undefined as { v?: string } | undefined
const value = [\`a\${n * 3}b\`, 'p' + n, o?.deep.v, none?.v, none ?? 'fallback', 0 || 'or', n > 1 ? 'big' : 'small', typeof n]`
    expect(valueOf(code)).toEqual(['a6b', 'p2', 'x', undefined, 'fallback', 'or', 'big', 'number'])
  })

  it('follows destructuring, re-exports and namespace imports across files', () => {
    const files = {
      'src/fields/index.ts': `export * from './email'\nexport { phone as phoneField } from './phone'`,
      'src/fields/email.ts': `export const email = { label: 'Email' }`,
      'src/fields/phone.ts': `export const phone = { label: 'Phone' }`
    }
    const code = `import * as fields from './fields'\nimport { phoneField } from './fields'\nconst { email: { label } } = fields
const value = [label, phoneField.label]`
    expect(valueOf(code, files)).toEqual(['Email', 'Phone'])
  })

  it('refuses what it does not model, with a reason', () => {
    for (const code of [
      `let x = 1\nconst value = x`,
      `function f() { for (;;) {} }\nconst value = f()`,
      `const value = process.env.TOKEN`,
      `const value = new Date().toISOString()`,
      `const LIST = [2, 1]\nconst value = LIST.sort()`
    ]) {
      const value = valueOf(code)
      expect(value, code).toBeInstanceOf(Unresolved)
      expect((value as Unresolved).reason.length, code).toBeGreaterThan(5)
    }
  })
})

describe('modelled library functions', () => {
  it('computes reduce, at, Math, toString, JSON and structuredClone exactly', () => {
    const code = `const KEYS = ['a', 'b']
const value = [
  KEYS.reduce((acc, key) => ({ ...acc, [key]: key.toUpperCase() }), {}),
  KEYS.at(-1), Math.max(1, 5, 3), (255).toString(16), JSON.stringify({ a: [1, 'x'] }), JSON.parse('{"b":2}'),
  structuredClone({ deep: { list: [1] } })
]`
    expect(valueOf(code)).toEqual([{ a: 'A', b: 'B' }, 'b', 5, 'ff', '{"a":[1,"x"]}', { b: 2 }, { deep: { list: [1] } }])
  })

  it('keeps run-time values unknown', () => {
    for (const code of [
      `const value = Math.random()`,
      `const value = JSON.stringify({ f: () => 1 })`,
      `const value = [].reduce((a, b) => a)`
    ]) {
      expect(valueOf(code), code).toBeInstanceOf(Unresolved)
    }
  })
})

describe('lodash pick and omit', () => {
  const FIELDS = `const fields = { a: { label: 'A' }, b: { label: 'B' }, c: { label: 'C' } }\n`
  it('computes them exactly for the import forms real code uses', () => {
    expect(
      valueOf(
        `import { pick, omit } from 'lodash'\n${FIELDS}const value = [Object.keys(pick(fields, ['c', 'a', 'x'])), Object.keys(omit(fields, 'b'))]`
      )
    ).toEqual([
      ['c', 'a'],
      ['a', 'c']
    ])
    expect(valueOf(`import _ from 'lodash'\n${FIELDS}const value = { ..._.pick(fields, 'b') }`)).toEqual({ b: { label: 'B' } })
    expect(valueOf(`import omit from 'lodash/omit'\n${FIELDS}const value = Object.keys({ ...omit(fields, ['a', 'c']) })`)).toEqual(['b'])
  })

  it('leaves deep paths and other lodash functions unknown', () => {
    expect(valueOf(`import { pick } from 'lodash'\n${FIELDS}const value = pick(fields, 'a.label')`)).toBeInstanceOf(Unresolved)
    expect(valueOf(`import _ from 'lodash'\n${FIELDS}const value = _.merge({}, fields)`)).toBeInstanceOf(Unresolved)
  })
})
