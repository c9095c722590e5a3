// Runs a review's integration jobs in this thread, or split across worker threads when there are
// enough of them to pay for starting threads. The review stays synchronous: this thread takes jobs
// from the same shared counter as the workers, then blocks (Atomics.wait) until the workers'
// results are in, reading them with receiveMessageOnPort. Results come back in job order, so the
// report is the same whatever thread ran what.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads'
import { recordPhases, timingActive } from '../phase-timing.js'
import { ALL_RULES } from '../rules/all-rules.js'
import { runIntegrationJob, type IntegrationJob, type IntegrationJobResult, type JobContext } from './integration-job.js'
import { MESSAGES_POSTED, NEXT_JOB, SIGNAL_SLOTS, epochNow, type WorkerInput, type WorkerMessage } from './job-thread-protocol.js'
import { startModuleThread } from './module-thread.js'

export interface JobThreads {
  /** Threads to use, this one included; 1 runs every job here. */
  count: number
  /** When the review's time budget ends, as `performance.timeOrigin + performance.now()` reads it. */
  deadline: number
  /** This thread only waits and the workers take every job: how tests see the workers' path for sure. */
  workersOnly?: boolean
}

/** Fewer jobs than this per worker do not pay for starting it (loading the engine takes a few hundred ms). */
const JOBS_PER_WORKER = 6
/**
 * How long past the deadline this thread waits for a worker's results. A worker past it has
 * died (out of memory) or hangs: its jobs count as not reviewed, which blocks (fail closed).
 */
const GRACE_MS = 10_000
const WAIT_SLICE_MS = 200

export interface JobsOutcome {
  /** In job order. A job without `analysed` was not run (time budget). */
  results: IntegrationJobResult[]
  /** Head files the workers could not read (this thread's source keeps its own list). */
  unreadableInThreads: Array<{ path: string; reason: string }>
}

export function runJobs(jobs: readonly IntegrationJob[], context: JobContext, threads: JobThreads | undefined): JobsOutcome {
  const workers = threads ? startWorkers(jobs, context, threads) : undefined
  if (!workers) return { results: jobs.map((job) => runIntegrationJob(context, job)), unreadableInThreads: [] }
  try {
    return collect(jobs, context, workers, threads!)
  } finally {
    for (const worker of workers.threads) {
      worker.port.close()
      worker.thread.terminate().catch(() => undefined)
    }
  }
}

interface StartedWorkers {
  threads: Array<{ thread: Worker; port: MessagePort }>
  signals: Int32Array
}

function startWorkers(jobs: readonly IntegrationJob[], context: JobContext, threads: JobThreads): StartedWorkers | undefined {
  const wanted = Math.min(threads.count - 1, Math.floor(jobs.length / JOBS_PER_WORKER))
  if (wanted < 1) return undefined
  const head = context.head.reopenable?.()
  const base = context.base ? context.base.reopenable?.() : undefined
  if (!head || (context.base && !base)) return undefined
  // A worker runs the engine's own rules by id: rules given as objects (tests) stay in this thread.
  const known = new Set(ALL_RULES)
  if (!context.rules.every((rule) => known.has(rule))) return undefined

  const shared = new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT)
  const signals = new Int32Array(shared)
  const started: StartedWorkers = { threads: [], signals }
  for (let index = 0; index < wanted; index++) {
    const channel = new MessageChannel()
    const input: WorkerInput = {
      head,
      base: base,
      settings: {
        changedPaths: context.changedPaths,
        pullRequest: context.pullRequest,
        limits: context.limits,
        configuredStatuses: context.configuredStatuses,
        compareWithBase: context.compareWithBase
      },
      ruleIds: context.rules.map((rule) => rule.id),
      jobs: [...jobs],
      deadline: threads.deadline,
      timing: timingActive(),
      signals: shared,
      port: channel.port2
    }
    let thread: Worker | undefined
    try {
      thread = startModuleThread(import.meta.url, 'integration-worker', { workerData: input, transferList: [channel.port2] })
    } catch {
      thread = undefined
    }
    if (!thread) {
      channel.port1.close()
      break
    }
    // The thread must never keep the process alive, and its failures are handled through messages.
    thread.unref()
    thread.on('error', () => undefined)
    started.threads.push({ thread, port: channel.port1 })
  }
  return started.threads.length > 0 ? started : undefined
}

function collect(jobs: readonly IntegrationJob[], context: JobContext, workers: StartedWorkers, threads: JobThreads): JobsOutcome {
  const { signals } = workers
  const { deadline } = threads
  const results: Array<IntegrationJobResult | undefined> = new Array<IntegrationJobResult | undefined>(jobs.length)
  const rerun = new Set<number>()
  const unreadableInThreads: JobsOutcome['unreadableInThreads'] = []
  const mine = new Set<number>()
  const takeJobs = () => {
    for (let index = Atomics.add(signals, NEXT_JOB, 1); index < jobs.length; index = Atomics.add(signals, NEXT_JOB, 1)) {
      mine.add(index)
      results[index] = runIntegrationJob(context, jobs[index])
    }
  }
  if (!threads.workersOnly) takeJobs()

  let unavailable = 0
  const receive = () => {
    for (const worker of workers.threads) {
      for (let received = receiveMessageOnPort(worker.port); received; received = receiveMessageOnPort(worker.port)) {
        const message = received.message as WorkerMessage
        if (message.kind === 'result') {
          results[message.index] = message.result
          unreadableInThreads.push(...message.unreadable)
          recordPhases(message.phases)
        } else if (message.kind === 'failed') rerun.add(message.index)
        else unavailable++
      }
    }
  }
  const waiting = () => jobs.some((_, index) => !mine.has(index) && results[index] === undefined && !rerun.has(index))
  for (;;) {
    const seen = Atomics.load(signals, MESSAGES_POSTED)
    receive()
    // No worker could load the engine: the jobs nobody took are this thread's.
    if (unavailable === workers.threads.length) takeJobs()
    if (!waiting()) break
    if (epochNow() > deadline + GRACE_MS) break
    Atomics.wait(signals, MESSAGES_POSTED, seen, WAIT_SLICE_MS)
  }
  // A job that threw in a worker runs here, so its error surfaces as without threads; one whose
  // worker never answered counts as not reviewed.
  for (const index of rerun) results[index] = runIntegrationJob(context, jobs[index])
  const notRun: IntegrationJobResult = { findings: [], ruleFailures: [], baseSkipped: false, statusUnknown: [] }
  return { results: results.map((result) => result ?? notRun), unreadableInThreads }
}
