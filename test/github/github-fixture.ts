// Test helpers: a repository served the way GitHub's REST API serves it (real payload shapes
// from @octokit/webhooks-examples, git blob SHAs, trees), and nock interceptors for one review.
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import examples, { type WebhookDefinition } from '@octokit/webhooks-examples'
import nock from 'nock'
import { pino, type Logger } from 'pino'
import { Writable } from 'node:stream'

export const OWNER = 'segment-partners'
export const REPO = 'action-destinations'
export const API = 'https://api.github.com'
export const INSTALLATION_ID = 4242
export const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'acme-pr')

export type RepoFiles = Map<string, string>

function readTree(dir: string): RepoFiles {
  const files: RepoFiles = new Map()
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'))
    }
  }
  walk(dir)
  return files
}

export function exampleRevisions(): { base: RepoFiles; head: RepoFiles } {
  return { base: readTree(join(EXAMPLE_DIR, 'base')), head: readTree(join(EXAMPLE_DIR, 'head')) }
}

/** The SHA git gives a blob with this content. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

export function commitSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

export interface TreeItem {
  path: string
  mode: string
  type: string
  sha: string
  size?: number
  url: string
}

export function treeResponse(files: RepoFiles, sha: string): { sha: string; url: string; truncated: boolean; tree: TreeItem[] } {
  const folders = new Set<string>()
  for (const path of files.keys()) {
    const parts = path.split('/')
    for (let index = 1; index < parts.length; index++) folders.add(parts.slice(0, index).join('/'))
  }
  return {
    sha,
    url: `${API}/repos/${OWNER}/${REPO}/git/trees/${sha}`,
    truncated: false,
    tree: [
      ...[...folders].map((path): TreeItem => ({ path, mode: '040000', type: 'tree', sha: commitSha(`tree:${path}`), url: '' })),
      ...[...files].map(([path, text]) => ({
        path,
        mode: '100644',
        type: 'blob',
        sha: blobSha(text),
        size: Buffer.byteLength(text),
        url: ''
      }))
    ].sort((a, b) => a.path.localeCompare(b.path))
  }
}

/** One folder's tree as `GET git/trees/{sha}` gives it: its children, or with `recursive`, everything below. */
export function subtreeResponse(files: RepoFiles, folder: string, sha: string, recursive: boolean) {
  const prefix = folder === '' ? '' : `${folder}/`
  const inside = new Map([...files].filter(([path]) => path.startsWith(prefix)).map(([path, text]) => [path.slice(prefix.length), text]))
  const whole = treeResponse(inside, sha)
  const tree = recursive ? whole.tree : whole.tree.filter((item) => !item.path.includes('/'))
  // Folder SHAs are derived from the full path, as treeResponse derives them.
  return { ...whole, tree: tree.map((item) => (item.type === 'tree' ? { ...item, sha: commitSha(`tree:${prefix}${item.path}`) } : item)) }
}

export function folderSha(folder: string): string {
  return commitSha(`tree:${folder}`)
}

export function blobResponse(text: string) {
  const sha = blobSha(text)
  return {
    sha,
    node_id: 'B_x',
    size: Buffer.byteLength(text),
    url: `${API}/repos/${OWNER}/${REPO}/git/blobs/${sha}`,
    content: Buffer.from(text).toString('base64'),
    encoding: 'base64'
  }
}

/** Files whose content differs between two revisions, in the shape of `GET /pulls/{n}/files`. */
export function changedFilesResponse(base: RepoFiles, head: RepoFiles) {
  const files = []
  for (const [path, text] of head) {
    if (!base.has(path))
      files.push({ sha: blobSha(text), filename: path, status: 'added', additions: text.split('\n').length, deletions: 0, changes: 1 })
    else if (base.get(path) !== text)
      files.push({ sha: blobSha(text), filename: path, status: 'modified', additions: 1, deletions: 1, changes: 2 })
  }
  for (const path of base.keys())
    if (!head.has(path))
      files.push({ sha: blobSha(base.get(path) ?? ''), filename: path, status: 'removed', additions: 0, deletions: 1, changes: 1 })
  return files
}

type WebhookName = WebhookDefinition['name']
/** GitHub's payload of one webhook event and action, as @octokit/webhooks-examples types it. */
export type WebhookEvent<N extends WebhookName, A extends string> = Extract<WebhookDefinition<N>['examples'][number], { action: A }>

