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

/**
 * A `Set` or `Map` an evaluation built. Keys are constants only (strings, numbers, booleans,
 * null, undefined), so that equality is the runtime's SameValueZero with no question of object
 * identity; a Set keeps each element as its own value.
 */
export class StaticCollection {
  readonly entries = new Map<StaticPrimitive, StaticValue>()
  constructor(readonly kind: 'Set' | 'Map') {}
}

export type StaticPrimitive = string | number | boolean | null | undefined | bigint
export type StaticValue =
  StaticPrimitive | StaticObject | StaticValue[] | Unresolved | FunctionValue | BuiltinFunction | ModuleNamespace | StaticCollection

export interface StaticObject {
  [key: string]: StaticValue
}

/**
 * What the evaluator knows about an object it built, kept in a non-enumerable symbol slot so that
 * `Object.keys`, JSON and equality ignore it. (WeakMaps cost the garbage collector far more here.)
 */
interface ObjectFacts {
  /** Where the literal was written. */
  node?: ts.Node
  /** Where each property was written. */
  properties?: Map<string, ts.Node>
  /** Why the key set is incomplete (an unresolved spread went into it). */
  partial?: Unresolved
  /** Why its content is unknown (module code may modify it after its declaration). */
  mutated?: Unresolved
  /** The evaluation that created it (the only one that may change it). */
  owner?: object
}

const FACTS = Symbol('integration-review.object-facts')
type WithFacts = { [FACTS]?: ObjectFacts }

function factsOf(object: object): ObjectFacts | undefined {
  return (object as WithFacts)[FACTS]
}

function ensureFacts(object: object): ObjectFacts {
  let facts = (object as WithFacts)[FACTS]
  if (!facts) {
    facts = {}
    Object.defineProperty(object, FACTS, { value: facts, enumerable: false, writable: false, configurable: false })
  }
  return facts
}

export function markPartial(object: object, why: Unresolved): void {
  const facts = ensureFacts(object)
  facts.partial ??= why
}

/** The reason an object's key set is incomplete, or undefined when it is complete. */
export function partialReason(object: object): Unresolved | undefined {
  return factsOf(object)?.partial
}

const MAX_DEEP_MARKS = 100_000

/** Marks an object (and, when deep, everything reachable from it) as possibly modified. */
export function markMutated(object: object, why: Unresolved, deep: boolean): void {
  const pending: object[] = [object]
  let marked = 0
  while (pending.length > 0 && marked < MAX_DEEP_MARKS) {
    const current = pending.pop() as object
    const facts = ensureFacts(current)
    if (facts.mutated) continue
    facts.mutated = why
    marked++
    if (!deep) continue
    for (const value of Object.values(current)) {
      if (typeof value === 'object' && value !== null && (isPlainObject(value) || Array.isArray(value))) pending.push(value)
    }
  }
}

/** Records which evaluation created an object (see OwnedObjects). */
export function setOwner(object: object, owner: object): void {
  ensureFacts(object).owner = owner
}

export function ownerOf(value: unknown): object | undefined {
  return typeof value === 'object' && value !== null ? factsOf(value)?.owner : undefined
}

/** Why a value may have been modified after its declaration, if it may. */
export function mutationOf(value: unknown): Unresolved | undefined {
  return typeof value === 'object' && value !== null ? factsOf(value)?.mutated : undefined
}

/** Where values were written, kept as syntax nodes; line and column are computed only when asked. */
export function setLocation(object: object, node: ts.Node): void {
  ensureFacts(object).node = node
}

export function setPropertyLocation(object: object, key: string, node: ts.Node): void {
  const facts = ensureFacts(object)
  ;(facts.properties ??= new Map()).set(key, node)
}

/** The 1-based location of a node (its source file is reached through parent links). */
export function locateNode(node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile()
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
  return { path: sourceFile.fileName, line: line + 1, column: character + 1 }
}

/** The syntax node an object literal (or array) was built from. */
export function nodeOf(value: unknown): ts.Node | undefined {
  return typeof value === 'object' && value !== null ? factsOf(value)?.node : undefined
}

/** The syntax node a property was written at, falling back to the object's own node. */
export function propertyNodeOf(object: unknown, key: string): ts.Node | undefined {
  if (typeof object !== 'object' || object === null) return undefined
  const facts = factsOf(object)
  return facts?.properties?.get(key) ?? facts?.node
}

/** Where an object literal (or array) was written. */
export function locationOf(value: unknown): SourceLocation | undefined {
  const node = typeof value === 'object' && value !== null ? factsOf(value)?.node : undefined
  return node ? locateNode(node) : undefined
}

/** Where a property of an object was written, falling back to the object itself. */
export function propertyLocationOf(object: unknown, key: string): SourceLocation | undefined {
  if (typeof object !== 'object' || object === null) return undefined
  const facts = factsOf(object)
  const node = facts?.properties?.get(key) ?? facts?.node
  return node ? locateNode(node) : undefined
}

export function isPlainObject(value: unknown): value is StaticObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
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
  const facts = factsOf(object)
  if (facts?.mutated) return facts.mutated
  if (Object.prototype.hasOwnProperty.call(object, key)) return object[key]
  const partial = facts?.partial
  if (partial) return new Unresolved(`"${key}" may come from an unresolved spread: ${partial.reason}`, partial.location)
  return undefined
}

/** Copies own properties (and their locations) as an object spread does. */
export function spreadInto(target: StaticObject, source: StaticObject): void {
  const facts = factsOf(source)
  if (facts?.mutated) {
    overrideAllKeys(target, facts.mutated)
    return
  }
  const partial = facts?.partial
  if (partial) overrideAllKeys(target, partial)
  const nodes = facts?.properties
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
