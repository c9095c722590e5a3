// The few library functions the evaluator models exactly: `defaultValues` of actions-core,
// the browser-destination wrapper, and pure methods of arrays, strings and `Object`.
// Each one computes what JS would, on constant inputs only.
import { collectionItems } from './static-collections.js'
import {
  BuiltinFunction,
  StaticCollection,
  FunctionValue,
  Unresolved,
  defineProperty,
  isPlainObject,
  markPartial,
  mutationOf,
  partialReason,
  readProperty,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from './static-values.js'

type CallFunction = (fn: StaticValue, args: StaticValue[]) => StaticValue

export const NOT_A_GLOBAL = Symbol('not a global')

/** actions-core's `defaultValues(fields)`: the keys of fields whose `default` is defined. */
const defaultValues = new BuiltinFunction('defaultValues', ([fields], at) => {
  if (fields instanceof Unresolved) return fields
  if (!isPlainObject(fields)) return new Unresolved('defaultValues() of a value that is not a known object', at)
  const mutated = mutationOf(fields)
  if (mutated) return mutated
  const result: StaticObject = {}
  for (const key of Object.keys(fields)) {
    const field = fields[key]
    const value = isPlainObject(field)
      ? readProperty(field, 'default')
      : field instanceof Unresolved
        ? field
        : new Unresolved(`field "${key}" is not a known object`, at)
    if (value !== undefined) defineProperty(result, key, value)
  }
  const partial = partialReason(fields)
  if (partial) markPartial(result, partial)
  return result
})

/** `browserDestination(definition)` wraps a browser definition; the definition is what we model. */
const browserDestination = new BuiltinFunction('browserDestination', ([definition]) => definition)

/** Flat key lists as lodash takes them (`'a', 'b'` or `['a', 'b']`); deep paths are not modelled. */
function flatKeys(paths: StaticValue[]): string[] | undefined {
  const keys: string[] = []
  for (const path of paths.flatMap((entry) => (Array.isArray(entry) ? entry : [entry]))) {
    if (typeof path === 'number') keys.push(String(path))
    else if (typeof path === 'string' && !/[.[\]]/.test(path)) keys.push(path)
    else return undefined
  }
  return keys
}

/** lodash's `pick(object, ...keys)`: the listed keys the object has, in the order listed. */
const pick = new BuiltinFunction('pick', ([object, ...paths], at) => {
  if (object instanceof Unresolved) return object
  if (object === undefined || object === null) return {}
  const keys = flatKeys(paths)
  if (!isPlainObject(object) || !keys) return new Unresolved('pick() of values that are not a known object and flat keys', at)
  const why = mutationOf(object) ?? partialReason(object)
  if (why) return why
  const result: StaticObject = {}
  for (const key of keys) if (Object.prototype.hasOwnProperty.call(object, key)) defineProperty(result, key, object[key])
  return result
})

/** lodash's `omit(object, ...keys)`: every key of the object but the listed ones, in the object's order. */
const omit = new BuiltinFunction('omit', ([object, ...paths], at) => {
  if (object instanceof Unresolved) return object
  if (object === undefined || object === null) return {}
  const keys = flatKeys(paths)
  if (!isPlainObject(object) || !keys) return new Unresolved('omit() of values that are not a known object and flat keys', at)
  const mutated = mutationOf(object)
  if (mutated) return mutated
  const result: StaticObject = {}
  for (const key of Object.keys(object)) if (!keys.includes(key)) defineProperty(result, key, object[key])
  const partial = partialReason(object)
  if (partial) markPartial(result, partial)
  return result
})

/** A known array whose elements are all known, or why not. */
function knownArray(value: StaticValue, what: string, at: SourceLocation): StaticValue[] | Unresolved {
  if (value instanceof Unresolved) return value
  if (!Array.isArray(value)) return new Unresolved(`${what} of a value that is not a known array`, at)
  const mutated = mutationOf(value)
  if (mutated) return mutated
  const unknown = value.find((element) => element instanceof Unresolved)
  return unknown instanceof Unresolved ? unknown : value
}

/** lodash's `uniq(array)`: first occurrences, compared as SameValueZero (primitives only). */
const uniq = new BuiltinFunction('uniq', ([array], at) => {
  if (array === undefined || array === null) return []
  const elements = knownArray(array, 'uniq()', at)
  if (elements instanceof Unresolved) return elements
  if (!elements.every(isPrimitiveValue)) return new Unresolved('uniq() of objects is not modelled', at)
  return [...new Set(elements)]
})

/** lodash's `compact(array)`: the truthy elements. */
const compact = new BuiltinFunction('compact', ([array], at) => {
  if (array === undefined || array === null) return []
  const elements = knownArray(array, 'compact()', at)
  return elements instanceof Unresolved ? elements : elements.filter(truthy)
})

/** lodash's `flatten(array)`: one level of nested arrays spread in place. */
const flatten = new BuiltinFunction('flatten', ([array], at) => {
  if (array === undefined || array === null) return []
  const elements = knownArray(array, 'flatten()', at)
  if (elements instanceof Unresolved) return elements
  const nested = elements.find((element) => Array.isArray(element) && mutationOf(element))
  if (nested) return mutationOf(nested)
  return elements.flatMap((element) => (Array.isArray(element) ? element : [element]))
})

/** lodash's `isEmpty(value)`: no own keys, elements or characters (and true of every other primitive). */
const isEmpty = new BuiltinFunction('isEmpty', ([value], at) => {
  if (value instanceof Unresolved) return value
  if (typeof value === 'string') return value.length === 0
  if (Array.isArray(value)) return mutationOf(value) ?? value.length === 0
  if (isPlainObject(value)) {
    const why = mutationOf(value)
    if (why) return why
    if (Object.keys(value).length > 0) return false
    return partialReason(value) ?? true
  }
  if (isPrimitiveValue(value)) return true
  return new Unresolved('isEmpty() of a value that is not a known object', at)
})

/** lodash's `cloneDeep(value)` of plain data (copying through JSON is exact for it). */
const cloneDeep = new BuiltinFunction('cloneDeep', ([value], at) =>
  isPlainData(value)
    ? (JSON.parse(JSON.stringify(value ?? null)) as StaticValue)
    : new Unresolved('cloneDeep() of a value that is not constant data', at)
)

/** lodash's `get(object, path, fallback)` with a dotted path or a key list; brackets are not modelled. */
const get = new BuiltinFunction('get', ([object, path, fallback], at) => {
  const keys =
    typeof path === 'string'
      ? /[[\]]/.test(path)
        ? undefined
        : path.split('.')
      : Array.isArray(path) && path.every((key) => typeof key === 'string')
        ? path
        : undefined
  if (!keys) return new Unresolved('get() with a path that is not a constant dotted path', at)
  let current: StaticValue = object
  for (const key of keys) {
    if (current instanceof Unresolved) return current
    if (current === undefined || current === null) return fallback
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key)) current = mutationOf(current) ?? current[Number(key)]
    else if (isPlainObject(current)) current = readProperty(current, key)
    else return new Unresolved(`get() through a value that is not a known object`, at)
  }
  return current === undefined ? fallback : current
})