type PullRequestSynchronizeEvent = WebhookEvent<'pull_request', 'synchronize'>
/** A pull request as the webhook (and, for the fields the bot reads, the REST API) gives it. */
export type PullRequest = PullRequestSynchronizeEvent['pull_request']
type Repository = PullRequestSynchronizeEvent['repository']
/** A `pull_request` webhook payload of any action the tests send (`extra` fields such as `changes` ride along untyped). */
export interface PullRequestEvent extends Pick<
  PullRequestSynchronizeEvent,
  'number' | 'pull_request' | 'repository' | 'installation' | 'sender'
> {
  action: string
}
export type CheckRunRerequestedEvent = WebhookEvent<'check_run', 'rerequested'>
export type CheckSuiteRerequestedEvent = WebhookEvent<'check_suite', 'rerequested'>

/** GitHub's example payloads of one webhook event, typed as @octokit/webhooks-examples types them. */
export function webhookExamples<N extends WebhookName>(name: N): Array<WebhookDefinition<N>['examples'][number]> {
  // The package's `export default` reaches ESM as the array itself; its typings describe a CJS module object.
  const definitions = examples as unknown as WebhookDefinition[]
  return definitions.find((entry): entry is WebhookDefinition<N> => entry.name === name)?.examples ?? []
}

/** A copy of GitHub's example payload of one event and action (one with an `installation`, if any has). */
export function exampleEvent<N extends WebhookName, A extends string>(name: N, action: A): WebhookEvent<N, A> {
  // The payloads are seen only through the two fields chosen on (TypeScript cannot narrow the generic
  // union of every event's payloads); the one found is the example of this event and action.
  const definitions = examples as unknown as Array<{ name: string; examples: Array<{ action?: string; installation?: unknown }> }>
  const payloads = definitions.find((entry) => entry.name === name)?.examples ?? []
  const candidates = payloads.filter((example) => example.action === action)
  const found = candidates.find((example) => example.installation) ?? candidates[0]
  if (!found) throw new Error(`no ${name}.${action} example payload`)
  return structuredClone(found) as WebhookEvent<N, A>
}

export interface PullRequestOptions {
  number?: number
  headSha: string
  baseSha: string
  body?: string
  authorAssociation?: PullRequest['author_association']
  login?: string
  labels?: string[]
  state?: PullRequest['state']
}

/** A REST pull request (also the webhook's `pull_request`), from GitHub's own example payload. */
export function pullRequestObject(options: PullRequestOptions): PullRequest {
  const pr: PullRequest = exampleEvent('pull_request', 'opened').pull_request
  const number = options.number ?? 7
  const repository = repositoryObject()
  pr.number = number
  pr.state = options.state ?? 'open'
  pr.body = options.body ?? 'Adds an Identify User action to Wavelet.'
  pr.author_association = options.authorAssociation ?? 'CONTRIBUTOR'
  pr.user.login = options.login ?? 'wavelet-dev'
  pr.labels = (options.labels ?? []).map((name, index) => ({
    id: index + 1,
    node_id: 'L',
    url: '',
    name,
    color: 'ededed',
    default: false,
    description: null
  }))
  pr.html_url = `https://github.com/${OWNER}/${REPO}/pull/${number}`
  pr.url = `${API}/repos/${OWNER}/${REPO}/pulls/${number}`
  pr.head = { ...pr.head, sha: options.headSha, ref: 'wavelet-identify', label: `wavelet-dev:wavelet-identify` }
  pr.base = { ...pr.base, sha: options.baseSha, ref: 'main', label: `${OWNER}:main`, repo: repository }
  return pr
}

function repositoryObject(): Repository {
  const repository = exampleEvent('pull_request', 'opened').repository
  repository.name = REPO
  repository.full_name = `${OWNER}/${REPO}`
  repository.owner.login = OWNER
  repository.html_url = `https://github.com/${OWNER}/${REPO}`
  repository.url = `${API}/repos/${OWNER}/${REPO}`
  return repository
}

