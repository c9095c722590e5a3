import { describe, expect, it } from 'vitest'
import { RecentKeys, ReviewQueue, type ReviewTask } from '../../src/app/review-queue.js'

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

describe('ReviewQueue', () => {
  it('never runs more jobs at once than its concurrency', async () => {
    const queue = new ReviewQueue({ concurrency: 2 })
    let active = 0
    let peak = 0
    const done: string[] = []
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      queue.enqueue(key, async () => {
        active++
        peak = Math.max(peak, active)
        await new Promise((resolve) => setImmediate(resolve))
        active--
        done.push(key)
      })
    }
    await queue.onIdle()
    expect(peak).toBe(2)
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('keeps only the newest waiting job of a pull request', async () => {
    const queue = new ReviewQueue({ concurrency: 1 })
    const gate = deferred()
    const ran: string[] = []
    queue.enqueue('other', async () => {
      await gate.promise
      ran.push('other')
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(queue.enqueue('pr#1', async () => void ran.push('sha1'))).toBe('queued')
    expect(queue.enqueue('pr#1', async () => void ran.push('sha2'))).toBe('replaced-waiting')
    expect(queue.size).toEqual({ waiting: 1, running: 1 })
    gate.resolve()
    await queue.onIdle()
    expect(ran).toEqual(['other', 'sha2'])
  })

  it('marks a running job superseded and runs the newer one after it, never alongside', async () => {
    const queue = new ReviewQueue({ concurrency: 4 })
    const gate = deferred()
    const events: string[] = []
    let first: ReviewTask | undefined
    queue.enqueue('pr#1', async (task) => {
      first = task
      events.push('start sha1')
      await gate.promise
      events.push(task.isSuperseded() ? 'sha1 stale, not published' : 'publish sha1')
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(first?.isSuperseded()).toBe(false)
    queue.enqueue('pr#1', async (task) => {
      events.push(task.isSuperseded() ? 'sha2 stale' : 'publish sha2')
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(events).toEqual(['start sha1'])
    gate.resolve()
    await queue.onIdle()
    expect(events).toEqual(['start sha1', 'sha1 stale, not published', 'publish sha2'])
  })

  it('reports a throwing job and keeps serving', async () => {
    const errors: string[] = []
    const queue = new ReviewQueue({ concurrency: 1, onError: (error, key) => errors.push(`${key}: ${(error as Error).message}`) })
    const ran: string[] = []
    queue.enqueue('a', async () => {
      throw new Error('boom')
    })
    queue.enqueue('b', async () => void ran.push('b'))
    await queue.onIdle()
    expect(errors).toEqual(['a: boom'])
    expect(ran).toEqual(['b'])
  })

  it('is idle at once when empty and rejects a bad concurrency', async () => {
    await new ReviewQueue({ concurrency: 1 }).onIdle()
    expect(() => new ReviewQueue({ concurrency: 0 })).toThrow(/positive/)
  })
})

describe('RecentKeys', () => {
  it('remembers keys up to its capacity, forgetting the oldest', () => {
    const keys = new RecentKeys(2)
    expect(keys.remember('a')).toBe(true)
    expect(keys.remember('a')).toBe(false)
    expect(keys.remember('b')).toBe(true)
    expect(keys.remember('c')).toBe(true)
    expect(keys.remember('a')).toBe(true)
    expect(keys.remember('c')).toBe(false)
    keys.forget('c')
    expect(keys.remember('c')).toBe(true)
  })
})
