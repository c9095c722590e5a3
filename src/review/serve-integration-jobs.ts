// The work loop of a review worker thread: take the next job from the shared counter, run it,
// post the result, until no job is left.
import { PhaseTimer, withPhaseTimer } from '../phase-timing.js'
import { ParseCache } from '../model/source-program.js'
import { ALL_RULES } from '../rules/all-rules.js'
import { reopenSource } from '../source/reopen-source.js'
import { loadSegmentSpec } from '../spec/segment-spec.js'
import { runIntegrationJob, type JobContext } from './integration-job.js'
import { MESSAGES_POSTED, NEXT_JOB, epochNow, type WorkerInput, type WorkerMessage } from './job-thread-protocol.js'

export function serveIntegrationJobs(input: WorkerInput): void {
  const head = reopenSource(input.head)
  const base = input.base ? reopenSource(input.base) : undefined
  const rulesById = new Map(ALL_RULES.map((rule) => [rule.id, rule]))
  const rules = input.ruleIds.map((id) => {
    const rule = rulesById.get(id)
    if (!rule) throw new Error(`unknown rule ${id}`)
    return rule
  })
  const context: JobContext = {
    ...input.settings,
    head,
    base,
    rules,
    spec: loadSegmentSpec(),
    cache: new ParseCache(),
    outOfTime: () => epochNow() > input.deadline
  }
  const signals = new Int32Array(input.signals)
  const post = (message: WorkerMessage) => {
    input.port.postMessage(message)
    Atomics.add(signals, MESSAGES_POSTED, 1)
    Atomics.notify(signals, MESSAGES_POSTED)
  }
  let reportedUnreadable = 0
  for (let index = Atomics.add(signals, NEXT_JOB, 1); index < input.jobs.length; index = Atomics.add(signals, NEXT_JOB, 1)) {
    const timer = input.timing ? new PhaseTimer(() => performance.now()) : undefined
    try {
      const result = withPhaseTimer(timer, () => runIntegrationJob(context, input.jobs[index]))
      const unreadable = head.unreadableFiles?.() ?? []
      post({ kind: 'result', index, result, unreadable: unreadable.slice(reportedUnreadable), phases: timer?.phases() ?? [] })
      reportedUnreadable = unreadable.length
    } catch (error) {
      post({ kind: 'failed', index, message: error instanceof Error ? error.message : String(error) })
    }
  }
}