/** A `pull_request` webhook payload of the given action, shaped like GitHub's example. */
export function pullRequestEvent(action: string, options: PullRequestOptions, extra: Record<string, unknown> = {}): PullRequestEvent {
  // The examples have no `edited` payload; it is an `opened` one with `changes` (given in `extra`).
  const payload: PullRequestEvent =
    action === 'edited' ? { ...exampleEvent('pull_request', 'opened'), action } : exampleEvent('pull_request', action)
  payload.number = options.number ?? 7
  payload.pull_request = pullRequestObject(options)
  payload.repository = repositoryObject()
  payload.installation = { id: INSTALLATION_ID, node_id: 'I' }
  return { ...payload, ...extra }
}

export function checkRunRerequestedEvent(headSha: string, pullRequestNumbers: number[]): CheckRunRerequestedEvent {
  const payload = exampleEvent('check_run', 'rerequested')
  payload.check_run.name = 'integration-review'
  payload.check_run.head_sha = headSha
  payload.check_run.check_suite.head_sha = headSha
  payload.check_run.pull_requests = pullRequestNumbers.map((number) => ({
    number,
    id: number,
    url: '',
    head: { sha: headSha, ref: 'x', repo: { id: 1, url: '', name: REPO } },
    base: { sha: 'b', ref: 'main', repo: { id: 1, url: '', name: REPO } }
  }))
  payload.repository = repositoryObject()
  payload.installation = { id: INSTALLATION_ID, node_id: 'I' }
  return payload
}

export function checkSuiteRerequestedEvent(headSha: string): CheckSuiteRerequestedEvent {
  const payload = exampleEvent('check_suite', 'rerequested')
  payload.check_suite.head_sha = headSha
  payload.check_suite.pull_requests = []
  payload.repository = repositoryObject()
  payload.installation = { id: INSTALLATION_ID, node_id: 'I' }
  return payload
}

let privateKey: string | undefined

/** The App's RSA key for the tests: generated once per process (an RSA 2048 key takes up to a second of CPU). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  return privateKey
}

/** A pino logger that keeps its JSON lines for assertions. */
export function capturingLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    }
  })
  const log = pino({ level: 'debug' }, stream)
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}

export const repoPath = (path: string) => `/repos/${OWNER}/${REPO}${path}`

export function mockInstallationToken(scope: nock.Scope): nock.Scope {
  return scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: 'ghs_test_installation_token',
    expires_at: '2099-01-01T00:00:00Z',
    permissions: { checks: 'write', contents: 'read', issues: 'write', pull_requests: 'write', metadata: 'read', members: 'read' },
    repository_selection: 'all'
  })
}

export interface ReviewMockOptions {
  number?: number
  base: RepoFiles
  head: RepoFiles
  baseSha: string
  headSha: string
  /** Paths whose blobs the review must fetch at head and at base (the rest come from the cache). */
  headBlobs: string[]
  baseBlobs: string[]
  authorAssociation?: PullRequest['author_association']
  labels?: string[]
  existingCheckRun?: { id: number; status: string; external_id: string | null; annotations_count: number }
  existingComments?: Array<{ id: number; body: string; type?: string }>
  config?: string
  checkRunId?: number
  /** Answers the review's first read of the pull request (e.g. after a test lets it). */
  firstRead?: () => Promise<PullRequest>
}

/** The fields tests read from the body of a `POST /check-runs` or `PATCH /check-runs/{id}`. */
export interface CheckRunBody {
  name?: string
  head_sha?: string
  status?: string
  conclusion?: string
  external_id?: string
  output?: { title: string; summary: string; text?: string; annotations?: CheckRunAnnotation[] }
}

export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: string
  message: string
  title?: string
}

/** The annotations a check-run write sends; one without them fails the test that reads them. */
export function annotationsOf(body: CheckRunBody): CheckRunAnnotation[] {
  const annotations = body.output?.annotations
  if (!annotations) throw new Error(`the check-run write has no annotations: ${JSON.stringify(body)}`)
  return annotations
}

/** The body of a `POST /issues/{n}/comments` or `PATCH /issues/comments/{id}`. */
export interface CommentBody {
  body: string
}

/** The body of a `POST /labels`. */
export interface LabelCreateBody {
  name: string
  color: string
  description?: string
}

