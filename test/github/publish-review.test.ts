import { Octokit } from '@octokit/rest'
import nock from 'nock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { formatStateBlock, readStateBlock } from '../../src/pull-request/comment-state.js'
import { computeLabels, labelChanges } from '../../src/pull-request/compute-labels.js'
import {
  FAILED_REVIEW_TITLE,
  completeCheckRun,
  completeCheckRunAsFailed,
  outputDigest,
  publishComment,
  syncLabels
} from '../../src/github/publish-review.js'
import type { CheckRunOutput } from '../../src/report/check-run-report.js'
import type { Review } from '../../src/review/review-schema.js'
import { API, OWNER, REPO, quietOctokitLog, repoPath, type CheckRunBody, type CommentBody } from './github-fixture.js'

const repository = { owner: OWNER, repo: REPO }
const pullRequest = { ...repository, number: 7 }
const client = () => new Octokit({ auth: 'test-token', log: quietOctokitLog() })

beforeEach(() => nock.disableNetConnect())
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  nock.enableNetConnect()
  expect(pending).toEqual([])
})

function output(annotations: number): CheckRunOutput {
  return {
    conclusion: 'failure',
    title: 'Blocked',
    summary: '## Integration review',
    annotations: Array.from({ length: annotations }, (_, index) => ({
      path: 'packages/destination-actions/src/destinations/acme/index.ts',
      start_line: index + 1,
      end_line: index + 1,
      annotation_level: 'warning' as const,
      message: `finding ${index}`,
      title: 'structure/field-description'
    }))
  }
}

describe('completeCheckRun', () => {
  it('sends every annotation, 50 per request, the first batch with the conclusion', async () => {
    const bodies: CheckRunBody[] = []
    const scope = nock(API)
      .patch(repoPath('/check-runs/5'), (body: CheckRunBody) => (bodies.push(body), true))
      .times(3)
      .reply(200, {})
    const result = await completeCheckRun(
      client(),
      repository,
      'sha',
      { id: 5, existing: false, status: 'in_progress', externalId: null, annotationsCount: 0 },
      output(120)
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toEqual({ result: 'updated', checkRunId: 5, requests: 3 })
    expect(bodies.map((body) => body.output?.annotations?.length)).toEqual([50, 50, 20])
    expect(bodies[0]).toMatchObject({ status: 'completed', conclusion: 'failure', external_id: outputDigest(output(120)) })
    expect(bodies[1].conclusion).toBeUndefined()
    expect(bodies.flatMap((body) => (body.output?.annotations ?? []).map((a) => a.start_line))).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1)
    )
  })

  it('does nothing when the check run already shows this exact output', async () => {
    const same = output(3)
    const result = await completeCheckRun(
      client(),
      repository,
      'sha',
      { id: 5, existing: true, status: 'completed', externalId: outputDigest(same), annotationsCount: 3 },
      same
    )
    expect(result.result).toBe('unchanged')
  })

  it('replaces a check run that already shows other annotations instead of appending to them', async () => {
    let created: CheckRunBody = {}
    const scope = nock(API)
      .post(repoPath('/check-runs'), (body: CheckRunBody) => ((created = body), true))
      .reply(201, { id: 6 })
    const result = await completeCheckRun(
      client(),
      repository,
      'sha',
      { id: 5, existing: true, status: 'completed', externalId: 'ir1-old', annotationsCount: 4 },
      output(2)
    )
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toMatchObject({ result: 'recreated', checkRunId: 6 })
    expect(created).toMatchObject({ name: 'integration-review', head_sha: 'sha', status: 'completed', conclusion: 'failure' })
  })

  it('completeCheckRunAsFailed creates a failing check run, saying how to retry, when none could be started', async () => {
    let created: CheckRunBody = {}
    const scope = nock(API)
      .post(repoPath('/check-runs'), (body: CheckRunBody) => ((created = body), true))
      .reply(201, { id: 8 })
    await completeCheckRunAsFailed(client(), repository, 'sha', undefined, 'GitHub answered 502')
    expect(scope.pendingMocks()).toEqual([])
    // Never neutral: GitHub counts neutral as passing a required check.
    expect(created).toMatchObject({
      conclusion: 'failure',
      output: { title: FAILED_REVIEW_TITLE, summary: expect.stringContaining('GitHub answered 502') as unknown }
    })
    expect(created.output?.title).toContain('/recheck')
  })
})

