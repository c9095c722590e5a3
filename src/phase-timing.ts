// Where a review spends its time, like ESLint's TIMING=1: the front door (the CLI's `--timing`)
// starts a timer with its own clock, and the engine's phases, rules, parses and index builds
// report into it. Times are self times: a parse triggered inside a rule counts as parsing, not as
// the rule. With no timer running, `timed` just calls the function.

export interface PhaseTotal {
  label: string
  /** Self time: the phase's own time, without the phases measured inside it. */
  ms: number
  calls: number
}

export class PhaseTimer {
  private readonly totals = new Map<string, { ms: number; calls: number }>()
  /** Time spent in nested phases, per open phase, so each phase records only its own time. */
  private readonly nested: number[] = []

  constructor(private readonly clock: () => number) {}

  measure<T>(label: string, run: () => T): T {
    const started = this.clock()
    this.nested.push(0)
    try {
      return run()
    } finally {
      const elapsed = this.clock() - started
      const inner = this.nested.pop() ?? 0
      if (this.nested.length > 0) this.nested[this.nested.length - 1] += elapsed
      this.add(label, elapsed - inner)
    }
  }

  /** Records time measured elsewhere (process start-up, rendering) as its own phase. */
  add(label: string, ms: number, calls = 1): void {
    const total = this.totals.get(label)
    if (total) {
      total.ms += ms
      total.calls += calls
    } else this.totals.set(label, { ms, calls })
  }

  /** Every phase, most expensive first. */
  phases(): PhaseTotal[] {
    return [...this.totals].map(([label, total]) => ({ label, ...total })).sort((a, b) => b.ms - a.ms || a.label.localeCompare(b.label))
  }

  /** A table of the `limit` most expensive phases and rules, ESLint-style, for stderr. */
  report(limit = 20): string {
    const phases = this.phases()
    const total = phases.reduce((sum, phase) => sum + phase.ms, 0)
    const shown = phases.slice(0, limit)
    const width = Math.max(20, ...shown.map((phase) => phase.label.length))
    const lines = [
      `${'Phase or rule'.padEnd(width)} | Time (ms) | Relative | Calls`,
      `${'-'.repeat(width)}-|----------:|---------:|------:`
    ]
    for (const phase of shown) {
      const relative = total > 0 ? `${((phase.ms / total) * 100).toFixed(1)}%` : '-'
      lines.push(
        `${phase.label.padEnd(width)} | ${phase.ms.toFixed(1).padStart(9)} | ${relative.padStart(8)} | ${String(phase.calls).padStart(5)}`
      )
    }
    const rest = phases.slice(limit)
    if (rest.length > 0) lines.push(`(${rest.length} more, ${rest.reduce((sum, phase) => sum + phase.ms, 0).toFixed(1)} ms together)`)
    lines.push(`total measured: ${total.toFixed(1)} ms`)
    return `${lines.join('\n')}\n`
  }
}

let active: PhaseTimer | undefined

/** Runs `run` with `timer` receiving the engine's measurements (the review is synchronous). */
export function withPhaseTimer<T>(timer: PhaseTimer | undefined, run: () => T): T {
  const previous = active
  active = timer
  try {
    return run()
  } finally {
    active = previous
  }
}

/** Measures `run` as `label` when a timer is running; otherwise just runs it. */
export function timed<T>(label: string, run: () => T): T {
  return active ? active.measure(label, run) : run()
}

/** True while a timer is running: worker threads then measure their share too. */
export function timingActive(): boolean {
  return active !== undefined
}

/** Adds phases measured elsewhere (a worker thread) to the running timer, if any. */
export function recordPhases(phases: readonly PhaseTotal[]): void {
  for (const phase of phases) active?.add(phase.label, phase.ms, phase.calls)
}