/** A value a nock body callback captured; a test that reads one never captured fails here. */
export function captured<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} was captured`)
  return value
}

/** The body of a `POST /issues/{n}/labels`. */
export interface LabelsBody {
  labels: string[]
}

/** The body of a `POST /issues/comments/{id}/reactions`. */
export interface ReactionBody {
  content: string
}

/** Intercepts the reads of one review, in the order the review makes them. */
export function mockReviewReads(scope: nock.Scope, options: ReviewMockOptions): nock.Scope {
  const number = options.number ?? 7
  const pr = pullRequestObject({
    number,
    headSha: options.headSha,
    baseSha: options.baseSha,
    authorAssociation: options.authorAssociation,
    labels: options.labels
  })
  if (options.firstRead) scope.get(repoPath(`/pulls/${number}`)).reply(200, options.firstRead)
  else scope.get(repoPath(`/pulls/${number}`)).reply(200, pr)
  scope
    .get(repoPath(`/commits/${options.headSha}/check-runs`))
    .query({ check_name: 'integration-review', filter: 'latest', per_page: '100' })
    .reply(200, {
      total_count: options.existingCheckRun ? 1 : 0,
      check_runs: options.existingCheckRun ? [checkRunObject(options.existingCheckRun, options.headSha)] : []
    })
  if (!options.existingCheckRun) {
    scope
      .post(
        repoPath('/check-runs'),
        (body: CheckRunBody) => body.name === 'integration-review' && body.head_sha === options.headSha && body.status === 'in_progress'
      )
      .reply(201, { id: options.checkRunId ?? 9001 })
  }
  const config = scope.get(repoPath('/contents/.github%2Fintegration-review.yml')).query({ ref: 'main' })
  if (options.config === undefined) config.reply(404, { message: 'Not Found' })
  else
    config.reply(200, {
      type: 'file',
      encoding: 'base64',
      path: '.github/integration-review.yml',
      content: Buffer.from(options.config).toString('base64')
    })
  scope
    .get(repoPath(`/pulls/${number}/files`))
    .query({ per_page: '100' })
    .reply(200, changedFilesResponse(options.base, options.head))
  scope
    .get(repoPath(`/git/trees/${options.headSha}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(options.head, options.headSha))
  for (const path of options.headBlobs)
    scope
      .get(repoPath(`/git/blobs/${blobSha(options.head.get(path) ?? missing(path))}`))
      .reply(200, blobResponse(options.head.get(path) ?? ''))
  scope
    .get(repoPath(`/git/trees/${options.baseSha}`))
    .query({ recursive: '1' })
    .reply(200, treeResponse(options.base, options.baseSha))
  for (const path of options.baseBlobs)
    scope
      .get(repoPath(`/git/blobs/${blobSha(options.base.get(path) ?? missing(path))}`))
      .reply(200, blobResponse(options.base.get(path) ?? ''))
  scope
    .get(repoPath(`/issues/${number}/comments`))
    .query({ per_page: '100' })
    .reply(
      200,
      (options.existingComments ?? []).map((comment) => ({
        id: comment.id,
        body: comment.body,
        user: { login: 'integration-review[bot]', type: comment.type ?? 'Bot' }
      }))
    )
  return scope
}

function missing(path: string): never {
  throw new Error(`fixture has no file ${path}`)
}

export function checkRunObject(
  run: { id: number; status: string; external_id: string | null; annotations_count: number },
  headSha: string
) {
  return {
    id: run.id,
    name: 'integration-review',
    head_sha: headSha,
    status: run.status,
    conclusion: run.status === 'completed' ? 'failure' : null,
    external_id: run.external_id,
    output: { title: 'x', summary: 'x', text: null, annotations_count: run.annotations_count, annotations_url: '' },
    pull_requests: []
  }
}

/** The pull request most tests use (number 7): the scope its sticky comment's state block is signed for. */
export const PR7 = { owner: OWNER, repo: REPO, number: 7 }

/**
 * The `log` for an Octokit under test. Octokit's request log reports every non-2xx answer as an
 * error line; here those answers (404 on a missing config, 422 on an existing label...) are the
 * scenario, and each test asserts what the code did with the HttpError it got. The lines are kept
 * in `errors` instead of going to stderr; warnings still go to stderr.
 */
export function quietOctokitLog(): {
  debug: () => void
  info: () => void
  warn: (message: string) => void
  error: (message: string) => void
  errors: string[]
} {
  const errors: string[] = []
  return {
    debug: () => {},
    info: () => {},
    warn: (message) => console.warn(message),
    error: (message) => void errors.push(message),
    errors
  }
}
