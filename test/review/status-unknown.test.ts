// A status the bot does not know (issue 18, point 4): an existing integration with no configured
// status is judged against Public and marked unknown; the title and labels are hints only.
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { runReview, statusHints } from '../../src/review/run-review.js'
import { ACME_FILES, ROOT, TEST_RULES, acmeRepo } from './review-test-repo.js'

const SEND = `${ROOT}/sendEmail/index.ts`
const edited = acmeRepo({
  [SEND]: ACME_FILES[SEND].replace("description: 'Email subject.'", "description: 'The subject line of the email.'")
})

describe('status of an existing integration', () => {
  it('is unknown without configuration: judged against Public, with Private Beta in the title and labels as hints', () => {
    const review = runReview({
      head: edited,
      base: acmeRepo(),
      config: defaultReviewConfig(),
      rules: TEST_RULES,
      pullRequest: { body: undefined, title: 'Private Beta bug fixes', labels: ['private-beta', 'mode:cloud'], authorIsPartner: true }
    })
    expect(review.integrations[0]).toMatchObject({
      status: 'public',
      statusUnknown: true,
      statusHints: ['the title mentions Private Beta', 'the label `private-beta` mentions Private Beta']
    })
  })

  it('is what the configuration says, without hints, when configured', () => {
    const config = parseReviewConfig('integrations:\n  acme-mail:\n    status: private-beta\n').config
    const review = runReview({
      head: edited,
      base: acmeRepo(),
      config,
      rules: TEST_RULES,
      pullRequest: { body: undefined, title: 'Private Beta bug fixes', authorIsPartner: true }
    })
    expect(review.integrations[0].status).toBe('private-beta')
    expect(review.integrations[0].statusUnknown).toBeUndefined()
    expect(review.integrations[0].statusHints).toBeUndefined()
  })

  it('is new, and known, for an integration the base does not have', () => {
    const review = runReview({
      head: acmeRepo(),
      config: defaultReviewConfig(),
      rules: TEST_RULES,
      pullRequest: { body: undefined, authorIsPartner: true }
    })
    expect(review.integrations[0]).toMatchObject({ status: 'new' })
    expect(review.integrations[0].statusUnknown).toBeUndefined()
  })

  it('reads hints only from words that say Private Beta, and never echoes a backtick', () => {
    expect(statusHints({ body: undefined, title: 'Fix public launch', labels: ['beta'], authorIsPartner: true })).toEqual([])
    expect(statusHints({ body: undefined, labels: ['Private_Beta `x`'], authorIsPartner: true })).toEqual([
      "the label `Private_Beta 'x'` mentions Private Beta"
    ])
  })
})
