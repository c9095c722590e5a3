// The App's Octokit: Probot's (retry and throttling plugins) with the rate-limit budget of
// rate-limit-budget.ts.
import { ProbotOctokit } from 'probot'
import { rateLimitHandlers, retryAfterForbidden } from './rate-limit-budget.js'

/** Probot's Octokit with the rate-limit budget; give it to Probot (`Octokit` option) for the App. */
export const ReviewOctokit = ProbotOctokit.plugin(retryAfterForbidden).defaults((options: { throttle?: Record<string, unknown> }) => ({
  ...options,
  // Merged over Probot's throttle options (which keep their Redis connection when there is one).
  throttle: { ...options.throttle, ...rateLimitHandlers }
}))
