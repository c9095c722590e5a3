// Runs the committed Action bundle (action/dist/index.js) as the runner runs it: a child process
// with the event payload in a file, inputs as INPUT_* variables, outputs and the job summary in
// files, and GITHUB_API_URL pointing at a local API.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import examples, { type WebhookDefinition } from '@octokit/webhooks-examples'
import { z } from 'zod'
import { BUNDLE_PATH } from '../../action/build-options.js'
import { OWNER, REPO, pullRequestObject, type PullRequestOptions } from '../github/github-fixture.js'

/** The key the tests' state blocks are signed with (vitest.config.ts sets it for this process too). */
const TEST_STATE_SECRET = 'test-state-secret'

export interface ActionRunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** Performance-clock time the process was spawned, to compare with the API's request times. */
  startedAt: number
  outputs: Record<string, string>
  summary: string
  workspace: string
}

export async function runBundledAction(options: {
  apiUrl: string
  eventName: string
  payload: unknown
  inputs?: Record<string, string>
  /**
   * Octokit's client-side pacing (one write a second, GitHub's advice), off unless a test is about
   * rate limits: it only adds waits to tests about what the Action publishes.
   */
  throttle?: boolean
}): Promise<ActionRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ir-action-run-'))
  const workspace = mkdtempSync(join(tmpdir(), 'ir-workspace-'))
  const eventPath = join(dir, 'event.json')
  const outputPath = join(dir, 'output')
  const summaryPath = join(dir, 'summary.md')
  writeFileSync(eventPath, JSON.stringify(options.payload))
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  // The state block's key comes from the workflow's secret, as the README's workflow passes it.
  const inputs = {
    token: 'ghs_workflow_token',
    'fail-on-blocking': 'true',
    stage: '',
    config: '.github/integration-review.yml',
    'state-secret': TEST_STATE_SECRET,
    ...options.inputs
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_RUN_ID: '424242',
    ...(options.throttle ? {} : { GITHUB_THROTTLE: 'off' }),
    // The runner's naming: INPUT_ + the input's name upper-cased, hyphens kept.
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]))
  }
  const startedAt = performance.now()
  // Run a copy from a folder with no node_modules above it, as on a runner: the bundle must need nothing else.
  const bundleCopy = join(dir, 'index.js')
  copyFileSync(BUNDLE_PATH, bundleCopy)
  const child = spawn(process.execPath, [bundleCopy], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code))
  })
  return {
    exitCode,
    stdout,
    stderr,
    startedAt,
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    workspace
  }
}

/** The `name<<delimiter` blocks the runner reads from $GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3]
  return outputs
}

// The package's `index.d.ts` declares an ES default export over a CommonJS JSON module, which
// TypeScript under NodeNext types as the module itself; at run time the default import is the array.
const webhookDefinitions = examples as unknown as WebhookDefinition[]

type IssueCommentCreatedEvent = Extract<WebhookDefinition<'issue_comment'>['examples'][number], { action: 'created' }>

/** The two links of a pull request an issue's `pull_request` field repeats. */
const PullRequestLinks = z.object({ url: z.string(), html_url: z.string() })

/** An `issue_comment.created` payload from GitHub's own example, moved onto the pull request. */
export function issueCommentEvent(options: {
  pullRequest: PullRequestOptions & { number: number }
  commentId: number
  body: string
  login: string
  author: string
}): IssueCommentCreatedEvent {
  const group = webhookDefinitions.find((entry): entry is WebhookDefinition<'issue_comment'> => entry.name === 'issue_comment')
  const example = group?.examples.find((candidate): candidate is IssueCommentCreatedEvent => candidate.action === 'created')
  if (!example) throw new Error('no issue_comment.created example')
  const payload = structuredClone(example)
  const pr = PullRequestLinks.parse(pullRequestObject(options.pullRequest))
  payload.repository.name = REPO
  payload.repository.full_name = `${OWNER}/${REPO}`
  payload.repository.owner.login = OWNER
  payload.issue.number = options.pullRequest.number
  payload.issue.user.login = options.author
  payload.issue.pull_request = {
    url: pr.url,
    html_url: pr.html_url,
    diff_url: `${pr.html_url}.diff`,
    patch_url: `${pr.html_url}.patch`,
    merged_at: null
  }
  payload.comment.id = options.commentId
  payload.comment.body = options.body
  payload.comment.user.login = options.login
  payload.comment.user.type = 'User'
  payload.comment.created_at = '2026-11-27T10:30:00Z'
  payload.comment.updated_at = '2026-11-27T10:30:00Z'
  payload.sender.login = options.login
  return payload
}
