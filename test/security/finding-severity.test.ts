// Severity is a claim (error = shown from the code, warning = likely, needs a human): the rule
// fixtures check where findings are; this checks how sure each one says it is.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { analyseChange } from '../../src/review/analyse-change.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules', 'security')

function severities(fixture: string): Map<string, string | undefined> {
  const head = fixtureRevision(join(FIXTURES, fixture, 'head'))
  const rules = ALL_RULES.filter((rule) => rule.id.startsWith('security/'))
  const analysis = analyseChange({ head, rules, pullRequest: { body: '', authorIsPartner: true } })
  expect(analysis.ruleFailures).toEqual([])
  const destinationsDir = 'packages/destination-actions/src/destinations/'
  return new Map(
    analysis.findings.map((finding) => [
      `${finding.ruleId} ${finding.path.replace(destinationsDir, '').replace('packages/browser-destinations/destinations/', 'browser:')}:${finding.line}`,
      finding.severity
    ])
  )
}

describe('security finding severity', () => {
  it('taint: a host shown to come from event data is an error', () => {
    const found = severities('taint-precision')
    expect(found.get('security/ssrf-host-from-input pulse-metrics/forwardHook/index.ts:15')).toBe('error')
    expect(found.get('security/secret-to-foreign-host pulse-metrics/forwardHook/index.ts:15')).toBe('error')
    expect(found.get('security/ssrf-host-from-input pulse-metrics/updateProfile/index.ts:25')).toBe('error')
  })

  it('taint: a value only named like event data is a warning', () => {
    const found = severities('taint-guessed')
    expect(found.get('security/ssrf-host-from-input beacon-relay/client.ts:5')).toBe('warning')
    expect(found.get('security/secret-to-foreign-host beacon-relay/client.ts:5')).toBe('warning')
    expect(found.get('security/ssrf-host-from-input beacon-relay/send/index.ts:14')).toBe('error')
  })

  it('logs: guessed execution data and single personal fields are warnings; credentials are errors', () => {
    const found = severities('execution-data-precision')
    expect(found.get('security/log-sensitive-data harbor-crm/functions.ts:41')).toBe('warning')
    expect(found.get('security/log-sensitive-data harbor-crm/upsertContact/index.ts:16')).toBe('warning')
    expect(severities('taint-flows').get('security/log-sensitive-data relay-hub/forward/index.ts:25')).toBe('error')
  })

  it('settings: a secret named in a browser destination is a warning (its settings are public anyway)', () => {
    const found = severities('secret-setting-not-password')
    expect(found.get('security/secret-setting-not-password browser:loyalty-lion-web/src/index.ts:20')).toBe('warning')
    // Cloud settings keep the rule's own severity (error).
    expect(found.has('security/secret-setting-not-password loyalty-lion/settings.ts:18')).toBe(true)
    expect(found.get('security/secret-setting-not-password loyalty-lion/settings.ts:18')).toBeUndefined()
  })

  it('a credential sent to a hard-coded foreign host: error when the same credential goes to the own API, else warning', () => {
    const found = severities('secret-foreign-host')
    expect(found.get('security/secret-to-foreign-host quill-mail/usage.ts:6')).toBe('error')
    expect(found.get('security/secret-to-foreign-host quill-mail/usage.ts:11')).toBe('warning')
  })
})
