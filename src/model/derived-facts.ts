// Facts derived from an object that lives for part of a review (a syntax tree, one of its nodes,
// an integration's model), remembered on that object itself, not in a module-level WeakMap.
//
// Why not a WeakMap: V8's young-generation collector treats the values of a WeakMap that has
// reached the old generation as live. A cache whose values reach the syntax tree of their key
// (an index of a file's nodes, a taint analysis) then keeps every tree of the review alive until a
// full collection: each was copied twice and promoted, and on a whole-repository review the
// scavenges cost about a fifth of the run. A fact held by its owner dies with it, young.
//
// The property is a symbol and not enumerable: no spread, JSON, key listing or deep equality in
// tests sees it. An owner that cannot take properties (frozen) simply gets no memo.
export class DerivedFact<Owner extends object, Value> {
  private readonly key: symbol

  constructor(description: string) {
    this.key = Symbol(description)
  }

  get(owner: Owner): Value | undefined {
    return (owner as Record<symbol, Value | undefined>)[this.key]
  }

  set(owner: Owner, value: Value): Value {
    if (Object.isExtensible(owner)) Object.defineProperty(owner, this.key, { value, writable: true, configurable: true, enumerable: false })
    return value
  }

  /** The fact, computed on first request. `undefined` is not a fact: use `null` for "none". */
  of(owner: Owner, compute: (owner: Owner) => Value): Value {
    const known = this.get(owner)
    return known !== undefined ? known : this.set(owner, compute(owner))
  }
}
