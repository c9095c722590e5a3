// A fixed pool of review threads: `compute` runs the engine off the main thread. Threads start on
// first use; one that dies fails its review (the queue decides about retrying) and is replaced.
import type { Worker } from 'node:worker_threads'
import { startModuleThread } from '../review/module-thread.js'
import type { PipelineInput, Publication } from '../pull-request/review-pipeline.js'
import { pipelineInputMessage, type ReviewThreadRequest, type ReviewThreadResponse } from './review-thread-messages.js'

interface Task {
  request: ReviewThreadRequest
  resolve: (publication: Publication) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  task: Task | undefined
  /** Resolves once the thread has loaded the engine. */
  ready: Promise<void>
}

/** Runs the thread's module: the built `.js`, or the `.ts` source through tsx (tests, `tsx` runs). */
function startThread(): Worker {
  const worker = startModuleThread(import.meta.url, 'review-thread')
  if (!worker) throw new Error(`the review thread's module is missing next to ${import.meta.url}`)
  return worker
}

export class ReviewThreadPool {
  private readonly slots: Slot[] = []
  private readonly waiting: Task[] = []
  private nextId = 1
  private closed = false

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('ReviewThreadPool size must be a positive integer')
  }

  /** The review of one pull request's loaded files, computed on a thread. */
  compute = (input: PipelineInput): Promise<Publication> => {
    if (this.closed) return Promise.reject(new Error('the review threads are shut down'))
    return new Promise<Publication>((resolve, reject) => {
      this.waiting.push({ request: { id: this.nextId++, input: pipelineInputMessage(input) }, resolve, reject })
      this.dispatch()
    })
  }

  /** Starts every thread now and resolves once each has loaded the engine, so the first reviews do not wait for it. */
  async warmUp(): Promise<void> {
    while (this.slots.length < this.size && !this.closed) this.spawn()
    await Promise.all(this.slots.map((slot) => slot.ready))
  }

  /** Stops every thread; reviews still running on them fail. */
  async close(): Promise<void> {
    this.closed = true
    for (const task of this.waiting.splice(0)) task.reject(new Error('the review threads are shut down'))
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()))
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((candidate) => candidate.task === undefined)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) return
      const task = this.waiting.shift() as Task
      slot.task = task
      slot.worker.ref()
      slot.worker.postMessage(task.request)
    }
  }

  private spawn(): Slot {
    let loaded!: () => void
    let failed!: (error: Error) => void
    const ready = new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject)))
    // warmUp() may never be awaited: a thread that fails to start fails its reviews instead.
    ready.catch(() => undefined)
    const slot: Slot = { worker: startThread(), task: undefined, ready }
    // An idle thread does not keep the process alive; a busy one does (it holds a promise).
    slot.worker.unref()
    slot.worker.on('message', (response: ReviewThreadResponse | { ready: true }) => {
      if ('ready' in response) return loaded()
      const task = slot.task
      if (!task || task.request.id !== response.id) return
      slot.task = undefined
      slot.worker.unref()
      if (response.ok) task.resolve(response.publication)
      else task.reject(Object.assign(new Error(response.message), { stack: response.stack ?? response.message }))
      this.dispatch()
    })
    const fail = (error: Error) => {
      failed(error)
      const index = this.slots.indexOf(slot)
      if (index < 0) return
      this.slots.splice(index, 1)
      slot.task?.reject(error)
      slot.task = undefined
      if (!this.closed) this.dispatch()
    }
    slot.worker.on('error', (error) => fail(error))
    slot.worker.on('exit', (code) => fail(new Error(`a review thread stopped (exit code ${code})`)))
    this.slots.push(slot)
    return slot
  }
}
