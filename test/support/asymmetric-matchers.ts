// Vitest's asymmetric matchers, typed as what they are to the code that builds an expected value:
// opaque values (`unknown`). Vitest types `expect.stringContaining` and its kin as `any`, which
// would let any expected object built with them pass as any type.
import { expect } from 'vitest'

/** Any string (`expect.any(String)`). */
export function anyString(): unknown {
  return expect.any(String)
}

/** A string that contains `text`. */
export function stringContaining(text: string): unknown {
  return expect.stringContaining(text)
}

/** A string that matches `pattern`. */
export function stringMatching(pattern: RegExp): unknown {
  return expect.stringMatching(pattern)
}

/** An object with at least these properties (each compared with the usual equality). */
export function objectContaining(properties: Record<string, unknown>): unknown {
  return expect.objectContaining(properties)
}