describe('publishComment', () => {
  it('keeps a state block it cannot read verbatim', async () => {
    const newer = '<!-- integration-review:state v2 eyJmdXR1cmUiOnRydWV9 -->'
    const current = `<!-- integration-review:comment -->\nold review\n\n${newer}\n`
    let edited = ''
    const scope = nock(API)
      .get(repoPath('/issues/comments/99'))
      .reply(200, { id: 99, body: current })
      .patch(repoPath('/issues/comments/99'), (body: CommentBody) => ((edited = body.body), true))
      .reply(200, {})
    const result = await publishComment(client(), pullRequest, { id: 99, body: current }, 'new review')
    expect(scope.pendingMocks()).toEqual([])
    expect(result.result).toBe('updated')
    expect(edited).toContain('new review')
    expect(edited).toContain(newer)
    expect(edited.match(/integration-review:state/g)).toHaveLength(1)
  })

  it('creates a new comment when the sticky one was deleted meanwhile', async () => {
    let created = ''
    const scope = nock(API)
      .get(repoPath('/issues/comments/99'))
      .reply(404, { message: 'Not Found' })
      .post(repoPath('/issues/7/comments'), (body: CommentBody) => ((created = body.body), true))
      .reply(201, { id: 100 })
    const result = await publishComment(client(), pullRequest, { id: 99, body: 'x' }, 'review text')
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toEqual({ result: 'created', commentId: 100 })
    expect(readStateBlock(created, pullRequest)).toEqual({ version: 1, waivers: [], approvals: [] })
  })

  it('reads the state at publish time, so a waiver recorded during the review is kept', async () => {
    const waiver = { ruleId: 'a/b', reason: 'r', by: 'x', at: 't' }
    const current = `<!-- integration-review:comment -->\nold\n\n${formatStateBlock({ version: 1, waivers: [waiver], approvals: [] }, pullRequest)}\n`
    let edited = ''
    const scope = nock(API)
      .get(repoPath('/issues/comments/99'))
      .reply(200, { id: 99, body: current })
      .patch(repoPath('/issues/comments/99'), (body: CommentBody) => ((edited = body.body), true))
      .reply(200, {})
    await publishComment(client(), pullRequest, { id: 99, body: 'stale copy without state' }, 'new')
    expect(scope.pendingMocks()).toEqual([])
    expect(readStateBlock(edited, pullRequest)?.waivers).toEqual([waiver])
  })
})

function review(overrides: Partial<Review>): Review {
  return {
    integrations: [],
    findings: [],
    changedPaths: [],
    skipped: [],
    ruleFailures: [],
    configErrors: [],
    suppressionErrors: [],
    ...overrides
  }
}

function integration(
  readiness: 'blocked' | 'ready-for-private-beta' | 'ready-for-public',
  existsOnBase = true,
  kind: 'cloud-destination' | 'browser-destination' = 'cloud-destination'
) {
  return {
    path: `p/${readiness}`,
    kind,
    slug: 's',
    name: 'n',
    status: 'public' as const,
    existsOnBase,
    readiness,
    blocking: { 'private-beta': [], public: [] },
    unresolved: [],
    errors: []
  }
}

describe('labels', () => {
  it('puts the least ready integration on the pull request and removes the other readiness labels', () => {
    const plan = computeLabels(
      review({ integrations: [integration('ready-for-public'), integration('ready-for-private-beta')] }),
      defaultReviewConfig(),
      false
    )
    expect(plan.readiness?.name).toBe('review: ready for private beta')
    expect(labelChanges(plan, ['review: blocked', 'bug'])).toEqual({ add: [plan.readiness], remove: ['review: blocked'] })
  })

  it('computes path, registration, push and author labels; configured names are used', () => {
    const { config } = parseReviewConfig(
      'labels:\n  blocked: "needs work"\npathLabels:\n  - label: "area:lib"\n    paths: ["packages/destination-actions/src/lib/**"]\n'
    )
    const plan = computeLabels(
      review({
        integrations: [integration('blocked', false, 'browser-destination')],
        changedPaths: [
          'packages/browser-destinations/destinations/x/src/generated-types.ts',
          'packages/destination-actions/src/lib/hashing.ts'
        ]
      }),
      config,
      true
    )
    expect(plan.readiness?.name).toBe('needs work')
    expect(plan.others.map((label) => label.name)).toEqual(['area:lib', 'deploy:push', 'deploy:registration', 'team:external'])
    expect(plan.others.every((label) => /^[0-9a-f]{6}$/.test(label.color) && label.description.length > 0)).toBe(true)
  })

  it('has no readiness label when no integration is touched', () => {
    const plan = computeLabels(review({ changedPaths: ['packages/core/src/index.ts'] }), defaultReviewConfig(), false)
    expect(plan.readiness).toBeUndefined()
    expect(plan.others.map((label) => label.name)).toEqual(['actions:core'])
    expect(labelChanges(plan, ['review: ready for public']).remove).toEqual(['review: ready for public'])
  })

  it('syncLabels creates missing labels (422 already_exists is fine), adds them, removes stale readiness labels', async () => {
    const plan = computeLabels(
      review({ integrations: [integration('blocked')], changedPaths: ['packages/destination-actions/src/destinations/x/index.ts'] }),
      defaultReviewConfig(),
      false
    )
    const scope = nock(API)
      .post(repoPath('/labels'), { name: 'review: blocked', color: 'b60205', description: /something blocks/ })
      .reply(422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] })
      .post(repoPath('/labels'), { name: 'mode:cloud', color: '1d76db', description: /cloud-mode/ })
      .reply(201, {})
      .post(repoPath('/issues/7/labels'), { labels: ['review: blocked', 'mode:cloud'] })
      .reply(200, [])
      .delete(repoPath('/issues/7/labels/review%3A%20ready%20for%20public'))
      .reply(404, { message: 'Label does not exist' })
    const result = await syncLabels(client(), pullRequest, plan, ['review: ready for public'])
    expect(scope.pendingMocks()).toEqual([])
    expect(result).toEqual({ added: ['review: blocked', 'mode:cloud'], removed: ['review: ready for public'] })
    // In step already: nothing to do, no request.
    expect(await syncLabels(client(), pullRequest, plan, ['mode:cloud', 'review: blocked'])).toEqual({ added: [], removed: [] })
  })
})
