// `npm start`: the Probot web server (webhooks, /healthz, /metrics). It also works the review queue
// unless REVIEW_CONCURRENCY=0 (then `npm run worker` processes do, with REDIS_URL).
import { run } from 'probot'
import appFn, { reviewServiceFromEnv } from './index.js'
import { githubClientClass, onShutdownSignal, shutdownTimeoutMs } from './process-lifecycle.js'
import type { ReviewLogger } from '../github/github-client.js'
import type { ReviewService } from './review-service.js'

let reviews: ReviewService | undefined
let log: ReviewLogger | undefined
const server = await run(
  (app, options) => {
    log = app.log
    reviews = reviewServiceFromEnv(app)
    return appFn(app, { ...options, reviewService: reviews })
  },
  { Octokit: githubClientClass() }
)
// Without APP_ID Probot serves its setup page and loads no app: nothing to shut down gracefully.
const service = reviews
if (service && log) {
  // `run` exits on SIGINT at once; this process first lets its reviews finish.
  process.removeAllListeners('SIGINT')
  onShutdownSignal(log, async () => {
    await server.stop()
    await service.close(shutdownTimeoutMs())
  })
}
