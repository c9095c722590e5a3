// The values the static evaluator produces: plain JS data, plus markers for what it
// cannot or must not compute (unresolved values, functions, module namespaces).
import type { ts } from 'ts-morph'

/** Where a value or a property was written. Lines and columns are 1-based. */
export interface SourceLocation {
  path: string
  line: number
  column: number
}

/** A value static analysis could not determine. Never replaced by a guess. */
export class Unresolved {
  constructor(
    readonly reason: string,
    readonly location?: SourceLocation
  ) {}
}

/** A function or method written in the integration; its body is kept for the rules, never run. */
export class FunctionValue {
  constructor(
    readonly node: ts.FunctionLikeDeclaration,
    readonly path: string,
    readonly name: string | undefined,
    /** Bindings of the helper call this function was created in (opaque to everything but the evaluator). */
    readonly closure?: object
  ) {}
}

/** A built-in helper the evaluator models exactly (e.g. `defaultValues` of actions-core). */
export class BuiltinFunction {
  constructor(
    readonly name: string,
    readonly call: (args: StaticValue[], at: SourceLocation) => StaticValue
  ) {}
}

/** `import * as ns from './x'`: property reads become export lookups. */
export class ModuleNamespace {
  constructor(readonly path: string) {}
}

export type StaticPrimitive = string | number | boolean | null | undefined | bigint
export type StaticValue =
  | StaticPrimitive
  | StaticObject
  | StaticValue[]
  | Unresolved
  | FunctionValue
  | BuiltinFunction
  | ModuleNamespace

export interface StaticObject {
  [key: string]: StaticValue
}

/** Objects whose key set is not fully known (an unresolved spread went into them). */
const partialObjects = new WeakMap<object, Unresolved>()
export function markPartial(object: object, why: Unresolved): void {
  if (!partialObjects.has(object)) partialObjects.set(object, why)
}

/** The reason an object's key set is incomplete, or undefined when it is complete. */
export function partialReason(object: object): Unresolved | undefined {
  return partialObjects.get(object)
}

/** Objects that module top-level code may modify after their declaration. */
const mutatedObjects = new WeakMap<object, Unresolved>()
const MAX_DEEP_MARKS = 100_000

/** Marks an object (and, when deep, everything reachable from it) as possibly modified. */
export function markMutated(object: object, why: Unresolved, deep: boolean): void {
  const pending: object[] = [object]
  let marked = 0
  while (pending.length > 0 && marked < MAX_DEEP_MARKS) {
    const current = pending.pop() as object
    if (mutatedObjects.has(current)) continue
    mutatedObjects.set(current, why)
    marked++
    if (!deep) continue
    for (const value of Object.values(current)) {
      if (typeof value === 'object' && value !== null && (isPlainObject(value) || Array.isArray(value))) pending.push(value)
    }
  }
}

/** Why a value may have been modified after its declaration, if it may. */
export function mutationOf(value: unknown): Unresolved | undefined {
  return typeof value === 'object' && value !== null ? mutatedObjects.get(value) : undefined
}

/** Where values were written, kept as syntax nodes; line and column are computed only when asked. */
const objectNodes = new WeakMap<object, ts.Node>()
const propertyNodes = new WeakMap<object, Map<string, ts.Node>>()

export function setLocation(object: object, node: ts.Node): void {
  objectNodes.set(object, node)
}

export function setPropertyLocation(object: object, key: string, node: ts.Node): void {
  let map = propertyNodes.get(object)
  if (!map) propertyNodes.set(object, (map = new Map()))
  map.set(key, node)
}

/** The 1-based location of a node (its source file is reached through parent links). */
export function locateNode(node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile()
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
  return { path: sourceFile.fileName, line: line + 1, column: character + 1 }
}

/** Where an object literal (or array) was written. */
export function locationOf(value: unknown): SourceLocation | undefined {
  const node = typeof value === 'object' && value !== null ? objectNodes.get(value) : undefined
  return node ? locateNode(node) : undefined
}

/** Where a property of an object was written, falling back to the object itself. */
export function propertyLocationOf(object: unknown, key: string): SourceLocation | undefined {
  if (typeof object !== 'object' || object === null) return undefined
  const node = propertyNodes.get(object)?.get(key) ?? objectNodes.get(object)
  return node ? locateNode(node) : undefined
}

export function isPlainObject(value: unknown): value is StaticObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export function isUnresolved(value: unknown): value is Unresolved {
  return value instanceof Unresolved
}

/** Defines an own property without triggering setters (`__proto__` in partner code stays a key). */
export function defineProperty(object: StaticObject, key: string, value: StaticValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
  else object[key] = value
}

/** Reads an own property; a missing key on a partial object is unknown, not undefined. */
export function readProperty(object: StaticObject, key: string): StaticValue {
  const mutated = mutatedObjects.get(object)
  if (mutated) return mutated
  if (Object.prototype.hasOwnProperty.call(object, key)) return object[key]
  const partial = partialObjects.get(object)
  if (partial) return new Unresolved(`"${key}" may come from an unresolved spread: ${partial.reason}`, partial.location)
  return undefined
}

/** Copies own properties (and their locations) as an object spread does. */
export function spreadInto(target: StaticObject, source: StaticObject): void {
  const mutated = mutatedObjects.get(source)
  if (mutated) {
    overrideAllKeys(target, mutated)
    return
  }
  const partial = partialObjects.get(source)
  if (partial) overrideAllKeys(target, partial)
  const nodes = propertyNodes.get(source)
  for (const key of Object.keys(source)) {
    defineProperty(target, key, source[key])
    const node = nodes?.get(key)
    if (node) setPropertyLocation(target, key, node)
  }
  if (partial) markPartial(target, partial)
}

/**
 * An unresolved spread may override any key written before it: those keys become unknown,
 * and the object's key set is incomplete from then on.
 */
export function overrideAllKeys(target: StaticObject, why: Unresolved): void {
  for (const key of Object.keys(target)) {
    defineProperty(target, key, new Unresolved(`"${key}" may be overridden by a later unknown key or spread: ${why.reason}`, why.location))
  }
  markPartial(target, why)
}
