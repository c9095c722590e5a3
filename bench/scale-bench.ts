// The App at scale, measured: 200 webhooks for 50 pull requests (4 heads each) against a GitHub on
// loopback, in the in-process mode and with BullMQ on Redis with 1 and 2 worker processes.
// Figures: time until every pull request settled, webhook -> check run completed (p50/p95, from
// each pull request's last push), webhook answer times, peak RSS per process. The web process
// and the workers are the real entry points, each its own process; this one only sends webhooks
// and plays GitHub.
//   npm run bench:scale                 (all three; needs redis-server, or TEST_REDIS_URL)
//   npm run bench:scale -- memory       (one mode: memory | redis-1 | redis-2; one mode per run
//                                        gives this process's own peak RSS)
import { readFileSync } from 'node:fs'
import { FakeGitHub } from '../test/support/fake-github-server.js'
import {
  freePort,
  planPullRequests,
  push,
  pushOrder,
  settlementProblems,
  startRedis,
  startWebProcess,
  startWorker,
  workerEnv,
  type WorkerProcess
} from '../test/support/scale-scenario.js'

type Mode = 'memory' | 'redis-1' | 'redis-2'
const PULL_REQUESTS = 50
const HEADS = 4
const IN_FLIGHT = 8

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** Peak resident set of a process (Linux), in MB. */
function peakRssMb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round(Number(match[1]) / 1024) : undefined
  } catch {
    return undefined
  }
}

/** Polls the web process's /healthz until its queue (in-process, or Redis) has been empty twice in a row. */
async function waitUntilSettled(url: string): Promise<void> {
  let emptyInARow = 0
  while (emptyInARow < 2) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    const health = (await (await fetch(`${url}/healthz`)).json()) as { depth?: { waiting: number; running: number; delayed?: number } }
    const depth = health.depth
    emptyInARow = depth && depth.waiting === 0 && depth.running === 0 && (depth.delayed ?? 0) === 0 ? emptyInARow + 1 : 0
  }
}

async function runMode(mode: Mode, redisUrl: string | undefined): Promise<Record<string, unknown>> {
  const github = new FakeGitHub()
  await github.start()
  const workerCount = mode === 'redis-2' ? 2 : mode === 'redis-1' ? 1 : 0
  const prefix = `ir-bench-${process.pid}-${mode}`
  const port = await freePort()
  // The web process is `npm start`'s entry on its own: in-process queue, or Redis and add-only.
  const web = await startWebProcess(
    workerEnv(github, redisUrl ?? '', {
      REDIS_PREFIX: prefix,
      REVIEW_CONCURRENCY: mode === 'memory' ? '2' : '0',
      PORT: String(port),
      HOST: '127.0.0.1'
    })
  )
  const url = `http://127.0.0.1:${port}`
  const workers: WorkerProcess[] = []
  for (let index = 0; index < workerCount; index++) {
    workers.push(await startWorker(workerEnv(github, redisUrl ?? '', { REDIS_PREFIX: prefix, REVIEW_CONCURRENCY: '2' })))
  }
  // Let the web process's review threads load the engine, as they do after a start.
  if (mode === 'memory') await new Promise((resolve) => setTimeout(resolve, 15_000))
  const plans = planPullRequests(github, PULL_REQUESTS, HEADS)
  const byNumber = new Map(plans.map((plan) => [plan.number, plan]))
  const pushes = pushOrder(plans)
  const lastPushAt = new Map<number, number>()
  const answerMs: number[] = []
  const started = Date.now()
  for (let index = 0; index < pushes.length; index += IN_FLIGHT) {
    const batch = pushes.slice(index, index + IN_FLIGHT)
    const answers = await Promise.all(batch.map((pushPlan) => push(github, url, byNumber.get(pushPlan.number)!, pushPlan)))
    answers.forEach((answer, position) => {
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`)
      answerMs.push(answer.ms)
      lastPushAt.set(batch[position].number, answer.sentAt)
    })
  }
  const sentMs = Date.now() - started
  await waitUntilSettled(url)
  const settledMs = Date.now() - started
  const problems = settlementProblems(github, plans)
  const latency = plans.map((plan) => {
    const run = github.checkRunsOf(plan.heads[plan.heads.length - 1])[0]
    return ((run?.completedAt ?? Number.NaN) - (lastPushAt.get(plan.number) ?? Number.NaN)) / 1000
  })
  const webRss = peakRssMb(web.child.pid ?? 0)
  const workerRss = workers.map((worker) => peakRssMb(worker.child.pid ?? 0))
  for (const process of [web, ...workers]) process.child.kill('SIGTERM')
  await Promise.all([web, ...workers].map((process) => process.exited))
  await github.stop()
  return {
    mode,
    webhooks: pushes.length,
    pullRequests: plans.length,
    sentInS: +(sentMs / 1000).toFixed(1),
    settledInS: +(settledMs / 1000).toFixed(1),
    webhookToCheckRunP50S: +percentile(latency, 50).toFixed(1),
    webhookToCheckRunP95S: +percentile(latency, 95).toFixed(1),
    webhookAnswerP50Ms: Math.round(percentile(answerMs, 50)),
    webhookAnswerP95Ms: Math.round(percentile(answerMs, 95)),
    webhookAnswerMaxMs: Math.round(Math.max(...answerMs)),
    checkRunsCreated: github.checkRuns.length,
    peakRssMbWebProcess: webRss,
    peakRssMbWorkers: workerRss,
    problems: problems.length === 0 ? 'none' : problems.slice(0, 5)
  }
}

const requested = process.argv.slice(2).filter((arg): arg is Mode => arg === 'memory' || arg === 'redis-1' || arg === 'redis-2')
const modes: Mode[] = requested.length > 0 ? requested : ['memory', 'redis-1', 'redis-2']
let redis: Awaited<ReturnType<typeof startRedis>> | undefined
if (modes.some((mode) => mode !== 'memory')) {
  redis = await startRedis()
  if ('unavailable' in redis) throw new Error(`no Redis: ${redis.unavailable}`)
}
for (const mode of modes) {
  const result = await runMode(mode, redis && 'url' in redis ? redis.url : undefined)
  console.log(JSON.stringify(result))
}
if (redis && 'stop' in redis) await redis.stop()
process.exit(0)
