// Severities and messages of the compat rules, which the generic fixture test does not check:
// status-dependent severity, error-vs-warning by what changed, rename hints, and per-integration attribution.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMPAT_RULES } from '../../src/rules/compat/index.js'
import { containsUnresolved } from '../../src/rules/compat/metadata-diff.js'
import { analyseChange, type RuleFinding } from '../../src/review/analyse-change.js'
import type { IntegrationStatus } from '../../src/rules/rule.js'
import { fixtureRevision } from '../support/fixture-revision.js'
import { everyIntegrationAs } from '../support/configured-statuses.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules', 'compat')

function findingsOf(name: string, status?: IntegrationStatus): RuleFinding[] {
  const dir = join(FIXTURES, name)
  const optionsPath = join(dir, 'fixture.json')
  const configured = existsSync(optionsPath)
    ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as { status?: IntegrationStatus }).status
    : undefined
  const chosen = status ?? configured
  const head = fixtureRevision(join(dir, 'head'))
  const base = existsSync(join(dir, 'base')) ? fixtureRevision(join(dir, 'base')) : undefined
  const analysis = analyseChange({
    head,
    base,
    rules: COMPAT_RULES,
    pullRequest: { body: undefined, authorIsPartner: true },
    configuredStatuses: everyIntegrationAs(chosen, head, base)
  })
  expect(analysis.ruleFailures).toEqual([])
  return analysis.findings
}

function byKey(findings: RuleFinding[], key: string): RuleFinding {
  const found = findings.find((finding) => finding.key === key)
  if (!found) throw new Error(`no finding keyed ${key}; got ${findings.map((finding) => finding.key).join(', ')}`)
  return found
}

describe('compat severities', () => {
  it('a new required field is an error, a new conditionally required one a warning', () => {
    const findings = findingsOf('new-required-field')
    expect(byKey(findings, '/actions/upsertContact/fields/company_id').severity).toBe('error')
    expect(byKey(findings, '/actions/trackEvent/fields/revenue_type').severity).toBe('warning')
    // The new deleteContact action has a required field, and nobody has mapped it yet.
    expect(findings.some((finding) => finding.key?.startsWith('/actions/deleteContact'))).toBe(false)
  })

  it('conditional → required is an error; optional → conditional is a warning', () => {
    expect(byKey(findingsOf('conditional-to-required'), '/actions/trackEvent/fields/currency').severity).toBe('error')
    expect(byKey(findingsOf('optional-to-conditional'), '/actions/upsertContact/fields/phone').severity).toBe('warning')
  })

  it('an integration on base without configured status counts as public (errors stay errors)', () => {
    // conditional-to-required has no fixture.json: analyseChange defaults an existing integration to public.
    expect(findingsOf('conditional-to-required').map((finding) => finding.severity)).toEqual(['error'])
  })

  it('removing a required field is an error, an optional one a warning', () => {
    const findings = findingsOf('field-removed')
    expect(byKey(findings, '/actions/trackEvent/fields/userId').severity).toBe('error')
    expect(byKey(findings, '/actions/upsertContact/fields/phone').severity).toBe('warning')
    expect(byKey(findings, '/actions/upsertContact/fields/first_name').severity).toBe('warning')
  })

  it('on a new integration every compat finding is a note', () => {
    const findings = findingsOf('status-new')
    expect(findings.map((finding) => finding.ruleId).sort()).toEqual(['compat/action-removed', 'compat/field-became-required'])
    expect(findings.every((finding) => finding.severity === 'info')).toBe(true)
    // The same change on a private-beta or public integration is an error.
    for (const status of ['private-beta', 'public'] as const) {
      expect(findingsOf('status-new', status).map((finding) => finding.severity)).toEqual(['error', 'error'])
    }
  })

  it('password → string is an error, string → password a note', () => {
    const findings = findingsOf('setting-weakened')
    expect(byKey(findings, '/authentication/fields/apiKey/type').severity).toBe('error')
    expect(byKey(findings, '/authentication/fields/webhookSecret/type').severity).toBe('info')
  })

  it('warning and info rules keep their severity', () => {
    expect(findingsOf('choices-narrowed').map((finding) => finding.severity)).toEqual(['warning', 'warning'])
    expect(findingsOf('batch-keys-changed').map((finding) => finding.severity)).toEqual(['warning'])
    expect(new Set(findingsOf('default-changed').map((finding) => finding.severity))).toEqual(new Set(['info']))
  })
})

