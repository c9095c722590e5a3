// Reviews built by hand (schema-checked) so each renderer test controls exactly what it renders.
import { ReviewSchema, type Finding, type Review } from '../../src/review/review-schema.js'

export const ROOT = 'packages/destination-actions/src/destinations/acme-mail'

let counter = 0
export function finding(overrides: Partial<Finding> = {}): Finding {
  counter++
  return {
    ruleId: 'security/no-process-env',
    severity: 'error',
    message: 'process.env is read in sendEmail/index.ts; use a setting the customer fills in instead.',
    integration: ROOT,
    path: `${ROOT}/sendEmail/index.ts`,
    line: 14,
    column: 20,
    fingerprint: `fp${String(counter).padStart(4, '0')}`,
    status: 'new',
    blocks: ['private-beta', 'public'],
    ...overrides
  }
}

export function sampleReview(findings: Finding[], overrides: Partial<Review> = {}): Review {
  const own = findings.filter((entry) => entry.integration === ROOT || entry.integration === null)
  const beta = own.filter((entry) => entry.blocks.includes('private-beta')).map((entry) => entry.fingerprint)
  const pub = own.filter((entry) => entry.blocks.includes('public')).map((entry) => entry.fingerprint)
  return ReviewSchema.parse({
    integrations: [
      {
        path: ROOT,
        kind: 'cloud-destination',
        slug: 'actions-acme-mail',
        name: 'Acme Mail',
        status: 'new',
        existsOnBase: false,
        readiness: beta.length > 0 ? 'blocked' : pub.length > 0 ? 'ready-for-private-beta' : 'ready-for-public',
        blocking: { 'private-beta': beta, public: pub },
        unresolved: [],
        errors: []
      }
    ],
    findings,
    changedPaths: [`${ROOT}/index.ts`, `${ROOT}/sendEmail/index.ts`],
    skipped: [],
    ruleFailures: [],
    configErrors: [],
    suppressionErrors: [],
    ...overrides
  })
}

/** One finding of every disposition the reports distinguish. */
export function mixedReview(): Review {
  return sampleReview([
    finding(),
    finding({
      ruleId: 'structure/field-description',
      message: 'Field `subject` of action `sendEmail` has no description.',
      line: 11,
      column: 5,
      blocks: ['public']
    }),
    finding({
      ruleId: 'security/unencoded-path-segment',
      severity: 'warning',
      message: 'payload.listId goes into the URL path unencoded.',
      line: 15,
      blocks: []
    }),
    finding({
      ruleId: 'structure/unresolved-definition',
      severity: 'info',
      message: 'Static analysis could not resolve 1 part.',
      path: `${ROOT}/index.ts`,
      line: 1,
      column: 1,
      blocks: []
    }),
    finding({
      ruleId: 'security/log-sensitive-data',
      message: 'console.log prints settings.apiKey.',
      line: 20,
      status: 'existing',
      blocks: []
    }),
    finding({
      ruleId: 'security/insecure-http-url',
      message: 'http://legacy.acme.example is not encrypted.',
      line: 22,
      blocks: [],
      waived: { by: 'reviewer-1', reason: 'sandbox only', at: '2026-11-27T10:00:00Z' }
    })
  ])
}
