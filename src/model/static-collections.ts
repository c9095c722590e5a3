// `Set` and `Map` values built by load-time code (`new Set(KEYS)`, a lookup Map filled in a
// loop): construction from known iterables, reads, iteration, and changes to a collection the
// running evaluation created. Keys are constants only; anything else is unknown with the reason.
import { abort, locationOf, type Where } from './static-environment.js'
import type { OwnedObjects } from './static-effects.js'
import { MAX_ARRAY_LENGTH } from './static-limits.js'
import {
  BuiltinFunction,
  FunctionValue,
  StaticCollection,
  Unresolved,
  mutationOf,
  type StaticPrimitive,
  type StaticValue
} from './static-values.js'

type CallFunction = (fn: StaticValue, args: StaticValue[]) => StaticValue

function isKey(value: StaticValue): value is StaticPrimitive {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'bigint')
}

/** The values a for…of, a spread or Array.from visits: a Set's elements, a Map's [key, value] pairs. */
export function collectionItems(collection: StaticCollection, owned?: OwnedObjects): StaticValue[] | Unresolved {
  const mutated = mutationOf(collection)
  if (mutated) return mutated
  if (collection.kind === 'Set') return [...collection.entries.keys()]
  return [...collection.entries].map(([key, value]) => (owned ? owned.own([key, value]) : [key, value]))
}

/** `new Set(iterable)` / `new Map(entries)` from a known array, string or collection. */
export function constructCollection(kind: 'Set' | 'Map', args: StaticValue[], owned: OwnedObjects, at: Where): StaticValue {
  const collection = owned.own(new StaticCollection(kind))
  const [source] = args
  if (source === undefined || source === null) return collection
  if (source instanceof Unresolved) return source
  const mutated = mutationOf(source)
  if (mutated) return mutated
  const items =
    source instanceof StaticCollection
      ? collectionItems(source, owned)
      : Array.isArray(source)
        ? source
        : typeof source === 'string' && kind === 'Set'
          ? [...source]
          : undefined
  if (items === undefined) return new Unresolved(`new ${kind}() of a value that is not a known array`, locationOf(at))
  if (items instanceof Unresolved) return items
  for (const item of items) {
    if (kind === 'Set') {
      if (!isKey(item)) return unknownKey(item, kind, at)
      collection.entries.set(item, item)
      continue
    }
    if (!Array.isArray(item) || mutationOf(item))
      return new Unresolved('new Map() of entries that are not known [key, value] pairs', locationOf(at))
    const [key, value] = item
    if (!isKey(key)) return unknownKey(key, kind, at)
    collection.entries.set(key, value)
  }
  return collection
}

/** `.size` of a collection. */
export function collectionSize(collection: StaticCollection): StaticValue {
  return mutationOf(collection) ?? collection.entries.size
}

export function callCollectionMethod(
  owned: OwnedObjects,
  collection: StaticCollection,
  method: string,
  args: StaticValue[],
  at: Where,
  call: CallFunction
): StaticValue {
  const mutated = mutationOf(collection)
  if (mutated) return mutated
  const [first, second] = args
  const isSet = collection.kind === 'Set'
  switch (method) {
    case 'has':
      return isKey(first) ? collection.entries.has(first) : unknownKey(first, collection.kind, at)
    case 'get':
      if (isSet) break
      return isKey(first) ? collection.entries.get(first) : unknownKey(first, collection.kind, at)
    case 'add':
    case 'set': {
      if ((method === 'add') !== isSet) break
      owned.requireOwned(collection, `.${method}()`, at)
      if (!isKey(first)) abort(unknownKey(first, collection.kind, at).reason, at)
      if (collection.entries.size >= MAX_ARRAY_LENGTH) abort(`${collection.kind} too large to model`, at)
      collection.entries.set(first, isSet ? first : second)
      return collection
    }
    case 'delete':
      owned.requireOwned(collection, '.delete()', at)
      if (!isKey(first)) abort(unknownKey(first, collection.kind, at).reason, at)
      return collection.entries.delete(first)
    case 'clear':
      owned.requireOwned(collection, '.clear()', at)
      collection.entries.clear()
      return undefined
    case 'keys':
      return owned.own([...collection.entries.keys()])
    case 'values':
      return owned.own([...collection.entries.values()])
    case 'entries':
      return owned.own([...collection.entries].map(([key, value]) => owned.own([key, isSet ? key : value])))
    case 'forEach': {
      if (!(first instanceof FunctionValue || first instanceof BuiltinFunction)) break
      if (second !== undefined) break
      // JS visits entries added during the walk too; a snapshot would differ, so changes abort.
      const size = collection.entries.size
      for (const [key, value] of [...collection.entries]) {
        call(first, [value, key, collection])
        if (collection.entries.size !== size) abort(`a ${collection.kind} changed while .forEach() walked it`, at)
      }
      return undefined
    }
  }
  return new Unresolved(`${collection.kind} .${method}() is not evaluated statically`, locationOf(at))
}

function unknownKey(key: StaticValue, kind: string, at: Where): Unresolved {
  return key instanceof Unresolved ? key : new Unresolved(`${kind} keys that are not constants are not modelled`, locationOf(at))
}
