// A local HTTP server on 127.0.0.1 that answers the REST endpoints a review and the reviewer
// commands use, the way GitHub answers them, over one repository with a base and a head revision
// (files served through the trees and blobs endpoints). For running the bundled Action as a real
// process, where nock cannot reach. It keeps what was written so tests can read it back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import {
  OWNER,
  REPO,
  blobResponse,
  blobSha,
  changedFilesResponse,
  pullRequestObject,
  treeResponse,
  type PullRequestOptions,
  type RepoFiles
} from '../github/github-fixture.js'
import {
  CheckRunCreateBody,
  CheckRunUpdateBody,
  CommentBody,
  IssueLabelsBody,
  LabelCreateBody,
  ReactionBody,
  VALIDATION_FAILED,
  parseBody
} from './github-request-bodies.js'

export interface FakeRepository {
  base: RepoFiles
  head: RepoFiles
  pullRequest: PullRequestOptions & { number: number }
  /** Repository permission per login (`admin`, `write`, `read`); anyone else has `read`. */
  permissions?: Record<string, string>
  /** The token cannot write: every POST, PATCH, PUT and DELETE answers 403, as a fork's GITHUB_TOKEN does. */
  readOnly?: boolean
  /** The config file's text in the base branch, at any path (absent when undefined). */
  config?: string
  /**
   * GitHub's rate-limit answers, one per request, given to the first requests in this order:
   * `secondary` (403, "secondary rate limit" wording, `retry-after: 1`), `primary` (403 with
   * `x-ratelimit-remaining: 0` and a reset a second away), `forbidden` (a bare 403 with `retry-after: 1`).
   */
  rateLimits?: Array<'secondary' | 'primary' | 'forbidden'>
}

export interface RecordedRequest {
  method: string
  path: string
  body: unknown
  /** Milliseconds on this process's performance clock when the request arrived. */
  at: number
}

export interface FakeCheckRun {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  external_id: string | null
  output: { title: string; summary: string; annotations: Array<Record<string, unknown>> }
}

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

/** Who the workflow's token writes as. */
export const ACTIONS_BOT = { login: 'github-actions[bot]', type: 'Bot' }

