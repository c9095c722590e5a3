import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/demo/main.js'
import { COMMENT_MARKER, readStateBlock } from '../../src/pull-request/comment-state.js'
import { waiversOf } from '../../src/pull-request/review-pipeline.js'
import { EXAMPLE_DIR } from '../github/github-fixture.js'

const WAVELET = 'packages/destination-actions/src/destinations/wavelet/'

describe('the demo (the App pipeline on examples/acme-pr)', () => {
  it('publishes a failing check run with the example defects, one comment and the labels', () => {
    const { publication, text } = runDemo(EXAMPLE_DIR)
    const { checkRun } = publication
    expect(checkRun.conclusion).toBe('failure')
    expect(checkRun.annotations).toContainEqual(
      expect.objectContaining({
        path: `${WAVELET}identifyUser/index.ts`,
        start_line: 9,
        annotation_level: 'failure',
        title: 'security/hardcoded-secret'
      })
    )
    expect(checkRun.annotations).toContainEqual(
      expect.objectContaining({ path: `${WAVELET}index.ts`, title: 'security/secret-setting-not-password' })
    )
    // The secret itself never appears in what is published.
    expect(JSON.stringify(publication)).not.toContain('pX7yQ2mZ8vK4nR6tL1wE9sDc')
    expect(publication.review.integrations.map((integration) => [integration.slug, integration.readiness])).toEqual([
      ['actions-wavelet', 'blocked']
    ])
    expect(publication.commentBody.startsWith(COMMENT_MARKER)).toBe(true)
    expect(readStateBlock(publication.commentBody, { owner: 'example', repo: 'action-destinations', number: 1 })).toEqual({
      version: 1,
      waivers: [],
      approvals: []
    })
    expect(publication.labels.readiness?.name).toBe('review: blocked')
    expect(publication.labels.others.map((label) => label.name)).toEqual(['deploy:push', 'mode:cloud', 'team:external'])
    for (const heading of [
      'Check run "integration-review"',
      'Check run annotations',
      'Check run summary',
      'Sticky pull request comment',
      'Labels'
    ])
      expect(text).toContain(heading)
    expect(text).toContain('+ review: blocked')
  })
})

describe('waiversOf', () => {
  it('takes well-formed waivers from the comment state and ignores the rest', () => {
    const good = {
      ruleId: 'security/hardcoded-secret',
      path: 'a.ts',
      line: 3,
      reason: 'test fixture',
      by: 'reviewer',
      at: '2026-11-27T10:00:00Z'
    }
    expect(waiversOf({ version: 1, waivers: [good, { ruleId: 'x' }, { reason: 'no rule' }], approvals: [] })).toEqual([good])
  })
})
