// `npm start`: the App's server. Probot reads its settings from the environment (APP_ID,
// PRIVATE_KEY, WEBHOOK_SECRET, ...); the App's Octokit waits out GitHub's rate limits, and the
// server refuses oversized or malformed webhooks before any handler sees them. It serves
// /healthz and /metrics, and works the review queue unless REVIEW_CONCURRENCY=0 (then
// `npm run worker` processes do, with REDIS_URL).
import { createProbot, run } from 'probot'
import appFn, { reviewServiceFromEnv } from './index.js'
import { githubClientClass, onShutdownSignal, shutdownTimeoutMs } from './process-lifecycle.js'
import { createReviewServer } from './webhook-server.js'

// Probot's `run` reads .env (its setup page writes the App's credentials there); so does this entry.
try {
  process.loadEnvFile()
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}
if (!process.env.APP_ID || !(process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH)) {
  // Not registered yet: Probot's own server serves its setup page (http://localhost:3000), which
  // registers the App from app.yml and writes .env; restart `npm start` afterwards.
  await run(appFn)
} else {
  await serve()
}

async function serve(): Promise<void> {
  const probot = createProbot({ overrides: { Octokit: githubClientClass() } })
  // Probot sets up its logger asynchronously; it is null until then.
  await probot.ready()
  const reviews = reviewServiceFromEnv(probot)
  const server = await createReviewServer({ probot, reviewService: reviews })
  const port = Number(process.env.PORT) || 3000
  const host = process.env.HOST || 'localhost'
  server.listen(port, host, () => probot.log.info(`integration-review listening on http://${host}:${port}`))
  // Stop taking webhooks, let running reviews finish (in memory mode the rest are completed as
  // failure, "interrupted"; with Redis another worker picks them up), then exit.
  onShutdownSignal(probot.log, async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await reviews.close(shutdownTimeoutMs())
  })
}
