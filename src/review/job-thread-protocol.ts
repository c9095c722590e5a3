// What the review's threads say to each other (`job-threads.ts` starts them, `integration-worker.ts`
// runs in them). Jobs are handed out through one shared counter, so a thread that starts late or
// meets small integrations just takes more of them; results come back on a message port.
import type { MessagePort } from 'node:worker_threads'
import type { PhaseTotal } from '../phase-timing.js'
import type { ReopenableSource } from '../source/file-source.js'
import type { IntegrationJob, IntegrationJobResult, JobSettings } from './integration-job.js'

/** Int32 slots of the shared signal buffer. */
export const NEXT_JOB = 0
/** Bumped (and notified) after each message a worker posts, so the waiting thread wakes. */
export const MESSAGES_POSTED = 1
export const SIGNAL_SLOTS = 2

export interface WorkerInput {
  head: ReopenableSource
  base: ReopenableSource | undefined
  settings: JobSettings
  /** The rules to run, by id, in the order the review runs them (findings keep that order). */
  ruleIds: string[]
  jobs: IntegrationJob[]
  /** When the review's time budget ends, as `performance.timeOrigin + performance.now()` reads it. */
  deadline: number
  /** Measure phases and rules (`--timing`), reported with each result. */
  timing: boolean
  signals: SharedArrayBuffer
  port: MessagePort
}

export type WorkerMessage =
  | {
      kind: 'result'
      index: number
      result: IntegrationJobResult
      /** Files of the head the worker could not read since its last message: the review must not pass them. */
      unreadable: Array<{ path: string; reason: string }>
      phases: PhaseTotal[]
    }
  /** The job threw: the review runs it again in its own thread, where the error surfaces as it would without threads. */
  | { kind: 'failed'; index: number; message: string }
  /** The worker could not load the engine: it took no job. */
  | { kind: 'unavailable'; message: string }

/** Epoch milliseconds, comparable between threads (each has its own `performance` origin). */
export function epochNow(): number {
  return performance.timeOrigin + performance.now()
}
