// The App at scale, as tests and the benchmark drive it: a real Redis, the fake GitHub on
// loopback, the Probot web server in this process, worker processes (`src/app/worker-main.ts`),
// and pull requests whose heads move while signed webhooks arrive.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer as createNetServer } from 'node:net'
import { join } from 'node:path'
import { Probot, ProbotOctokit, Server } from 'probot'
import { pino } from 'pino'
import appFn from '../../src/app/index.js'
import type { ReviewService } from '../../src/app/review-service.js'
import { commitSha, exampleRevisions, INSTALLATION_ID, pullRequestEvent, testPrivateKey, type RepoFiles } from '../github/github-fixture.js'
import type { FakeGitHub } from './fake-github-server.js'

const WEBHOOK_SECRET = 'scale-webhook-secret'
const ROOT = join(import.meta.dirname, '..', '..')
const ACTION_FILE = 'packages/destination-actions/src/destinations/wavelet/identifyUser/index.ts'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface RedisHandle {
  url: string
  stop: () => Promise<void>
}

/**
 * The Redis the tests use: TEST_REDIS_URL (`.ci/run` starts one), else a `redis-server` started
 * here on a loopback port. Undefined, with the reason, when neither is possible.
 */
export async function startRedis(): Promise<RedisHandle | { unavailable: string }> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, stop: async () => {} }
  if (spawnSync('redis-server', ['--version']).status !== 0)
    return { unavailable: 'redis-server is not installed (apt-get install redis-server) and TEST_REDIS_URL is not set' }
  const port = await freePort()
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore'
  })
  const url = `redis://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 100; attempt++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') {
      return { url, stop: async () => void server.kill('SIGTERM') }
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  server.kill('SIGKILL')
  return { unavailable: `redis-server did not answer on port ${port}` }
}

/** Probot's client for the fake GitHub: no throttling, retries without waiting. */
function fakeGitHubOctokit(): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: { throttle?: Record<string, unknown> }) => ({
    ...options,
    retry: { retryAfterBaseValue: 1 },
    throttle: { ...options.throttle, enabled: false }
  }))
}

const privateKey = testPrivateKey()

/** The Probot web server on loopback, with the given review service, talking to the fake GitHub. */
export async function startWebServer(reviews: ReviewService, github: FakeGitHub): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const log = pino({ level: 'silent' })
  const server = new Server({
    host: '127.0.0.1',
    port,
    log,
    Probot: Probot.defaults({
      appId: 123,
      privateKey,
      secret: WEBHOOK_SECRET,
      baseUrl: `${github.url}/api/v3`,
      log,
      Octokit: fakeGitHubOctokit()
    })
  })
  await server.load((app, options) => appFn(app, { ...options, reviewService: reviews }))
  await server.start()
  return { url: `http://127.0.0.1:${port}`, stop: () => server.stop() }
}

/** What a worker or web process needs to authenticate against the fake GitHub (and reach Redis, when given). */
export function workerEnv(github: FakeGitHub, redisUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    WEBHOOK_SECRET,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    APP_ID: '123',
    PRIVATE_KEY: privateKey,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    GITHUB_THROTTLE: 'off',
    REDIS_URL: redisUrl,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ...extra
  }
}

export interface WorkerProcess {
  child: ChildProcess
  /** Resolves with the exit code or signal. */
  exited: Promise<string>
  output: () => string
}

/** Starts `npm run worker`'s entry (from the TypeScript source) and waits until it works the queue. */
export function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startEntry('worker-main.ts', env, 'review worker started')
}

/** Starts `npm start`'s entry (from the TypeScript source) and waits until it listens. */
export function startWebProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return startEntry('main.ts', env, 'integration-review listening on')
}

async function startEntry(entry: string, env: NodeJS.ProcessEnv, startedLine: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'app', entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))))
  const started = new Promise<void>((resolve, reject) => {
    const check = () => (output.includes(startedLine) ? resolve() : undefined)
    child.stdout?.on('data', check)
    void exited.then((how) => reject(new Error(`${entry} exited (${how}) before it started:\n${output.slice(-2000)}`)))
  })
  await started
  return { child, exited, output: () => output }
}

