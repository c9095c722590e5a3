// An in-process job queue for reviews: a concurrency limit, and per pull request at most one
// running and one waiting job — a newer push replaces the waiting one and marks the running one stale.

export interface ReviewTask {
  /** True once a newer job for the same key was enqueued: the task must not publish its result. */
  isSuperseded(): boolean
}

type TaskFunction = (task: ReviewTask) => Promise<void>

interface Job {
  key: string
  run: TaskFunction
  superseded: boolean
}

export interface ReviewQueueOptions {
  /** Reviews running at once. */
  concurrency: number
  /** Called when a task throws; tasks are expected to handle their own errors. */
  onError?: (error: unknown, key: string) => void
}

export type EnqueueResult = 'queued' | 'replaced-waiting'

export class ReviewQueue {
  private readonly waiting = new Map<string, Job>()
  private readonly running = new Map<string, Job>()
  private idleWaiters: Array<() => void> = []
  private runningWaiters: Array<() => void> = []
  private paused = false

  constructor(private readonly options: ReviewQueueOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error('ReviewQueue concurrency must be a positive integer')
  }

  /** Adds a job; a waiting job with the same key is dropped, a running one is marked superseded. */
  enqueue(key: string, run: TaskFunction): EnqueueResult {
    const replaced = this.waiting.get(key)
    if (replaced) {
      replaced.superseded = true
      // Delete first so the key moves to the back: Map order is the queue order.
      this.waiting.delete(key)
    }
    const active = this.running.get(key)
    if (active) active.superseded = true
    this.waiting.set(key, { key, run, superseded: false })
    // Start on a later tick: the webhook handler returns before any review work begins.
    setImmediate(() => this.pump())
    return replaced ? 'replaced-waiting' : 'queued'
  }

  get size(): { waiting: number; running: number } {
    return { waiting: this.waiting.size, running: this.running.size }
  }

  /** Resolves once nothing waits and nothing runs. */
  onIdle(): Promise<void> {
    if (this.waiting.size === 0 && this.running.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Starts no more jobs (shutdown); the running ones go on. */
  pause(): void {
    this.paused = true
  }

  /** Resolves once no job runs (waiting ones may remain when paused). */
  whenNoneRunning(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.runningWaiters.push(resolve))
  }

  private pump(): void {
    for (const [key, job] of this.waiting) {
      if (this.paused) break
      if (this.running.size >= this.options.concurrency) break
      // Jobs of one pull request never overlap: they write the same comment and labels.
      if (this.running.has(key)) continue
      this.waiting.delete(key)
      this.running.set(key, job)
      void this.start(job)
    }
    this.notifyIdle()
  }

  private async start(job: Job): Promise<void> {
    try {
      await job.run({ isSuperseded: () => job.superseded })
    } catch (error) {
      this.options.onError?.(error, job.key)
    } finally {
      this.running.delete(job.key)
      this.pump()
    }
  }

  private notifyIdle(): void {
    if (this.running.size === 0) {
      const runningWaiters = this.runningWaiters
      this.runningWaiters = []
      for (const resolve of runningWaiters) resolve()
    }
    if (this.waiting.size > 0 || this.running.size > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

/** Remembers recent keys (webhook delivery ids) in insertion order, forgetting the oldest. */
export class RecentKeys {
  private readonly keys = new Set<string>()

  constructor(private readonly capacity = 5000) {}

  /** True when the key was new (and is now remembered), false when it was seen recently. */
  remember(key: string): boolean {
    if (this.keys.has(key)) return false
    this.keys.add(key)
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value
      if (oldest !== undefined) this.keys.delete(oldest)
    }
    return true
  }

  /** Forgets a key, so that the next time it counts as new. */
  forget(key: string): void {
    this.keys.delete(key)
  }
}