const LODASH_FUNCTIONS: Record<string, BuiltinFunction> = { pick, omit, uniq, compact, flatten, isEmpty, cloneDeep, get }

/** `import _ from 'lodash'`: the functions above are modelled; other members are unknown, not undefined. */
function lodashNamespace(): StaticObject {
  const namespace: StaticObject = { ...LODASH_FUNCTIONS }
  markPartial(namespace, new Unresolved(`only ${Object.keys(LODASH_FUNCTIONS).join('(), ')}() of lodash are modelled`))
  return namespace
}
const LODASH = lodashNamespace()

const EXTERNAL_EXPORTS: Array<{ module: RegExp; exports: Record<string, StaticValue> }> = [
  { module: /^@segment\/actions-core(\/.*)?$/, exports: { defaultValues } },
  { module: /^@segment\/browser-destination-runtime(\/.*)?$/, exports: { browserDestination } },
  { module: /^lodash(-es)?$/, exports: { ...LODASH_FUNCTIONS, default: LODASH, '*': LODASH } },
  ...Object.entries(LODASH_FUNCTIONS).map(([name, fn]) => ({
    module: new RegExp(`^lodash(-es)?/${name}(\\.js)?$|^lodash\\.${name.toLowerCase()}$`),
    exports: { default: fn, '*': fn }
  }))
]

