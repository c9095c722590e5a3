// What the Action hands to the workflow: readiness per integration, blocking counts per stage,
// the job's verdict (fail closed with a stage), and a SARIF file in the workspace.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blockingFindings, readinessOf, reviewIsBlocked, writeSarifFile } from '../../action/action-report.js'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import type { Publication } from '../../src/pull-request/review-pipeline.js'
import { renderCheckRun } from '../../src/report/check-run-report.js'
import type { Review } from '../../src/review/review-schema.js'
import { ROOT, finding, mixedReview, sampleReview } from '../report/sample-review.js'
import { SarifLogShape } from '../support/report-output-schemas.js'

function publicationOf(review: Review): Publication {
  return {
    review,
    checkRun: renderCheckRun(review, defaultReviewConfig()),
    markdown: '',
    commentBody: '',
    labels: { add: [], remove: [] }
  } as unknown as Publication
}

describe('the Action report', () => {
  it('gives readiness and blocking counts per integration, keyed by folder', () => {
    expect(readinessOf(mixedReview())).toEqual({
      [ROOT]: {
        slug: 'actions-acme-mail',
        name: 'Acme Mail',
        kind: 'cloud-destination',
        status: 'new',
        readiness: 'blocked',
        blocking: { 'private-beta': 1, public: 2 }
      }
    })
  })

  it('counts the findings that hold back a stage; Public is held back by what holds back Private Beta', () => {
    const review = sampleReview([
      finding({ blocks: ['private-beta'] }),
      finding({ ruleId: 'structure/field-description', blocks: ['public'] }),
      finding({ blocks: [] })
    ])
    expect(blockingFindings(review, 'private-beta')).toBe(1)
    expect(blockingFindings(review, 'public')).toBe(2)
    expect(blockingFindings(review, undefined)).toBe(2)
  })

  it('decides by the stage gate when given one, and an incomplete review never passes it', () => {
    const onlyPublic = sampleReview([finding({ ruleId: 'structure/field-description', blocks: ['public'] })])
    // A new integration heads for Private Beta: the check run passes, the Public gate does not.
    expect(reviewIsBlocked(publicationOf(onlyPublic), undefined)).toBe(false)
    expect(reviewIsBlocked(publicationOf(onlyPublic), 'private-beta')).toBe(false)
    expect(reviewIsBlocked(publicationOf(onlyPublic), 'public')).toBe(true)
    const incomplete = sampleReview([], { skipped: ['only the first 2 changed files were reviewed (the limit is limits.maxFiles)'] })
    expect(reviewIsBlocked(publicationOf(incomplete), 'private-beta')).toBe(true)
  })

  it('writes SARIF 2.1.0 into the workspace and names it relative to it', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ir-sarif-'))
    const name = writeSarifFile(mixedReview(), workspace)
    expect(name).toBe('integration-review.sarif')
    const sarif = SarifLogShape.parse(JSON.parse(readFileSync(join(workspace, name), 'utf8')))
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.length).toBe(mixedReview().findings.length)
  })
})
