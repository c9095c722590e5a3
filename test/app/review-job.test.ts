import { describe, expect, it } from 'vitest'
import { isRetryableError, retryDelayMs, ReviewJobSchema } from '../../src/app/review-job.js'
import { reviewJobId } from '../../src/app/redis-review-queue.js'
import { pipelineInputFromMessage, pipelineInputMessage } from '../../src/app/review-thread-messages.js'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { emptyCommentState } from '../../src/pull-request/comment-state.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

describe('which failures a review job retries', () => {
  it('retries GitHub 5xx answers and network failures, not 4xx or bugs', () => {
    expect(isRetryableError(Object.assign(new Error('Bad Gateway'), { status: 502 }))).toBe(true)
    expect(isRetryableError(Object.assign(new Error('Service Unavailable'), { status: 503 }))).toBe(true)
    expect(isRetryableError(Object.assign(new Error('Not Found'), { status: 404 }))).toBe(false)
    expect(isRetryableError(Object.assign(new Error('Validation Failed'), { status: 422 }))).toBe(false)
    expect(isRetryableError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isRetryableError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe(
      true
    )
    expect(isRetryableError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }))).toBe(true)
    expect(isRetryableError(new TypeError("Cannot read properties of undefined (reading 'sha')"))).toBe(false)
    expect(isRetryableError('a string')).toBe(false)
  })

  it('doubles the delay after each attempt', () => {
    const policy = { attempts: 4, backoffMs: 100 }
    expect([1, 2, 3].map((attempt) => retryDelayMs(policy, attempt))).toEqual([100, 200, 400])
  })
})

describe('a review job as data', () => {
  const job = { owner: 'o', repo: 'r.js', number: 7, headSha: 'a'.repeat(40), deliveryId: 'd:1', installationId: 1, receivedAt: 1 }

  it('has an id BullMQ accepts, one per pull request, head and delivery', () => {
    expect(reviewJobId(job)).toBe('o/r.js#7@aaaaaaaaaaaa@d_1')
    expect(reviewJobId(job)).not.toContain(':')
    expect(reviewJobId({ ...job, deliveryId: 'd:2' })).not.toBe(reviewJobId(job))
  })

  it('refuses data without the fields a worker needs', () => {
    expect(ReviewJobSchema.safeParse(job).success).toBe(true)
    expect(ReviewJobSchema.safeParse({ ...job, number: 'seven' }).success).toBe(false)
    expect(ReviewJobSchema.safeParse({ ...job, headSha: '' }).success).toBe(false)
  })

  it('sends a review input to a thread and back unchanged', () => {
    const head = new MemoryFileSource({ 'a.ts': 'export const a = 1', 'b/c.ts': '' }, 'head abc')
    const input = {
      head,
      changedPaths: ['a.ts'],
      config: defaultReviewConfig(),
      configErrors: [],
      skipped: ['x'],
      pullRequest: { body: undefined, authorIsPartner: true },
      state: emptyCommentState(),
      stateScope: { owner: 'o', repo: 'r', number: 1 }
    }
    const message = structuredClone(pipelineInputMessage(input))
    const back = pipelineInputFromMessage(message)
    expect(back.head.description).toBe('head abc')
    expect(back.head.listFiles()).toEqual(['a.ts', 'b/c.ts'])
    expect(back.head.readFile('b/c.ts')).toBe('')
    expect(back.base).toBeUndefined()
    expect(back.config).toEqual(input.config)
  })
})
