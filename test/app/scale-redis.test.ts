// BullMQ on a real Redis, through the real Probot web server, with worker processes
// (`npm run worker`'s entry) against a GitHub on loopback.
import { spawnSync } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ReviewService } from '../../src/app/review-service.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { FakeGitHub } from '../support/fake-github-server.js'
import {
  planPullRequests,
  push,
  pushOrder,
  settlementProblems,
  startRedis,
  startWebServer,
  startWorker,
  workerEnv,
  type WorkerProcess
} from '../support/scale-scenario.js'

// Started in beforeAll, not at import: collecting the tests (`vitest list`) runs no afterAll and would leave a redis-server behind.
let redis: Awaited<ReturnType<typeof startRedis>> = { unavailable: 'Redis was not started' }
let unavailable: string | undefined
let redisUrl = ''
beforeAll(async () => {
  redis = await startRedis()
  unavailable = 'unavailable' in redis ? redis.unavailable : undefined
  redisUrl = 'url' in redis ? redis.url : ''
}, 30_000)
/** Lock lapse for a killed worker's job: short, so recovery takes seconds here. */
const LOCK_MS = 1500

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let prefixCount = 0
async function setUp() {
  // In CI (CI=true) a missing Redis fails each of these tests; locally they are skipped, saying why.
  if (unavailable) throw new Error(`no Redis for the queue tests: ${unavailable}`)
  const prefix = `ir-test-${process.pid}-${Date.now()}-${prefixCount++}`
  const github = new FakeGitHub()
  await github.start()
  cleanups.push(() => github.stop())
  // The web process only adds jobs: the workers review.
  const reviews = new ReviewService({ redisUrl, redisPrefix: prefix, concurrency: 0, cache: new BlobCache(), lockMs: LOCK_MS })
  cleanups.push(() => reviews.close(1000))
  const web = await startWebServer(reviews, github)
  cleanups.push(() => web.stop())
  const workers: WorkerProcess[] = []
  const worker = async (concurrency: number) => {
    const started = await startWorker(
      workerEnv(github, redisUrl, {
        REDIS_PREFIX: prefix,
        REVIEW_CONCURRENCY: String(concurrency),
        REVIEW_LOCK_MS: String(LOCK_MS),
        REVIEW_RETRY_DELAY_MS: '100'
      })
    )
    workers.push(started)
    return started
  }
  cleanups.push(async () => {
    for (const { child, exited } of workers) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  })
  return { github, reviews, web, worker }
}

// Whether to skip is known when the tests are collected: a Redis is given, or redis-server can be started here.
const redisMissing =
  process.env.TEST_REDIS_URL || spawnSync('redis-server', ['--version']).status === 0
    ? undefined
    : 'redis-server is not installed (apt-get install redis-server) and TEST_REDIS_URL is not set'
const skipWithoutRedis = redisMissing !== undefined && process.env.CI !== 'true'
if (skipWithoutRedis) console.warn(`Skipping the Redis queue tests: ${redisMissing}`)

describe.skipIf(skipWithoutRedis)('the Redis queue with worker processes', () => {
  it('a worker killed with SIGKILL mid-review: another worker completes the check run exactly once', async () => {
    const { github, reviews, web, worker } = await setUp()
    const [plan] = planPullRequests(github, 1, 1, 400)
    const first = await worker(1)
    // The review is held at its tree read: the check run is in progress when the worker dies.
    const held = github.hold((method, path) => method === 'GET' && path.includes('/git/trees/'))
    expect((await push(github, web.url, plan, pushOrder([plan])[0])).status).toBe(200)
    await held.arrived
    expect(github.checkRunsOf(plan.heads[0]).map((run) => run.status)).toEqual(['in_progress'])
    const second = await worker(1)
    first.child.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    held.release()
    await reviews.idle()
    expect(settlementProblems(github, [plan])).toEqual([])
    // The second worker stops gracefully on SIGTERM.
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe('0')
  }, 120_000)

  it('200 webhooks for 50 pull requests, 2 workers: one completed check run on each latest head, one sticky comment, none in progress', async () => {
    const { github, reviews, web, worker } = await setUp()
    // One review at a time each: two processes, and no more review threads than a 2-core runner has cores.
    await Promise.all([worker(1), worker(1)])
    const plans = planPullRequests(github, 50, 4, 500)
    const byNumber = new Map(plans.map((plan) => [plan.number, plan]))
    const pushes = pushOrder(plans)
    const answers = []
    // Eight deliveries in flight at once, as GitHub sends them.
    for (let index = 0; index < pushes.length; index += 8) {
      answers.push(
        ...(await Promise.all(
          pushes.slice(index, index + 8).map((pushPlan) => push(github, web.url, byNumber.get(pushPlan.number)!, pushPlan))
        ))
      )
    }
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([])
    await reviews.idle()
    expect(settlementProblems(github, plans)).toEqual([])
    // A redelivery of a delivery already taken up does nothing in any process.
    const requestsBefore = github.requests.length
    const again = pushes[pushes.length - 1]
    expect((await push(github, web.url, byNumber.get(again.number)!, again)).status).toBe(200)
    await reviews.idle()
    expect(github.requests.length).toBe(requestsBefore)
  }, 480_000)

  it('answers /healthz with the Redis queue reachable', async () => {
    const { web } = await setUp()
    const health = await fetch(`${web.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', queue: 'redis', depth: { waiting: 0, running: 0 } })
  })
})

afterAll(async () => {
  if ('stop' in redis) await redis.stop()
})
