// Every rule over the model fixtures (twelve destinations, hostile ones included) through the
// whole review: no rule may crash, and the review must satisfy its own schema and renderers.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { renderCheckRun } from '../../src/report/check-run-report.js'
import { renderJson } from '../../src/report/json-report.js'
import { renderMarkdown } from '../../src/report/markdown-report.js'
import { ReviewSchema } from '../../src/review/review-schema.js'
import { runReview } from '../../src/review/run-review.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo')

describe('the review over the model fixtures', () => {
  it('runs every rule without a crash and renders', () => {
    const head = fixtureRevision(REPO, 'model fixtures')
    const review = runReview({ head, config: defaultReviewConfig(), pullRequest: { body: undefined, authorIsPartner: true } })
    expect(review.ruleFailures).toEqual([])
    expect(review.integrations.length).toBeGreaterThanOrEqual(12)
    ReviewSchema.parse(JSON.parse(renderJson(review)))
    // The fixture with a syntax error is reported where it is, and blocks.
    const broken = review.findings.filter((finding) => finding.ruleId === 'structure/parse-error')
    expect(broken.map((finding) => finding.path)).toEqual([
      'packages/destination-actions/src/destinations/broken-sync/brokenAction/index.ts'
    ])
    expect(review.integrations.find((integration) => integration.path.endsWith('/broken-sync'))?.readiness).toBe('blocked')
    expect(renderMarkdown(review).length).toBeLessThanOrEqual(65536)
    expect(renderCheckRun(review, defaultReviewConfig()).conclusion).toBe('failure')
  })

  it('finds nothing new when nothing changed', () => {
    const head = fixtureRevision(REPO, 'head')
    const base = fixtureRevision(REPO, 'base')
    const integrationPaths = discoverIntegrations(head).map((location) => location.path)
    const review = runReview({
      head,
      base,
      integrationPaths,
      config: defaultReviewConfig(),
      pullRequest: { body: undefined, authorIsPartner: true }
    })
    expect(review.changedPaths).toEqual([])
    expect(review.integrations).toHaveLength(integrationPaths.length)
    expect(review.findings.length).toBeGreaterThan(0)
    // Rules about the pull request as a whole see twelve integrations asked for; the rest is all old.
    const aboutTheChange = new Set(ALL_RULES.filter((rule) => rule.scope === 'pull-request').map((rule) => rule.id))
    const fresh = review.findings.filter((finding) => finding.status === 'new' && !aboutTheChange.has(finding.ruleId))
    expect(fresh.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`)).toEqual([])
  })

  it('counts what a change is responsible for as new, even where the base had the same gap', () => {
    const head = fixtureRevision(REPO, 'head')
    const base = fixtureRevision(REPO, 'base')
    // Touching an action's file makes "changed action without a test" the change's finding.
    const action = 'packages/destination-actions/src/destinations/acme-crm/upsertContact/index.ts'
    const review = runReview({
      head,
      base,
      changedPaths: [action],
      config: defaultReviewConfig(),
      pullRequest: { body: undefined, authorIsPartner: true }
    })
    const fresh = review.findings.filter((finding) => finding.status === 'new')
    expect(fresh.map((finding) => [finding.ruleId, finding.path])).toEqual([['tests/action-tests-present', action]])
    expect(review.integrations.map((integration) => [integration.slug, integration.existsOnBase, integration.readiness])).toEqual([
      ['actions-acme-crm', true, 'blocked']
    ])
  })
})
