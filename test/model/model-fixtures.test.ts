// The model of every fixture integration, checked value for value against the expected
// metadata (Segment's public metadata shape), with unresolved parts and errors listed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringContaining } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { toModelJson, type IntegrationModelJson } from '../../src/model/model-json.js'
import { ParseCache } from '../../src/model/source-program.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo')
const expected = JSON.parse(readFileSync(`${REPO}.expected.json`, 'utf8')) as { integrations: IntegrationModelJson[] }

describe('static model of the fixture repository', () => {
  const source = fixtureRevision(REPO)
  const cache = new ParseCache()
  const models = discoverIntegrations(source).map((location) => toModelJson(extractIntegration(source, location, { cache })))

  it('discovers every cloud and browser destination', () => {
    expect(models.map((model) => `${model.kind} ${model.path.split('/').at(-1)}`)).toEqual(
      expected.integrations.map((model) => `${model.kind} ${model.path.split('/').at(-1)}`)
    )
    expect(models.length).toBeGreaterThanOrEqual(12)
  })

  for (const want of expected.integrations) {
    it(`models ${want.path.split('/').at(-1)} exactly`, () => {
      const got = models.find((model) => model.path === want.path)
      expect(got).toEqual(want)
    })
  }

  it('resolves spreads, imports, helpers, enums and defaultValues() without unknowns where the code is static', () => {
    const clean = [
      'acme-crm',
      'pulse-analytics',
      'beacon-audiences',
      'relay-webhooks',
      'ledger-sync',
      'ledger-sync-dev',
      'nimbus-push',
      'plain-events',
      'spark-web'
    ]
    for (const name of clean) {
      const model = models.find((candidate) => candidate.path.endsWith(`/${name}`))
      expect(model?.unresolved, name).toEqual([])
      expect(model?.errors, name).toEqual([])
    }
  })

  it('marks what it cannot resolve instead of guessing, with the reason and the place', () => {
    const quirk = models.find((model) => model.path.endsWith('/quirk-crm'))
    const pointers = quirk?.unresolved.map((entry) => entry.pointer)
    expect(pointers).toContain('/actions/upsertRecord/fields')
    expect(pointers).toContain('/actions/upsertRecord/fields/owner/default')
    const metadata = quirk?.metadata as {
      actions: { upsertRecord: { fields: Record<string, unknown> } }
      authentication: { fields: Record<string, unknown> }
    }
    // buildSettings() loops over its argument: interpreted, not guessed.
    expect(pointers).not.toContain('/authentication/fields')
    expect(Object.keys(metadata.authentication.fields)).toEqual(['api_key', 'subdomain'])
    // The field after the unresolved spread is still known; the spread's keys are not invented.
    expect(Object.keys(metadata.actions.upsertRecord.fields)).toEqual(['owner', '$unresolved'])
    const pick = quirk?.unresolved.find((entry) => entry.pointer === '/actions/upsertRecord/fields')
    expect(pick).toMatchObject({ reason: stringContaining('mapValues'), path: stringContaining('upsertRecord/index.ts') })
  })
})
