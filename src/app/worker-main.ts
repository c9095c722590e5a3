// `npm run worker`: works the Redis review queue, serves no webhooks. Same environment as the web
// process (APP_ID, PRIVATE_KEY, REDIS_URL, ...); run as many as the load needs. With METRICS_PORT
// set it serves /healthz and /metrics there.
import { createProbot } from 'probot'
import { startOperationsServer } from './operations-handler.js'
import { githubClientClass, onShutdownSignal, shutdownTimeoutMs } from './process-lifecycle.js'
import { ReviewService, reviewServiceOptionsFromEnv } from './review-service.js'

if (!process.env.APP_ID || !(process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH)) {
  console.error('npm run worker needs the App credentials: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), as the web process has them')
  process.exit(1)
}
const probot = createProbot({ overrides: { Octokit: githubClientClass() } })
// Probot sets up its logger asynchronously; it is null until then.
await probot.ready()
const options = reviewServiceOptionsFromEnv()
if (!options.redisUrl) {
  probot.log.error('npm run worker needs REDIS_URL: without Redis the web process (npm start) runs the reviews itself')
  process.exit(1)
}
if (options.concurrency === 0) {
  probot.log.error('REVIEW_CONCURRENCY=0 leaves a worker nothing to do')
  process.exit(1)
}
const reviews = new ReviewService({
  ...options,
  log: probot.log,
  authenticate: async (installationId) => await probot.auth(installationId)
})
await reviews.backend.ping()
await reviews.warmUp()
probot.log.info({ queue: reviews.mode, concurrency: reviews.concurrency, pid: process.pid }, 'review worker started')
const metricsPort = Number(process.env.METRICS_PORT)
const operations =
  Number.isInteger(metricsPort) && metricsPort > 0
    ? await startOperationsServer(reviews, metricsPort, process.env.HOST || '0.0.0.0')
    : undefined
onShutdownSignal(probot.log, async () => {
  operations?.close()
  await reviews.close(shutdownTimeoutMs())
})