/** An import from outside the repository: modelled when it is a known helper, otherwise unknown. */
export function externalModuleExport(specifier: string, name: string, at: SourceLocation): StaticValue {
  for (const known of EXTERNAL_EXPORTS) {
    if (known.module.test(specifier) && Object.prototype.hasOwnProperty.call(known.exports, name)) return known.exports[name]
  }
  const what = name === 'default' ? 'the default export' : name === '*' ? 'the namespace' : `"${name}"`
  return new Unresolved(`${what} of the external module "${specifier}" is not in the repository`, at)
}

function objectStatic(name: string, compute: (object: StaticObject) => StaticValue): BuiltinFunction {
  return new BuiltinFunction(`Object.${name}`, ([object], at) => {
    if (object instanceof Unresolved) return object
    if (!isPlainObject(object)) return new Unresolved(`Object.${name}() of a value that is not a known object`, at)
    const mutated = mutationOf(object)
    if (mutated) return mutated
    const partial = partialReason(object)
    if (partial) return new Unresolved(`Object.${name}() of an object with unknown keys: ${partial.reason}`, at)
    return compute(object)
  })
}

const OBJECT_STATICS: StaticObject = {
  keys: objectStatic('keys', (object) => Object.keys(object)),
  values: objectStatic('values', (object) => Object.values(object)),
  entries: objectStatic('entries', (object) => Object.entries(object)),
  freeze: new BuiltinFunction('Object.freeze', ([object]) => object),
  fromEntries: new BuiltinFunction('Object.fromEntries', ([entries], at) => {
    if (!Array.isArray(entries)) return new Unresolved('Object.fromEntries() of a value that is not a known array', at)
    const result: StaticObject = {}
    for (const entry of entries) {
      if (!Array.isArray(entry) || (typeof entry[0] !== 'string' && typeof entry[0] !== 'number')) {
        return new Unresolved('Object.fromEntries() with an entry that is not a constant pair', at)
      }
      defineProperty(result, String(entry[0]), entry[1])
    }
    return result
  }),
  assign: new BuiltinFunction('Object.assign', (args, at) => {
    const [target, ...sources] = args
    if (!isPlainObject(target) || !sources.every(isPlainObject))
      return new Unresolved('Object.assign() of values that are not known objects', at)
    const result: StaticObject = {}
    for (const source of [target, ...sources]) {
      for (const key of Object.keys(source)) defineProperty(result, key, source[key])
    }
    return result
  })
}

function primitiveConversion(name: string, convert: (value: unknown) => StaticValue): BuiltinFunction {
  return new BuiltinFunction(name, ([value], at) => {
    if (value instanceof Unresolved) return value
    if (value !== null && typeof value === 'object') return new Unresolved(`${name}() of a value that is not a constant`, at)
    return convert(value)
  })
}

