// A stateful GitHub REST API on loopback, for tests and benchmarks whose worker processes nock
// cannot reach: pull requests with heads that move, trees and blobs, check runs, comments, labels.
// It serves both `/…` and GitHub Enterprise's `/api/v3/…` (what GHE_HOST makes Probot use).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  blobResponse,
  blobSha,
  changedFilesResponse,
  OWNER,
  pullRequestObject,
  REPO,
  treeResponse,
  type RepoFiles
} from '../github/github-fixture.js'
import {
  CheckRunCreateBody,
  CheckRunUpdateBody,
  CommentBody,
  IssueLabelsBody,
  LabelCreateBody,
  VALIDATION_FAILED,
  parseBody
} from './github-request-bodies.js'

export interface FakeCheckRun {
  id: number
  head_sha: string
  name: string
  status: string
  conclusion: string | null
  external_id: string | null
  output: { title?: string; summary?: string }
  annotations: number
  /** Requests that set status `completed` on it: a check run is completed exactly once when this is 1. */
  completions: number
  /** When it was (last) completed, ms since the epoch. */
  completedAt?: number
}

export interface FakeComment {
  id: number
  number: number
  body: string
  bot: boolean
}

interface FakePullRequest {
  number: number
  headSha: string
  baseSha: string
  state: 'open' | 'closed'
}

interface Hold {
  matches: (method: string, path: string) => boolean
  arrived: () => void
  released: Promise<void>
}

export class FakeGitHub {
  readonly checkRuns: FakeCheckRun[] = []
  readonly comments: FakeComment[] = []
  readonly requests: Array<{ method: string; path: string; status: number }> = []
  private readonly commits = new Map<string, RepoFiles>()
  private readonly blobs = new Map<string, string>()
  private readonly pulls = new Map<number, FakePullRequest>()
  private readonly labels = new Set<string>()
  private readonly holds: Hold[] = []
  private readonly faults: Array<{ matches: (method: string, path: string) => boolean; status: number; left: number }> = []
  private nextId = 1000
  private server: Server | undefined
  url = ''

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    return this.url
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  /** `host:port`, for GHE_HOST. */
  get host(): string {
    return this.url.replace(/^http:\/\//, '')
  }

  addCommit(sha: string, files: RepoFiles): void {
    this.commits.set(sha, files)
    for (const text of files.values()) this.blobs.set(blobSha(text), text)
  }

  /** Opens the pull request or moves its head (a push), as GitHub does before it sends the webhook. */
  setPullRequest(number: number, headSha: string, baseSha: string, state: 'open' | 'closed' = 'open'): void {
    this.pulls.set(number, { number, headSha, baseSha, state })
  }

  /** Holds the first matching request until released; `arrived` resolves when it comes. */
  hold(matches: (method: string, path: string) => boolean): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void
    let release!: () => void
    const arrival = new Promise<void>((resolve) => (arrived = resolve))
    const released = new Promise<void>((resolve) => (release = resolve))
    this.holds.push({ matches, arrived, released })
    return { arrived: arrival, release }
  }

  /** Answers the next `times` matching requests with `status` (a GitHub outage). */
  fail(matches: (method: string, path: string) => boolean, status: number, times: number): void {
    this.faults.push({ matches, status, left: times })
  }

  checkRunsOf(headSha: string): FakeCheckRun[] {
    return this.checkRuns.filter((run) => run.head_sha === headSha)
  }

