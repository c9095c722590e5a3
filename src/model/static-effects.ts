// Changes an interpreted helper makes to objects and arrays it created itself: property set,
// delete, and the mutating array methods. A change to anything else (an object declared by the
// module, shared with other values) is not modelled: the evaluation aborts instead.
import { abort, type Where } from './static-environment.js'
import { MAX_ARRAY_LENGTH } from './static-limits.js'
import {
  BuiltinFunction,
  FunctionValue,
  StaticCollection,
  Unresolved,
  defineProperty,
  isPlainObject,
  markPartial,
  mutationOf,
  ownerOf,
  partialReason,
  setOwner,
  type StaticValue
} from './static-values.js'

/**
 * Objects created by the running evaluation: the only ones it may change. Each object records
 * its creator in its facts slot (a WeakSet per evaluation costs the collector far more).
 */
export class OwnedObjects {
  private readonly token = {}

  own<T extends StaticValue>(value: T): T {
    if (typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value) || value instanceof StaticCollection))
      setOwner(value, this.token)
    return value
  }

  /** Owns a container and every container inside it (a deep copy the call just made). */
  ownDeep<T extends StaticValue>(value: T): T {
    if (Array.isArray(value)) for (const element of value) this.ownDeep(element)
    else if (isPlainObject(value)) for (const key of Object.keys(value)) this.ownDeep(value[key])
    return this.own(value)
  }

  has(value: StaticValue): boolean {
    return ownerOf(value) === this.token
  }

  /** Aborts unless `target` was created by this evaluation. */
  requireOwned(target: StaticValue, what: string, at: Where): void {
    if (!this.has(target)) abort(`${what} of an object not created by this call is not modelled`, at)
    const mutated = mutationOf(target)
    if (mutated) abort(mutated.reason, at)
  }
}

export function setMember(owned: OwnedObjects, target: StaticValue, key: string, value: StaticValue, at: Where): void {
  owned.requireOwned(target, `writing "${key}"`, at)
  if (Array.isArray(target)) {
    if (key === 'length' && typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ARRAY_LENGTH) {
      target.length = value
      return
    }
    if (/^(0|[1-9]\d*)$/.test(key) && Number(key) < MAX_ARRAY_LENGTH) {
      target[Number(key)] = value
      return
    }
    abort(`writing "${key}" of an array is not modelled`, at)
  }
  if (isPlainObject(target)) {
    defineProperty(target, key, value)
    return
  }
  abort(`writing "${key}" of a value that is not a known object`, at)
}

export function deleteMember(owned: OwnedObjects, target: StaticValue, key: string, at: Where): boolean {
  if (target === undefined || target === null) abort(`delete of "${key}" of ${String(target)} throws`, at)
  owned.requireOwned(target, `delete of "${key}"`, at)
  if (isPlainObject(target)) {
    if (partialReason(target)) abort(`delete of "${key}" of an object whose keys are not all known`, at)
    delete target[key]
    return true
  }
  abort(`delete of "${key}" is only modelled on plain objects`, at)
}

const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'reverse', 'sort', 'fill'])

export function isArrayMutator(method: string): boolean {
  return ARRAY_MUTATORS.has(method)
}

/** `array.push(...)` and the other mutating methods, on an array the call created. */
export function callArrayMutator(
  owned: OwnedObjects,
  array: StaticValue,
  method: string,
  args: StaticValue[],
  at: Where,
  call: (fn: StaticValue, args: StaticValue[]) => StaticValue
): StaticValue {
  if (!Array.isArray(array)) abort(`.${method}() of a value that is not a known array`, at)
  owned.requireOwned(array, `.${method}()`, at)
  switch (method) {
    case 'push':
    case 'unshift':
      if (array.length + args.length > MAX_ARRAY_LENGTH) abort('array too large to model', at)
      return method === 'push' ? array.push(...args) : array.unshift(...args)
    case 'pop':
      return array.pop()
    case 'shift':
      return array.shift()
    case 'reverse':
      array.reverse()
      return array
    case 'splice': {
      const [start, count, ...items] = args
      if (typeof start !== 'number' || !(count === undefined || typeof count === 'number'))
        abort('.splice() with positions that are not constants', at)
      const removed = args.length < 2 ? array.splice(start) : array.splice(start, count as number, ...items)
      return owned.own(removed)
    }
    case 'sort': {
      const [comparator] = args
      if (comparator === undefined) {
        // Without a comparator JS compares the strings of primitives: the host does the same.
        if (!array.every((element) => typeof element === 'string' || typeof element === 'number'))
          abort('.sort() of values that are not constants', at)
        array.sort()
        return array
      }
      if (!(comparator instanceof FunctionValue || comparator instanceof BuiltinFunction))
        abort('.sort() with a comparator that is not a known function', at)
      // The host's sort is stable, as every JS engine's is since ES2019: with the same comparator it gives the same order.
      array.sort((a, b) => {
        const order = call(comparator, [a, b])
        if (order instanceof Unresolved) abort(`.sort() with a comparator whose result is not known: ${order.reason}`, at)
        if (typeof order !== 'number' || Number.isNaN(order)) abort('.sort() with a comparator whose result is not a known number', at)
        return order
      })
      return array
    }
    case 'fill': {
      const [value, start, end] = args
      if (!(start === undefined || typeof start === 'number') || !(end === undefined || typeof end === 'number'))
        abort('.fill() with positions that are not constants', at)
      array.fill(value, start, end)
      return array
    }
  }
  return abort(`.${method}() is not modelled`, at)
}

/** `Object.assign(target, ...sources)` on a target the call created. */
export function assignInto(owned: OwnedObjects, target: StaticValue, sources: StaticValue[], at: Where): StaticValue {
  owned.requireOwned(target, 'Object.assign()', at)
  if (!isPlainObject(target)) abort('Object.assign() into a value that is not a known object', at)
  for (const source of sources) {
    if (source === undefined || source === null) continue
    if (!isPlainObject(source)) abort('Object.assign() from a value that is not a known object', at)
    const why = mutationOf(source) ?? partialReason(source)
    if (why) {
      markPartial(target, why)
      abort(`Object.assign() from an object whose keys are not all known: ${why.reason}`, at)
    }
    for (const key of Object.keys(source)) defineProperty(target, key, source[key])
  }
  return target
}