const GLOBALS: Record<string, StaticValue> = {
  undefined: undefined,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  Object: OBJECT_STATICS,
  String: primitiveConversion('String', (value) => String(value)),
  Number: primitiveConversion('Number', (value) => Number(value)),
  Boolean: primitiveConversion('Boolean', (value) => Boolean(value)),
  Array: {
    isArray: new BuiltinFunction('Array.isArray', ([value]) => Array.isArray(value)),
    of: new BuiltinFunction('Array.of', (args) => [...args]),
    from: new BuiltinFunction('Array.from', ([source, mapper], at) => {
      if (mapper !== undefined) return new Unresolved('Array.from() with a mapping function is not evaluated statically', at)
      if (Array.isArray(source) && !mutationOf(source)) return [...source]
      if (typeof source === 'string') return [...source]
      if (source instanceof StaticCollection) return collectionItems(source)
      return new Unresolved('Array.from() of a value that is not a known array or string', at)
    })
  },
  parseInt: new BuiltinFunction('parseInt', ([text, radix], at) =>
    typeof text === 'string' && (radix === undefined || typeof radix === 'number')
      ? Number.parseInt(text, radix)
      : new Unresolved('parseInt() of a value that is not a constant string', at)
  ),
  parseFloat: new BuiltinFunction('parseFloat', ([text], at) =>
    typeof text === 'string' ? Number.parseFloat(text) : new Unresolved('parseFloat() of a value that is not a constant string', at)
  ),
  process: new Unresolved('process (environment variables, arguments) is only known at run time'),
  Date: new Unresolved('dates are only known at run time'),
  Math: mathStatics(),
  JSON: {
    stringify: new BuiltinFunction('JSON.stringify', ([value, replacer, indent], at) => {
      if (replacer !== undefined && replacer !== null)
        return new Unresolved('JSON.stringify() with a replacer is not evaluated statically', at)
      if (!isPlainData(value) || !(indent === undefined || typeof indent === 'number' || typeof indent === 'string')) {
        return new Unresolved('JSON.stringify() of a value that is not constant data', at)
      }
      return JSON.stringify(value, null, indent)
    }),
    parse: new BuiltinFunction('JSON.parse', ([text], at) => {
      if (typeof text !== 'string') return new Unresolved('JSON.parse() of a value that is not a constant string', at)
      try {
        return JSON.parse(text) as StaticValue
      } catch {
        return new Unresolved('JSON.parse() of invalid JSON', at)
      }
    })
  },
  structuredClone: new BuiltinFunction('structuredClone', ([value], at) =>
    isPlainData(value)
      ? (JSON.parse(JSON.stringify(value ?? null)) as StaticValue)
      : new Unresolved('structuredClone() of a value that is not constant data', at)
  )
}

function mathStatics(): StaticObject {
  const statics: StaticObject = {}
  for (const name of ['max', 'min', 'floor', 'ceil', 'round', 'abs', 'trunc', 'pow', 'sign', 'sqrt'] as const) {
    statics[name] = new BuiltinFunction(`Math.${name}`, (args, at) => {
      if (!args.every((arg) => typeof arg === 'number')) return new Unresolved(`Math.${name}() of values that are not constant numbers`, at)
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc cannot spread into the union of Math's signatures without it
      return (Math[name] as (...values: number[]) => number)(...args)
    })
  }
  statics.random = new Unresolved('Math.random() is only known at run time')
  return statics
}

/**
 * Plain JSON-like data with nothing unknown inside, where copying through JSON is exact
 * (no undefined, functions, non-finite numbers or markers).
 */
function isPlainData(value: StaticValue, depth = 0): boolean {
  if (depth > 100) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0)
  if (Array.isArray(value)) return !mutationOf(value) && value.every((element) => isPlainData(element, depth + 1))
  if (isPlainObject(value))
    return !mutationOf(value) && !partialReason(value) && Object.values(value).every((element) => isPlainData(element, depth + 1))
  return false
}

export function globalValue(name: string): StaticValue | typeof NOT_A_GLOBAL {
  return Object.prototype.hasOwnProperty.call(GLOBALS, name) ? GLOBALS[name] : NOT_A_GLOBAL
}

function isCallable(value: StaticValue): boolean {
  return value instanceof FunctionValue || value instanceof BuiltinFunction
}

