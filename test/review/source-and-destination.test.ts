// One pull request that changes a cloud source and a destination together: each is reviewed by
// the rules of its kind, each gets its own readiness, and the labels name both.
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { computeLabels } from '../../src/pull-request/compute-labels.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { ReviewSchema } from '../../src/review/review-schema.js'
import { runReview } from '../../src/review/run-review.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { ACME_FILES, ROOT } from './review-test-repo.js'

const SOURCE = 'sources/acme-tickets'
const SOURCE_CODE = `// Acme's help desk source function.
async function onRequest(request, settings) {
  const body = await request.json()
  Segment.track({ event: 'Order completed', userId: body.requester_id, properties: { revenue: '10' } })
  Segment.identify({ traits: { email: body.email } })
}
`

describe('a pull request changing a source and a destination', () => {
  const base = new MemoryFileSource(ACME_FILES, 'base')
  const headFiles = {
    ...ACME_FILES,
    [`${SOURCE}/index.js`]: SOURCE_CODE,
    [`${ROOT}/constants.ts`]: ACME_FILES[`${ROOT}/constants.ts`].replace('v2', 'v3')
  }
  const head = new MemoryFileSource(headFiles, 'head')
  const review = runReview({
    config: defaultReviewConfig(),
    pullRequest: { body: undefined, authorIsPartner: true },
    rules: ALL_RULES,
    head,
    base
  })

  it('reviews both, each by the rules of its kind', () => {
    ReviewSchema.parse(review)
    expect(review.integrations.map((integration) => [integration.path, integration.kind])).toEqual([
      [ROOT, 'cloud-destination'],
      [SOURCE, 'cloud-source']
    ])
    const sourceFindings = review.findings.filter((finding) => finding.integration === SOURCE)
    // Pull-request-wide rules still run: two integrations in one pull request is worth a warning.
    const integrationFindings = sourceFindings.filter((finding) => finding.ruleId !== 'structure/one-integration-per-pr')
    expect(sourceFindings.length - integrationFindings.length).toBe(1)
    expect(integrationFindings.every((finding) => finding.ruleId.startsWith('sources/') || finding.ruleId.startsWith('security/'))).toBe(
      true
    )
    expect(review.findings.some((finding) => finding.integration === ROOT && finding.ruleId === 'security/no-process-env')).toBe(true)
    expect(review.findings.filter((finding) => finding.integration === ROOT && finding.ruleId.startsWith('sources/'))).toEqual([])
    const at = (ruleId: string) =>
      sourceFindings.filter((finding) => finding.ruleId === ruleId).map((finding) => [finding.line, finding.severity])
    expect(at('sources/event-name')).toEqual([[4, 'error']])
    expect(at('sources/identity')).toEqual([[5, 'error']])
    expect(at('sources/property-names')).toEqual([[4, 'error']])
    expect(at('sources/webhook-authenticated')).toEqual([[2, 'warning']])
    const source = review.integrations.find((integration) => integration.path === SOURCE)
    expect(source?.readiness).toBe('blocked')
    expect(source?.status).toBe('new')
  })

  it('labels the pull request for both kinds', () => {
    const labels = computeLabels(review, defaultReviewConfig(), true).others.map((label) => label.name)
    expect(labels).toEqual(expect.arrayContaining(['mode:cloud', 'mode:source']))
  })
})