function sendRateLimit(response: ServerResponse, kind: 'secondary' | 'primary' | 'forbidden'): void {
  const documentation_url = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api'
  if (kind === 'primary') {
    response.setHeader('x-ratelimit-limit', '5000')
    response.setHeader('x-ratelimit-remaining', '0')
    response.setHeader('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000)))
    return send(response, 403, { message: 'API rate limit exceeded for installation ID 1.', documentation_url })
  }
  response.setHeader('retry-after', '1')
  if (kind === 'secondary')
    return send(response, 403, {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url
    })
  return send(response, 403, { message: 'Forbidden', documentation_url })
}

export class FakeGitHubApi {
  readonly requests: RecordedRequest[] = []
  readonly checkRuns: FakeCheckRun[] = []
  readonly comments: FakeComment[] = []
  readonly reactions: Array<{ commentId: number; content: string }> = []
  readonly labels = new Set<string>()
  private readonly blobs = new Map<string, string>()
  private readonly server: Server
  private nextId = 5000
  url = ''

  constructor(private readonly repository: FakeRepository) {
    for (const files of [repository.base, repository.head]) for (const text of files.values()) this.blobs.set(blobSha(text), text)
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => send(response, 500, { message: String(error) }))
    })
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** A comment a person posted on the pull request (shown to the next listing). */
  addComment(login: string, body: string, id = this.nextId++): FakeComment {
    const at = new Date(Date.UTC(2026, 10, 27, 10, 0, this.comments.length)).toISOString()
    const comment = { id, body, user: { login, type: 'User' }, created_at: at, updated_at: at }
    this.comments.push(comment)
    return comment
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((request) => request.method !== 'GET')
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now()
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const method = request.method ?? 'GET'
    const text = await readBody(request)
    const body: unknown = text ? JSON.parse(text) : undefined
    this.requests.push({ method, path: url.pathname, body, at })
    const limit = this.repository.rateLimits?.shift()
    if (limit) return sendRateLimit(response, limit)
    const prefix = `/repos/${OWNER}/${REPO}`
    if (!url.pathname.startsWith(prefix)) return send(response, 404, { message: 'Not Found' })
    const path = url.pathname.slice(prefix.length)
    if (method !== 'GET' && this.repository.readOnly)
      return send(response, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' })
    const { base, head, pullRequest } = this.repository
    const number = pullRequest.number
    let match: RegExpExecArray | null

    if (method === 'GET' && path === `/pulls/${number}`)
      return send(response, 200, {
        ...pullRequestObject(pullRequest),
        labels: [...this.labels].map((name, index) => ({ id: index + 1, name }))
      })
    if (method === 'GET' && path === `/pulls/${number}/files`) return send(response, 200, changedFilesResponse(base, head))
    if (method === 'GET' && path.startsWith('/contents/')) {
      if (this.repository.config === undefined) return send(response, 404, { message: 'Not Found' })
      return send(response, 200, {
        type: 'file',
        encoding: 'base64',
        path: decodeURIComponent(path.slice('/contents/'.length)),
        content: Buffer.from(this.repository.config).toString('base64')
      })
    }
    if (method === 'GET' && (match = /^\/git\/trees\/([0-9a-f]{40})$/.exec(path))) {
      const sha = match[1]
      if (sha === pullRequest.headSha) return send(response, 200, treeResponse(head, sha))
      if (sha === pullRequest.baseSha) return send(response, 200, treeResponse(base, sha))
      return send(response, 404, { message: 'Not Found' })
    }
    if (method === 'GET' && (match = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(path))) {
      const blob = this.blobs.get(match[1])
      return blob === undefined ? send(response, 404, { message: 'Not Found' }) : send(response, 200, blobResponse(blob))
    }
    if (method === 'GET' && (match = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(path))) {
      const name = url.searchParams.get('check_name')
      const runs = this.checkRuns.filter((run) => run.head_sha === match?.[1] && (!name || run.name === name)).reverse()
      return send(response, 200, { total_count: runs.length, check_runs: runs.map(checkRunJson) })
    }
    if (method === 'POST' && path === '/check-runs') {
      const input = parseBody(CheckRunCreateBody, body)
      if (!input) return send(response, 422, VALIDATION_FAILED)
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: input.name,
        head_sha: input.head_sha,
        status: input.status ?? 'queued',
        conclusion: input.conclusion ?? null,
        external_id: input.external_id ?? null,
        output: {
          title: input.output?.title ?? '',
          summary: input.output?.summary ?? '',
          annotations: [...(input.output?.annotations ?? [])]
        }
      }
      this.checkRuns.push(run)
      return send(response, 201, checkRunJson(run))
    }
    if (method === 'PATCH' && (match = /^\/check-runs\/(\d+)$/.exec(path))) {
      const run = this.checkRuns.find((candidate) => candidate.id === Number(match?.[1]))
      if (!run) return send(response, 404, { message: 'Not Found' })
      const input = parseBody(CheckRunUpdateBody, body)
      if (!input) return send(response, 422, VALIDATION_FAILED)
      if (input.status) run.status = input.status
      if (input.conclusion) run.conclusion = input.conclusion
      if (input.external_id !== undefined) run.external_id = input.external_id
      if (input.output)
        run.output = {
          title: input.output.title,
          summary: input.output.summary,
          annotations: [...run.output.annotations, ...(input.output.annotations ?? [])]
        }
      return send(response, 200, checkRunJson(run))
    }
    if (method === 'GET' && path === `/issues/${number}/comments`)
      return send(
        response,
        200,
        this.comments.map((comment) => ({ ...comment }))
      )
    if (method === 'POST' && path === `/issues/${number}/comments`) {
      const at = new Date(Date.UTC(2026, 10, 27, 11, 0, this.comments.length)).toISOString()
      const input = parseBody(CommentBody, body)
      if (!input) return send(response, 422, VALIDATION_FAILED)
      const comment = { id: this.nextId++, body: input.body, user: ACTIONS_BOT, created_at: at, updated_at: at }
      this.comments.push(comment)
      return send(response, 201, comment)
    }
    if ((match = /^\/issues\/comments\/(\d+)(\/reactions)?$/.exec(path))) {
      const comment = this.comments.find((candidate) => candidate.id === Number(match?.[1]))
      if (!comment) return send(response, 404, { message: 'Not Found' })
      if (match[2] && method === 'POST') {
        const input = parseBody(ReactionBody, body)
        if (!input) return send(response, 422, VALIDATION_FAILED)
        this.reactions.push({ commentId: comment.id, content: input.content })
        return send(response, 201, { id: this.nextId++, content: input.content })
      }
      if (method === 'GET') return send(response, 200, comment)
      if (method === 'PATCH') {
        const input = parseBody(CommentBody, body)
        if (!input) return send(response, 422, VALIDATION_FAILED)
        comment.body = input.body
        return send(response, 200, comment)
      }
    }
    if (method === 'POST' && path === '/labels') {
      const input = parseBody(LabelCreateBody, body)
      if (!input) return send(response, 422, VALIDATION_FAILED)
      return send(response, 201, { name: input.name, color: input.color })
    }
    if (method === 'POST' && path === `/issues/${number}/labels`) {
      const input = parseBody(IssueLabelsBody, body)
      if (!input) return send(response, 422, VALIDATION_FAILED)
      for (const label of input.labels) this.labels.add(label)
      return send(
        response,
        200,
        [...this.labels].map((name) => ({ name }))
      )
    }
    if (method === 'DELETE' && (match = /^\/issues\/\d+\/labels\/(.+)$/.exec(path))) {
      const name = decodeURIComponent(match[1])
      if (!this.labels.delete(name)) return send(response, 404, { message: 'Label does not exist' })
      return send(response, 200, [])
    }
    if (method === 'GET' && (match = /^\/collaborators\/([^/]+)\/permission$/.exec(path))) {
      const login = decodeURIComponent(match[1])
      const permission = this.repository.permissions?.[login] ?? 'read'
      return send(response, 200, { permission, role_name: permission, user: { login } })
    }
    return send(response, 404, { message: `the fake GitHub API has no ${method} ${path}` })
  }
}

function checkRunJson(run: FakeCheckRun) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.external_id,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: null,
      annotations_count: run.output.annotations.length,
      annotations_url: ''
    },
    pull_requests: []
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