/** Calls a pure method of an array or a string; anything else is unknown. */
export function callBuiltinMethod(
  target: StaticValue,
  method: string,
  args: StaticValue[],
  at: SourceLocation,
  call: CallFunction
): StaticValue {
  if ((typeof target === 'number' || typeof target === 'boolean') && method === 'toString') {
    const [radix] = args
    if (typeof target === 'number' && (radix === undefined || (typeof radix === 'number' && radix >= 2 && radix <= 36)))
      return target.toString(radix)
    if (typeof target === 'boolean' && radix === undefined) return String(target)
  }
  const unknownArgument = args.find((arg) => arg instanceof Unresolved)
  if (unknownArgument) return unknownArgument
  const mutated = mutationOf(target) ?? args.map(mutationOf).find(Boolean)
  if (mutated) return mutated
  if (Array.isArray(target)) return callArrayMethod(target, method, args, at, call)
  if (typeof target === 'string') return callStringMethod(target, method, args, at)
  return new Unresolved(`.${method}() is not evaluated statically`, at)
}

function callArrayMethod(array: StaticValue[], method: string, args: StaticValue[], at: SourceLocation, call: CallFunction): StaticValue {
  const [first, second] = args
  const callback = (element: StaticValue, index: number) => call(first, [element, index, array])
  switch (method) {
    case 'map':
    case 'filter':
    case 'flatMap':
    case 'forEach': {
      if (!isCallable(first)) return new Unresolved(`.${method}() with a callback that is not a known function`, at)
      const results: StaticValue[] = []
      for (let index = 0; index < array.length; index++) results.push(callback(array[index], index))
      if (method === 'forEach') return undefined
      const unknown = results.find((result) => result instanceof Unresolved)
      if (unknown) return unknown
      if (method === 'map') return results
      if (method === 'flatMap') return results.flatMap((result) => (Array.isArray(result) ? result : [result]))
      return array.filter((_, index) => truthy(results[index]))
    }
    case 'find':
    case 'findIndex':
    case 'some':
    case 'every': {
      // These stop at the first decisive element, as JS does (callbacks may have effects).
      if (!isCallable(first)) return new Unresolved(`.${method}() with a callback that is not a known function`, at)
      for (let index = 0; index < array.length; index++) {
        const result = callback(array[index], index)
        if (result instanceof Unresolved) return result
        const truth = truthy(result)
        if (method === 'every' && !truth) return false
        if (truth && method !== 'every') return method === 'find' ? array[index] : method === 'findIndex' ? index : true
      }
      return method === 'every' ? true : method === 'find' ? undefined : method === 'findIndex' ? -1 : false
    }
    case 'concat': {
      const result = [...array]
      for (const arg of args) {
        if (arg instanceof Unresolved) return arg
        if (Array.isArray(arg)) result.push(...arg)
        else result.push(arg)
      }
      return result
    }
    case 'slice':
      if (!args.every((arg) => arg === undefined || typeof arg === 'number')) break
      return array.slice(first as number | undefined, second as number | undefined)
    case 'join':
      if (!array.every(isPrimitiveValue) || !(first === undefined || typeof first === 'string')) break
      return array.join(first)
    case 'includes':
    case 'indexOf':
      if (!isPrimitiveValue(first) || !array.every((element) => !(element instanceof Unresolved))) break
      return method === 'includes' ? array.includes(first) : array.indexOf(first)
    case 'flat':
      if (first !== undefined) break
      return array.flatMap((element) => (Array.isArray(element) ? element : [element]))
    case 'at':
      if (typeof first !== 'number') break
      return array.at(first)
    case 'reduce': {
      if (!isCallable(first)) break
      let accumulator: StaticValue
      let start = 0
      if (args.length >= 2) accumulator = second
      else if (array.length > 0) {
        accumulator = array[0]
        start = 1
      } else return new Unresolved('.reduce() of an empty array without an initial value throws', at)
      for (let index = start; index < array.length; index++) {
        accumulator = call(first, [accumulator, array[index], index, array])
        if (accumulator instanceof Unresolved) return accumulator
      }
      return accumulator
    }
  }
  return new Unresolved(`array .${method}() is not evaluated statically`, at)
}

