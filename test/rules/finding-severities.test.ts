// Severity is a claim (error = shown from the code, warning = likely, info = worth knowing): the
// rule fixtures check where findings are, this checks the per-finding severity some rules give.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { analyseChange } from '../../src/review/analyse-change.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules')

/** `path:line` → the severity override of each finding of the rule (`rule` when it keeps the rule's own). */
function severities(fixture: string, ruleId: string): Record<string, string> {
  const rules = ALL_RULES.filter((rule) => rule.id === ruleId)
  const analysis = analyseChange({
    head: fixtureRevision(join(FIXTURES, fixture, 'head')),
    rules,
    pullRequest: { body: undefined, authorIsPartner: true }
  })
  expect(analysis.ruleFailures).toEqual([])
  const result: Record<string, string> = {}
  for (const finding of analysis.findings)
    result[`${finding.path.split('/').slice(-2).join('/')}:${finding.line}`] = finding.severity ?? 'rule'
  return result
}

describe('per-finding severities', () => {
  it('spec/mapping-directive: a misspelt or malformed directive is an error, an unknown name a warning, a path without $. a note', () => {
    expect(severities('spec/mapping-directives', 'spec/mapping-directive')).toEqual({
      'relay-mail/common-fields.ts:11': 'info',
      'relay-mail/index.ts:31': 'rule',
      'sendEmail/index.ts:51': 'info',
      'sendEmail/index.ts:72': 'rule',
      'upsertSubscriber/index.ts:16': 'rule',
      'upsertSubscriber/index.ts:35': 'rule',
      'upsertSubscriber/index.ts:41': 'rule',
      'upsertSubscriber/index.ts:47': 'warning',
      'upsertSubscriber/index.ts:55': 'rule'
    })
  })

  it('spec/fql-pitfall: a bare word matches at runtime (parseFql takes it as text), so it does not block', () => {
    expect(severities('spec/fql-pitfalls-browser', 'spec/fql-pitfall')).toEqual({
      'identify/index.ts:10': 'rule',
      'trackEvent/index.ts:10': 'rule',
      'src/index.ts:32': 'rule',
      'src/index.ts:39': 'warning'
    })
  })

  it('spec/event-name: a slip (typo, case) is an error, a synonym or v1 name a warning', () => {
    expect(severities('spec/event-name-near-misses', 'spec/event-name')).toEqual({
      'shopline/index.ts:34': 'warning',
      'shopline/index.ts:41': 'rule',
      'shopline/index.ts:48': 'warning',
      'shopline/index.ts:63': 'rule',
      'subscribeUser/index.ts:8': 'rule',
      'trackPurchase/index.ts:8': 'rule'
    })
  })

  it('structure/preset-action-exists: unknown when the companion plugin cannot be seen, an error when it can', () => {
    expect(severities('structure/preset-problems', 'structure/preset-action-exists')).toEqual({ 'orbit-ads/presets.ts:33': 'warning' })
    expect(severities('structure/companion-plugin-presets', 'structure/preset-action-exists')).toEqual({
      'harbor-analytics/index.ts:33': 'rule',
      'harbor-analytics/index.ts:40': 'rule'
    })
  })

  it('structure/preset-required-fields-mapped: a specificEvent preset is completed by the customer', () => {
    expect(severities('structure/preset-problems', 'structure/preset-required-fields-mapped')).toEqual({
      'orbit-ads/presets.ts:20': 'rule',
      'orbit-ads/presets.ts:65': 'info'
    })
  })

  it('structure/test-authentication: a note when customers type no credential', () => {
    expect(severities('structure/authentication-without-credentials', 'structure/test-authentication')).toEqual({
      'lakehouse-sync/index.ts:10': 'info',
      'canopy-ads/index.ts:9': 'rule',
      'signal-hooks/index.ts:10': 'info'
    })
  })
})