/** Posts a signed webhook; resolves with its status and how long the server took to answer. */
async function sendWebhook(url: string, name: string, id: string, payload: unknown): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload)
  const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`
  const started = performance.now()
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': id, 'x-hub-signature-256': signature },
    body
  })
  await response.arrayBuffer()
  return { status: response.status, ms: performance.now() - started }
}

export interface PushPlan {
  number: number
  headSha: string
  deliveryId: string
}

export interface PullRequestPlan {
  number: number
  baseSha: string
  heads: string[]
}

/** `prCount` pull requests with `headsPerPullRequest` heads each, their commits on the fake GitHub. */
export function planPullRequests(github: FakeGitHub, prCount: number, headsPerPullRequest: number, firstNumber = 100): PullRequestPlan[] {
  const { base, head } = exampleRevisions()
  const baseSha = commitSha('scale-base')
  github.addCommit(baseSha, base)
  const plans: PullRequestPlan[] = []
  for (let index = 0; index < prCount; index++) {
    const number = firstNumber + index
    const heads: string[] = []
    for (let revision = 1; revision <= headsPerPullRequest; revision++) {
      const sha = commitSha(`scale-${number}-${revision}`)
      const files: RepoFiles = new Map(head)
      files.set(ACTION_FILE, `${head.get(ACTION_FILE) ?? ''}\n// Revision ${revision} of pull request ${number}.\n`)
      github.addCommit(sha, files)
      heads.push(sha)
    }
    plans.push({ number, baseSha, heads })
  }
  return plans
}

/** The pushes in the order they are sent: round after round, each pull request's next head. */
export function pushOrder(plans: PullRequestPlan[]): PushPlan[] {
  const pushes: PushPlan[] = []
  const rounds = Math.max(...plans.map((plan) => plan.heads.length))
  for (let round = 0; round < rounds; round++) {
    for (const plan of plans) {
      const headSha = plan.heads[round]
      if (headSha) pushes.push({ number: plan.number, headSha, deliveryId: `scale-${plan.number}-${round + 1}` })
    }
  }
  return pushes
}

/** Moves the pull request's head, then sends GitHub's webhook for the push. */
export async function push(
  github: FakeGitHub,
  url: string,
  plan: PullRequestPlan,
  pushPlan: PushPlan
): Promise<{ status: number; ms: number; sentAt: number }> {
  github.setPullRequest(plan.number, pushPlan.headSha, plan.baseSha)
  const action = pushPlan.headSha === plan.heads[0] ? 'opened' : 'synchronize'
  const payload = pullRequestEvent(action, { number: plan.number, headSha: pushPlan.headSha, baseSha: plan.baseSha })
  payload.installation = { id: INSTALLATION_ID, node_id: 'I' }
  const sentAt = Date.now()
  return { ...(await sendWebhook(url, 'pull_request', pushPlan.deliveryId, payload)), sentAt }
}

/** What went wrong with the settled state, one line per problem (empty when every PR is right). */
export function settlementProblems(github: FakeGitHub, plans: PullRequestPlan[]): string[] {
  const problems: string[] = []
  for (const run of github.checkRuns)
    if (run.status !== 'completed') problems.push(`check run ${run.id} on ${run.head_sha.slice(0, 7)} is ${run.status}`)
  for (const plan of plans) {
    const latest = plan.heads[plan.heads.length - 1]
    const runs = github.checkRunsOf(latest)
    if (runs.length !== 1) problems.push(`#${plan.number}: ${runs.length} check runs on its latest head`)
    for (const run of runs) {
      if (run.completions !== 1) problems.push(`#${plan.number}: its check run was completed ${run.completions} times`)
      if (run.conclusion === 'neutral' || run.output.title?.includes('did not finish'))
        problems.push(`#${plan.number}: latest head concluded ${run.conclusion} (${run.output.title})`)
    }
    const comments = github.stickyCommentsOf(plan.number)
    if (comments.length !== 1) problems.push(`#${plan.number}: ${comments.length} sticky comments`)
    else if (!comments[0].body.includes(latest.slice(0, 7)))
      problems.push(`#${plan.number}: the sticky comment is not about the latest head`)
  }
  return problems
}