/** Strings built by padding or repeating stay small enough to model. */
const MAX_PADDED_LENGTH = 100_000

function callStringMethod(text: string, method: string, args: StaticValue[], at: SourceLocation): StaticValue {
  if (!args.every((arg) => typeof arg === 'string' || typeof arg === 'number' || arg === undefined)) {
    return new Unresolved(`string .${method}() with arguments that are not constants`, at)
  }
  const [a, b] = args
  switch (method) {
    case 'toUpperCase':
      return text.toUpperCase()
    case 'toLowerCase':
      return text.toLowerCase()
    case 'trim':
      return text.trim()
    case 'trimStart':
      return text.trimStart()
    case 'trimEnd':
      return text.trimEnd()
    case 'slice':
      return text.slice(a as number | undefined, b as number | undefined)
    case 'substring':
      return text.substring(a as number, b as number | undefined)
    case 'includes':
      return text.includes(String(a))
    case 'startsWith':
      return text.startsWith(String(a))
    case 'endsWith':
      return text.endsWith(String(a))
    case 'split':
      return typeof a === 'string' ? text.split(a) : new Unresolved('string .split() without a string separator', at)
    case 'replace':
    case 'replaceAll':
      // Only string patterns: a `$` in the replacement keeps its JS meaning because the host does the work.
      if (typeof a !== 'string' || typeof b !== 'string') break
      return method === 'replace' ? text.replace(a, b) : text.replaceAll(a, b)
    case 'concat':
      return text.concat(...args.map(String))
    case 'at':
      return typeof a === 'number' ? text.at(a) : new Unresolved('string .at() without a number', at)
    case 'toString':
      return text
    case 'padStart':
    case 'padEnd':
      if (typeof a !== 'number' || a > MAX_PADDED_LENGTH || !(b === undefined || typeof b === 'string')) break
      return method === 'padStart' ? text.padStart(a, b) : text.padEnd(a, b)
    case 'repeat':
      if (typeof a !== 'number' || a < 0 || text.length * a > MAX_PADDED_LENGTH) break
      return text.repeat(a)
    case 'charAt':
      if (!(a === undefined || typeof a === 'number')) break
      return text.charAt(a ?? 0)
    case 'localeCompare': {
      // The order depends on the locale the generator ran under (English, or POSIX in a bare CI
      // shell, which orders ASCII by code point). Known only with no locale or options, on ASCII
      // text, where both orders agree; V8 returns -1, 0 or 1.
      if (typeof a !== 'string' || args.length > 1 || !ASCII.test(text) || !ASCII.test(a)) break
      const byCodePoint = text < a ? -1 : text > a ? 1 : 0
      if (Math.sign(ENGLISH.compare(text, a)) !== byCodePoint)
        return new Unresolved('string .localeCompare() whose order depends on the locale', at)
      return byCodePoint
    }
    case 'indexOf':
    case 'lastIndexOf':
      if (typeof a !== 'string') break
      return method === 'indexOf' ? text.indexOf(a, b as number | undefined) : text.lastIndexOf(a, b as number | undefined)
  }
  return new Unresolved(`string .${method}() is not evaluated statically`, at)
}

const ASCII = /^[\x20-\x7e]*$/
const ENGLISH = new Intl.Collator('en')

/** JS truthiness of a known value (objects and functions are truthy). */
function truthy(value: StaticValue): boolean {
  return value !== null && typeof value === 'object' ? true : Boolean(value)
}

function isPrimitiveValue(value: StaticValue): value is string | number | boolean | null | undefined {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'bigint')
}
