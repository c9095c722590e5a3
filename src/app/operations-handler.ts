// `GET /healthz` and `GET /metrics` for a load balancer and Prometheus, on the web server (a
// Probot handler) and on a worker's own small server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { errorMessage } from '../github/github-client.js'
import type { ReviewService } from './review-service.js'

const HEALTH_TIMEOUT_MS = 2000

/** Answers the two paths and returns true; returns false for anything else (the next handler's). */
export function operationsHandler(reviews: ReviewService): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false
    const path = (request.url ?? '').split('?')[0]
    if (path === '/healthz') {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          reviews.backend.ping(),
          new Promise(
            (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS))
          )
        ])
        const depth = await reviews.depth()
        respond(response, 200, 'application/json', JSON.stringify({ status: 'ok', queue: reviews.mode, depth }))
      } catch (error) {
        respond(
          response,
          503,
          'application/json',
          JSON.stringify({ status: 'unavailable', queue: reviews.mode, error: errorMessage(error) })
        )
      } finally {
        clearTimeout(timer)
      }
      return true
    }
    if (path === '/metrics') {
      try {
        respond(response, 200, reviews.metrics.registry.contentType, await reviews.metrics.registry.metrics())
      } catch (error) {
        respond(response, 500, 'text/plain', `metrics unavailable: ${errorMessage(error)}`)
      }
      return true
    }
    return false
  }
}

function respond(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' })
  response.end(body)
}

/** A worker's own server: the two paths, 404 for the rest. */
export function startOperationsServer(reviews: ReviewService, port: number, host = '0.0.0.0'): Promise<Server> {
  const handle = operationsHandler(reviews)
  const server = createServer((request, response) => {
    handle(request, response)
      .then((handled) => {
        if (!handled) respond(response, 404, 'text/plain', 'not found')
      })
      .catch(() => respond(response, 500, 'text/plain', 'error'))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server))
  })
}
