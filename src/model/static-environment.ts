// The state of one interpreted helper call: its bindings (with let/const kept apart), the
// objects it created (the only ones it may change), its step budget, and the abort that ends
// it when something cannot be modelled.
import { Unresolved, type SourceLocation, type StaticValue } from './static-values.js'

/**
 * Thrown when a call does something the interpreter cannot follow exactly (a write to an object
 * it did not create, an unknown branch, a loop past the budget). The call, and every caller that
 * shared objects with it, becomes unknown with this reason.
 */
export class EvaluationAbort extends Error {
  constructor(
    readonly unresolved: Unresolved,
    /** False when the reason is an unknown value met inside the helper, reported as it is. */
    readonly aboutTheCall = true
  ) {
    super(unresolved.reason)
  }
}

/**
 * Where something happened, computed only if it is reported (locating a node is not free). An
 * object rather than a closure: hot loops should not allocate functions.
 */
export type Where = SourceLocation | { locate(): SourceLocation } | (() => SourceLocation)

export function locationOf(where: Where | undefined): SourceLocation | undefined {
  if (typeof where === 'function') return where()
  return where && 'locate' in where ? where.locate() : where
}

/**
 * A `throw` the interpreter followed exactly: it unwinds helper calls up to the nearest `try`
 * being interpreted. Escaping the outermost call it is an abort (the module would fail to load).
 */
export class ThrownValue extends EvaluationAbort {
  constructor(
    /** What was thrown, when known; an Error object made by `new Error(...)` is not modelled. */
    readonly value: StaticValue | typeof UNMODELLED_ERROR,
    /** The interpreter's count of unknowns met just before the throw, so that the catch can tell whether anything before it was unknown. */
    readonly unknownsBefore: number,
    at: SourceLocation
  ) {
    super(new Unresolved('the helper throws here', at))
  }
}

export const UNMODELLED_ERROR = Symbol('an Error object')

export function abort(reason: string, at?: Where): never {
  throw new EvaluationAbort(new Unresolved(reason, locationOf(at)))
}

interface Binding {
  value: StaticValue
  mutable: boolean
}

/** Local bindings of a helper being evaluated (its parameters and local variables). */
export class Environment {
  private readonly bindings = new Map<string, Binding>()
  constructor(
    readonly parent?: Environment,
    /** The environment of a call (where `var` lives), rather than of a block inside it. */
    readonly isCall = false
  ) {}

  functionScope(): Environment {
    return !this.isCall && this.parent ? this.parent.functionScope() : this
  }

  lookup(name: string): { value: StaticValue } | undefined {
    const binding = this.bindings.get(name)
    if (binding) return binding
    return this.parent?.lookup(name)
  }

  bind(name: string, value: StaticValue, mutable = true): void {
    this.bindings.set(name, { value, mutable })
  }

  /** `name = value` for a local; false when the name is not a local of the call. */
  assign(name: string, value: StaticValue, at: Where): boolean {
    const binding = this.bindings.get(name)
    if (binding) {
      if (!binding.mutable) abort(`assignment to the constant "${name}" throws`, at)
      binding.value = value
      return true
    }
    return this.parent?.assign(name, value, at) ?? false
  }
}

/** Steps one evaluation may take (statements, loop turns, calls, callbacks) before it is unknown. */
export const MAX_STEPS_PER_EVALUATION = 50_000
/** Steps one model may take in all, so that many helpers cannot add up to a long run. */
const MAX_STEPS_PER_MODEL = 1_000_000

/** Counts steps; past a budget the evaluation is aborted. */
export class StepBudget {
  private used = 0
  private usedInEvaluation = 0

  /** Starts the budget of an outermost call; returns what to restore afterwards. */
  startEvaluation(): number {
    const saved = this.usedInEvaluation
    this.usedInEvaluation = 0
    return saved
  }

  endEvaluation(saved: number): void {
    this.usedInEvaluation = saved
  }

  /** Counts a step; past a budget, aborts with the reason, reported at `at`. */
  step(at: Where): void {
    this.used++
    this.usedInEvaluation++
    if (this.usedInEvaluation > MAX_STEPS_PER_EVALUATION) {
      abort(`evaluation ran past its budget of ${MAX_STEPS_PER_EVALUATION} steps (a long or endless loop?)`, at)
    }
    if (this.used > MAX_STEPS_PER_MODEL) abort(`the model ran past its budget of ${MAX_STEPS_PER_MODEL} evaluation steps`, at)
  }
}
