// `npm start`: the App's server. Probot reads its settings from the environment (APP_ID,
// PRIVATE_KEY, WEBHOOK_SECRET, ...); the App's Octokit waits out GitHub's rate limits, and the
// server refuses oversized or malformed webhooks before any handler sees them.
import { createProbot } from 'probot'
import { ReviewOctokit } from '../github/review-octokit.js'
import { createReviewServer } from './webhook-server.js'

const probot = createProbot({ overrides: { Octokit: ReviewOctokit } })
const server = await createReviewServer({ probot })
const port = Number(process.env.PORT) || 3000
const host = process.env.HOST || 'localhost'
server.listen(port, host, () => probot.log.info(`integration-review listening on http://${host}:${port}`))
