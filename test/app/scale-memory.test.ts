// The in-process queue at scale, through the real Probot server and a GitHub on loopback: the
// scenarios of the Redis tests that need no second process, plus retries and shutdown.
import { afterEach, describe, expect, it } from 'vitest'
import { ReviewService } from '../../src/app/review-service.js'
import { BlobCache } from '../../src/source/blob-cache.js'
import { UNFINISHED_TITLE } from '../../src/github/fail-unfinished-review.js'
import { FakeGitHub } from '../support/fake-github-server.js'
import { planPullRequests, push, pushOrder, settlementProblems, startWebServer } from '../support/scale-scenario.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setUp(options: { retryDelayMs?: number; warmUp?: boolean } = {}) {
  const github = new FakeGitHub()
  await github.start()
  cleanups.push(() => github.stop())
  const reviews = new ReviewService({
    concurrency: 2,
    cache: new BlobCache(),
    retry: { attempts: 3, backoffMs: options.retryDelayMs ?? 50 }
  })
  // The threads load the engine before the first webhook, as the App's start does.
  if (options.warmUp ?? true) await reviews.warmUp()
  const web = await startWebServer(reviews, github)
  cleanups.push(() => web.stop())
  return { github, reviews, web }
}

describe('the in-process queue at scale', () => {
  it('200 webhooks for 50 pull requests: each ends with one completed check run on its latest head and one sticky comment', async () => {
    const { github, reviews, web } = await setUp()
    const plans = planPullRequests(github, 50, 4)
    const byNumber = new Map(plans.map((plan) => [plan.number, plan]))
    const answers = []
    for (const pushPlan of pushOrder(plans)) answers.push(await push(github, web.url, byNumber.get(pushPlan.number)!, pushPlan))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    // A redelivery of a delivery already taken up does nothing.
    await reviews.idle()
    expect(settlementProblems(github, plans)).toEqual([])
    const requestsBefore = github.requests.length
    const again = pushOrder(plans).at(-1)!
    expect((await push(github, web.url, byNumber.get(again.number)!, again)).status).toBe(200)
    await reviews.idle()
    expect(github.requests.length).toBe(requestsBefore)
    // Every review that ran completed its check run: published, or stale (its head moved on
    // meanwhile). A head whose review finished before the next push came is published too, which
    // depends on how fast reviews run against sends, so publications are at least one per pull
    // request, not exactly one; coalescing keeps them well under one per webhook.
    const outcomes = await reviews.metrics.registry.getSingleMetricAsString('integration_review_reviews_total')
    const count = (outcome: string) => Number(new RegExp(`outcome="${outcome}"\\} (\\d+)`).exec(outcomes)?.[1] ?? 0)
    expect(count('published') + count('stale')).toBe(github.checkRuns.filter((run) => run.status === 'completed').length)
    expect(count('published')).toBeGreaterThanOrEqual(50)
    expect(count('published')).toBeLessThan(200)
  }, 480_000)

  it('retries a review that met GitHub 5xx errors, then publishes once', async () => {
    const { github, reviews, web } = await setUp()
    const [plan] = planPullRequests(github, 1, 1, 300)
    // More 502s than Probot's own client retries: the queue must try the job again.
    github.fail((method, path) => method === 'GET' && path.endsWith('/pulls/300/files'), 502, 4)
    expect((await push(github, web.url, plan, pushOrder([plan])[0])).status).toBe(200)
    await reviews.idle()
    expect(settlementProblems(github, [plan])).toEqual([])
    expect(github.requests.filter((request) => request.path.endsWith('/pulls/300/files') && request.status === 502)).toHaveLength(4)
    expect(await reviews.metrics.registry.getSingleMetricAsString('integration_review_reviews_total')).toMatch(/outcome="retried"\} 1\b/)
    // Probot's client retried each 502 itself three times; the request that still failed is counted once.
    expect(await reviews.metrics.registry.getSingleMetricAsString('integration_review_github_api_errors_total')).toMatch(
      /status="502"\} 1\b/
    )
  }, 60_000)

  it('a review that keeps failing completes its check run as failure, never in progress or neutral', async () => {
    const { github, reviews, web } = await setUp()
    const [plan] = planPullRequests(github, 1, 1, 301)
    github.fail((method, path) => method === 'GET' && path.endsWith('/pulls/301/files'), 503, 1000)
    expect((await push(github, web.url, plan, pushOrder([plan])[0])).status).toBe(200)
    await reviews.idle()
    const [run] = github.checkRunsOf(plan.heads[0])
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', completions: 1, output: { title: UNFINISHED_TITLE } })
    expect(run.output.summary).toContain('/recheck')
  }, 60_000)

  it('shutdown completes the review it had to interrupt as failure with "comment /recheck"', async () => {
    const { github, reviews, web } = await setUp()
    const [plan] = planPullRequests(github, 1, 1, 302)
    // The review is held at its blob reads (the check run is in progress) when the App stops.
    const held = github.hold((method, path) => method === 'GET' && path.includes('/git/trees/'))
    expect((await push(github, web.url, plan, pushOrder([plan])[0])).status).toBe(200)
    await held.arrived
    expect(github.checkRunsOf(plan.heads[0])[0]?.status).toBe('in_progress')
    await web.stop()
    await reviews.close(200)
    held.release()
    const [run] = github.checkRunsOf(plan.heads[0])
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: UNFINISHED_TITLE } })
    expect(run.output.summary).toMatch(/interrupted/)
  }, 60_000)

  it('answers /healthz and /metrics', async () => {
    const { web } = await setUp({ warmUp: false })
    const health = await fetch(`${web.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', queue: 'memory' })
    const metrics = await (await fetch(`${web.url}/metrics`)).text()
    expect(metrics).toContain('integration_review_queue_jobs{state="waiting"} 0')
    expect(metrics).toContain('# TYPE integration_review_webhook_to_published_seconds histogram')
  })
})
