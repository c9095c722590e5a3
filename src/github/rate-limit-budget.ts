// GitHub's rate limits waited out within a bounded budget, for every Octokit the bot builds (the
// App's Probot client and the Action's REST client). Probot's own server setup logs GitHub's
// *secondary* rate limit and gives up, so a review hitting it could not finish; here both limits are
// retried after the advised wait, like a 502, and a wait or a count past the budget fails the
// review (which then says so). No Probot import here: the Action bundle uses this without it.
import type { Octokit, OctokitOptions } from '@octokit/core'

/** Retries of one request for a rate limit, primary or secondary. */
const MAX_RATE_LIMIT_RETRIES = 3
/** The longest advised wait (seconds) worth waiting for; past it the review fails and `/recheck` retries later. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120

interface RequestOptions {
  method: string
  url: string
  // Octokit's request options (RequestRequestOptions) carry the plugins' retry count untyped.
  request?: object & { retryCount?: unknown }
}

type LimitHandler = (retryAfter: number, options: RequestOptions, octokit: Octokit, retryCount: number) => boolean

/** Whether a request rate-limited for `retryAfter` seconds on its `retryCount`-th retry is tried again. */
function withinRateLimitBudget(retryAfter: number, retryCount: number): boolean {
  return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
}

function limitHandler(kind: string): LimitHandler {
  return (retryAfter, options, octokit, retryCount) => {
    const retry = withinRateLimitBudget(
      retryAfter,
      retryCount ?? (typeof options.request?.retryCount === 'number' ? options.request.retryCount : 0)
    )
    octokit.log.warn(
      `GitHub ${kind} rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter} s` : 'over the retry budget; giving up'}`
    )
    return retry
  }
}

/** Throttling handlers for @octokit/plugin-throttling (the library's own retry of both limits). */
export const rateLimitHandlers = {
  onRateLimit: limitHandler('primary'),
  onSecondaryRateLimit: limitHandler('secondary')
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * GitHub documents a secondary limit as a 403 (or 429) with `retry-after`, with or without the
 * "secondary rate limit" wording the throttling plugin looks for. A 403 with `retry-after` that
 * the plugin did not take as a limit is waited out here, within the same budget.
 */
export function retryAfterForbidden(octokit: Octokit, options: OctokitOptions): void {
  const throttle = options.throttle as { retryAfterBaseValue?: unknown } | undefined
  const baseValue = typeof throttle?.retryAfterBaseValue === 'number' ? throttle.retryAfterBaseValue : 1000
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await request(requestOptions)
      } catch (error) {
        const retryAfter = advisedWait(error)
        if (retryAfter === undefined || !withinRateLimitBudget(retryAfter, retryCount)) throw error
        octokit.log.warn(
          `GitHub answered ${requestOptions.method} ${requestOptions.url} with 403 and retry-after ${retryAfter}: retrying after the advised wait`
        )
        await wait(retryAfter * baseValue)
      }
    }
  })
}

/** Seconds GitHub asked to wait on a 403 the throttling plugin did not already treat as a rate limit. */
function advisedWait(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { status, message, response } = error as {
    status?: number
    message?: string
    response?: { headers?: Record<string, string | undefined> }
  }
  if (status !== 403 || /\bsecondary rate\b/i.test(message ?? '')) return undefined
  const header = response?.headers?.['retry-after']
  if (header === undefined) return undefined
  const seconds = Number(header)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}