describe('compat messages', () => {
  it('a renamed action is reported as removed or renamed, naming the new key and suggesting hidden: true', () => {
    const removed = byKey(findingsOf('action-renamed'), '/actions/trackEvent')
    expect(removed.ruleId).toBe('compat/action-removed')
    expect(removed.message).toContain('removed or renamed')
    expect(removed.message).toContain('`trackActivity`')
    expect(removed.message).toContain('hidden: true')
  })

  it('a deleted action names no replacement', () => {
    const removed = byKey(findingsOf('action-removed'), '/actions/syncAudience')
    expect(removed.message).toContain('hidden: true')
    expect(removed.message).not.toContain('looks renamed')
  })

  it('names the rename target only when the pairing is unambiguous', () => {
    const findings = findingsOf('field-removed')
    expect(byKey(findings, '/actions/upsertContact/fields/first_name').message).toContain('looks renamed to `firstName`')
    // phone was removed in the same change and is also a string: it must not be paired with firstName.
    expect(byKey(findings, '/actions/upsertContact/fields/phone').message).not.toContain('firstName')
  })

  it('a renamed setting is one finding with one fix, at the new key, and no new-required-setting finding', () => {
    const findings = findingsOf('setting-removed')
    const renamed = byKey(findings, '/authentication/fields/apiKey')
    expect(renamed.ruleId).toBe('compat/setting-removed')
    expect(renamed.message).toContain('looks renamed to `apiToken`')
    expect(renamed.message).toContain('make `apiToken` optional, and read `settings.apiToken ?? settings.apiKey`')
    expect(findings.filter((finding) => finding.message.includes('apiToken'))).toEqual([renamed])
    expect(findings.some((finding) => finding.ruleId === 'compat/new-required-field')).toBe(false)
  })

  it('a renamed browser-destination setting (app_id → appId) is one finding at the new key, not at the definition', () => {
    const findings = findingsOf('browser-setting-renamed')
    const renamed = findings.filter((finding) => finding.message.includes('appId'))
    expect(renamed).toHaveLength(1)
    expect(renamed[0]).toMatchObject({ ruleId: 'compat/setting-removed', line: 18 })
    expect(renamed[0].message).toContain('`settings.appId ?? settings.app_id`')
    // A removed setting points at the surviving `settings: {` map, where it should be kept.
    expect(byKey(findings, '/authentication/fields/debugLogs')).toMatchObject({ ruleId: 'compat/setting-removed', line: 17 })
  })

  it('tells the partner to make the field optional and default it in perform', () => {
    const message = byKey(findingsOf('new-required-field'), '/actions/upsertContact/fields/company_id').message
    expect(message).toContain('`required: false`')
    expect(message).toContain('`perform`')
    expect(message).toContain('a `default` does not help')
  })
})

describe('compat across integrations', () => {
  it('compares each integration with its own base only', () => {
    const findings = findingsOf('two-integrations')
    const summary = findings.map((finding) => `${finding.integration} ${finding.ruleId} ${finding.key}`).sort()
    expect(summary).toEqual([
      'packages/destination-actions/src/destinations/acme-crm compat/field-became-required /actions/upsertContact/fields/phone',
      'packages/destination-actions/src/destinations/globex-ads compat/new-required-field /actions/reportConversion/fields/currency'
    ])
  })

  it('reports nothing for an integration that is new in the change', () => {
    expect(findingsOf('new-integration')).toEqual([])
    expect(findingsOf('new-integration', 'public')).toEqual([])
  })
})

describe('compat no-finding fixtures', () => {
  // A pass fixture proves something only if both revisions resolve fully: an unknown value would
  // silence the rules for the wrong reason.
  for (const name of [
    'field-moved-to-spread-module',
    'new-optional-field',
    'required-to-conditional',
    'action-hidden',
    'two-integrations'
  ]) {
    it(`${name} resolves completely on both sides`, () => {
      const dir = join(FIXTURES, name)
      const analysis = analyseChange({
        head: fixtureRevision(join(dir, 'head')),
        base: fixtureRevision(join(dir, 'base')),
        rules: [],
        pullRequest: { body: undefined, authorIsPartner: true }
      })
      expect(analysis.integrations.length).toBeGreaterThan(0)
      for (const integration of analysis.integrations) {
        expect(integration.base).toBeDefined()
        expect(containsUnresolved(integration.head.metadata)).toBe(false)
        expect(containsUnresolved(integration.base?.metadata ?? null)).toBe(false)
      }
    })
  }
})
