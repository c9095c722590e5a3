// The timer behind --timing: self times (a phase nested in another counts once, as itself),
// call counts, and nothing measured when no timer runs.
import { describe, expect, it } from 'vitest'
import { PhaseTimer, timed, withPhaseTimer } from '../src/phase-timing.js'

describe('phase timer', () => {
  it('records self times: a nested phase is taken out of the phase around it', () => {
    let now = 0
    const timer = new PhaseTimer(() => now)
    withPhaseTimer(timer, () => {
      timed('rule a', () => {
        now += 5
        timed('parse', () => {
          now += 20
        })
        now += 1
      })
      timed('rule a', () => {
        now += 4
      })
    })
    expect(timer.phases()).toEqual([
      { label: 'parse', ms: 20, calls: 1 },
      { label: 'rule a', ms: 10, calls: 2 }
    ])
    expect(timer.report()).toContain('total measured: 30.0 ms')
  })

  it('measures nothing outside withPhaseTimer, and still returns and throws what the phase does', () => {
    let now = 0
    const timer = new PhaseTimer(() => now++)
    expect(timed('outside', () => 42)).toBe(42)
    expect(() =>
      withPhaseTimer(timer, () =>
        timed('failing', () => {
          throw new Error('boom')
        })
      )
    ).toThrow('boom')
    expect(timer.phases().map((phase) => phase.label)).toEqual(['failing'])
    expect(timed('after', () => 'x')).toBe('x')
    expect(timer.phases().map((phase) => phase.label)).toEqual(['failing'])
  })
})
