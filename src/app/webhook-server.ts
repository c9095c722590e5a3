// The App's HTTP front: a bounded guard in front of Probot's webhook middleware. A payload over the
// size limit is refused with 413 before it is read whole, one that is not JSON, `null`, or has no
// repository is answered 400 after its signature checks out (never a 500 from a handler), and
// everything else goes to Probot unchanged (signature check, events, the App's handlers).
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createNodeMiddleware, type Probot } from 'probot'
import appFn from './index.js'
import { operationsHandler } from './operations-handler.js'
import type { ReviewService } from './review-service.js'

/** WEBHOOK_PATH, as Probot reads it. */
const WEBHOOK_PATH = process.env.WEBHOOK_PATH || '/api/github/webhooks'
/** WEBHOOK_MAX_BYTES: GitHub's events the App handles are far smaller; a larger one is refused unread. */
const DEFAULT_WEBHOOK_MAX_BYTES = 2 * 1024 * 1024
/** Events whose handlers read `repository`: a payload without one is malformed. */
const EVENTS_WITH_REPOSITORY = new Set(['pull_request', 'issue_comment', 'check_run', 'check_suite'])

export interface ReviewServerOptions {
  probot: Probot
  maxPayloadBytes?: number
  /** Tests pass their own (to wait for the queue). */
  reviewService?: ReviewService
}

export async function createReviewServer(options: ReviewServerOptions): Promise<HttpServer> {
  const maxBytes = options.maxPayloadBytes ?? (Number(process.env.WEBHOOK_MAX_BYTES) || DEFAULT_WEBHOOK_MAX_BYTES)
  const { probot } = options
  const middleware = await createNodeMiddleware((app, appOptions) => appFn(app, { ...appOptions, reviewService: options.reviewService }), {
    probot,
    webhooksPath: WEBHOOK_PATH
  })
  // /healthz and /metrics, answered before the webhook middleware when this server owns the queue.
  const operations = options.reviewService ? operationsHandler(options.reviewService) : undefined
  return createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      probot.log.error({ err: error instanceof Error ? error.message : String(error) }, 'webhook request failed')
      if (!response.headersSent) response.writeHead(500).end()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0]
    if (request.method === 'GET' && path === '/ping') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('PONG')
    if (operations && (await operations(request, response))) return
    if (request.method === 'POST' && path === WEBHOOK_PATH) {
      const body = await readBounded(request, maxBytes)
      if (body === undefined) return refuse(response, 413, `payload over the ${maxBytes}-byte limit`)
      const problem = await malformed(body, request)
      if (problem) return refuse(response, 400, problem)
      // The webhook middleware takes a body already read from here.
      ;(request as IncomingMessage & { body?: string }).body = body
    }
    await middleware(request, response, () => response.writeHead(404).end())
  }

  /** Why a signed payload cannot be an event the App handles, or undefined when it can. */
  async function malformed(body: string, request: IncomingMessage): Promise<string | undefined> {
    const signature = header(request, 'x-hub-signature-256')
    // Unsigned or wrongly signed: Probot's middleware answers it (and nothing is parsed here).
    if (!signature || !(await probot.webhooks.verify(body, signature).catch(() => false))) return undefined
    let payload: unknown
    try {
      payload = JSON.parse(body)
    } catch {
      return 'the payload is not JSON'
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the payload is not a JSON object'
    if (EVENTS_WITH_REPOSITORY.has(header(request, 'x-github-event') ?? '')) {
      const repository = (payload as { repository?: { name?: unknown; owner?: { login?: unknown } | null } | null }).repository
      if (typeof repository?.name !== 'string' || typeof repository.owner?.login !== 'string') return 'the payload names no repository'
    }
    return undefined
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: message }))
}

/**
 * The body as text, or undefined past `maxBytes`: refused by its declared length before a byte is
 * read, or as soon as more arrives than allowed (the rest is not kept).
 */
function readBounded(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume()
    return Promise.resolve(undefined)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    request.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > maxBytes) {
        over = true
        chunks.length = 0
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    request.on('error', reject)
  })
}