  stickyCommentsOf(number: number): FakeComment[] {
    return this.comments.filter((comment) => comment.number === number && comment.bot)
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v3/, ''))
    const method = request.method ?? 'GET'
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}
    const holdIndex = this.holds.findIndex((hold) => hold.matches(method, path))
    if (holdIndex >= 0) {
      const [hold] = this.holds.splice(holdIndex, 1)
      hold.arrived()
      await hold.released
      if (request.destroyed || response.destroyed) return
    }
    const fault = this.faults.find((candidate) => candidate.left > 0 && candidate.matches(method, path))
    let status: number
    let payload: unknown
    if (fault) {
      fault.left--
      ;[status, payload] = [fault.status, { message: 'Server Error' }]
    } else {
      ;[status, payload] = this.route(method, path, url.searchParams, body)
    }
    this.requests.push({ method, path, status })
    if (response.destroyed) return
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    response.end(payload === undefined ? '' : JSON.stringify(payload))
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    let match: RegExpExecArray | null
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [
        201,
        {
          token: 'ghs_fake_installation_token',
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: {},
          repository_selection: 'all'
        }
      ]
    }
    const repoPrefix = `/repos/${OWNER}/${REPO}`
    if (!path.startsWith(repoPrefix)) return [404, { message: 'Not Found' }]
    const rest = path.slice(repoPrefix.length)
    if (method === 'GET' && (match = /^\/pulls\/(\d+)$/.exec(rest))) {
      const pr = this.pulls.get(Number(match[1]))
      return pr
        ? [200, pullRequestObject({ number: pr.number, headSha: pr.headSha, baseSha: pr.baseSha, state: pr.state })]
        : [404, { message: 'Not Found' }]
    }
    if (method === 'GET' && (match = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const pr = this.pulls.get(Number(match[1]))
      if (!pr) return [404, { message: 'Not Found' }]
      return [
        200,
        changedFilesResponse(
          this.commits.get(pr.baseSha) ?? new Map<string, string>(),
          this.commits.get(pr.headSha) ?? new Map<string, string>()
        )
      ]
    }
    if (method === 'GET' && rest.startsWith('/contents/')) return [404, { message: 'Not Found' }]
    if (method === 'GET' && (match = /^\/git\/trees\/([0-9a-f]+)$/.exec(rest))) {
      const files = this.commits.get(match[1])
      return files ? [200, treeResponse(files, match[1])] : [404, { message: 'Not Found' }]
    }
    if (method === 'GET' && (match = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest))) {
      const text = this.blobs.get(match[1])
      return text !== undefined ? [200, blobResponse(text)] : [404, { message: 'Not Found' }]
    }
    if (method === 'GET' && (match = /^\/commits\/([0-9a-f]+)\/check-runs$/.exec(rest))) {
      const name = query.get('check_name')
      const runs = this.checkRunsOf(match[1])
        .filter((run) => !name || run.name === name)
        .reverse()
        .map((run) => this.checkRunObject(run))
      return [200, { total_count: runs.length, check_runs: runs }]
    }
    if (method === 'POST' && rest === '/check-runs') {
      const input = parseBody(CheckRunCreateBody, body)
      if (!input) return [422, VALIDATION_FAILED]
      const run: FakeCheckRun = {
        id: this.nextId++,
        head_sha: input.head_sha,
        name: input.name,
        status: 'queued',
        conclusion: null,
        external_id: null,
        output: {},
        annotations: 0,
        completions: 0
      }
      this.checkRuns.push(run)
      this.applyCheckRun(run, input)
      return [201, this.checkRunObject(run)]
    }
    if (method === 'PATCH' && (match = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((candidate) => candidate.id === Number(match?.[1]))
      if (!run) return [404, { message: 'Not Found' }]
      const input = parseBody(CheckRunUpdateBody, body)
      if (!input) return [422, VALIDATION_FAILED]
      this.applyCheckRun(run, input)
      return [200, this.checkRunObject(run)]
    }
    if (method === 'GET' && (match = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const number = Number(match[1])
      return [200, this.comments.filter((comment) => comment.number === number).map((comment) => this.commentObject(comment))]
    }
    if (method === 'POST' && (match = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const input = parseBody(CommentBody, body)
      if (!input) return [422, VALIDATION_FAILED]
      const comment: FakeComment = { id: this.nextId++, number: Number(match[1]), body: input.body, bot: true }
      this.comments.push(comment)
      return [201, this.commentObject(comment)]
    }
    if ((match = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const comment = this.comments.find((candidate) => candidate.id === Number(match?.[1]))
      if (!comment) return [404, { message: 'Not Found' }]
      if (method === 'PATCH') {
        const input = parseBody(CommentBody, body)
        if (!input) return [422, VALIDATION_FAILED]
        comment.body = input.body
      }
      return [200, this.commentObject(comment)]
    }
    if (method === 'POST' && rest === '/labels') {
      const input = parseBody(LabelCreateBody, body)
      if (!input) return [422, VALIDATION_FAILED]
      if (this.labels.has(input.name)) return [422, { message: 'Validation Failed', errors: [{ code: 'already_exists' }] }]
      this.labels.add(input.name)
      return [201, { name: input.name }]
    }
    if (method === 'POST' && /^\/issues\/\d+\/labels$/.test(rest)) {
      const input = parseBody(IssueLabelsBody, body)
      return input ? [200, input.labels.map((name) => ({ name }))] : [422, VALIDATION_FAILED]
    }
    if (method === 'DELETE' && /^\/issues\/\d+\/labels\//.test(rest)) return [200, []]
    return [404, { message: `Not Found: ${method} ${rest}` }]
  }

  private applyCheckRun(run: FakeCheckRun, body: CheckRunUpdateBody): void {
    if (body.status) run.status = body.status
    if (body.status === 'completed') {
      run.completions++
      run.completedAt = Date.now()
    }
    if (body.conclusion) run.conclusion = body.conclusion
    if (body.external_id !== undefined) run.external_id = body.external_id
    if (body.output) {
      run.output = { title: body.output.title, summary: body.output.summary }
      run.annotations += body.output.annotations?.length ?? 0
    }
  }

  private checkRunObject(run: FakeCheckRun): Record<string, unknown> {
    return {
      id: run.id,
      name: run.name,
      head_sha: run.head_sha,
      status: run.status,
      conclusion: run.conclusion,
      external_id: run.external_id,
      output: { ...run.output, annotations_count: run.annotations }
    }
  }

  private commentObject(comment: FakeComment): Record<string, unknown> {
    const user = comment.bot ? { login: 'integration-review[bot]', type: 'Bot' } : { login: 'someone', type: 'User' }
    return { id: comment.id, body: comment.body, user, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' }
  }
}
