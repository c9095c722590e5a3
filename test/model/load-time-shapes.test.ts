// Load-time shapes real destinations use, in a rewritten fixture (loom-crm): objects filled by
// top-level loops and forEach right after their declaration, static class helpers, try/catch
// around a throwing lookup, Sets, lodash uniq, localeCompare in a sort; and the traps: a helper
// that fills a module-level list while loading, a function defined but never called, an endless
// and a 10⁷-step top-level loop, recursion past the depth limit.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringContaining } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { toModelJson } from '../../src/model/model-json.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo-load-time')

type Field = Record<string, unknown>
interface Metadata {
  authentication: { fields: Record<string, Field> }
  actions: Record<string, { fields: Record<string, Field> }>
}

describe('code that runs while a destination loads', () => {
  const source = fixtureRevision(REPO)
  const [location] = discoverIntegrations(source)
  const model = toModelJson(extractIntegration(source, location))
  const metadata = model.metadata as unknown as Metadata
  const contact = metadata.actions.syncContact.fields
  const event = metadata.actions.trackEvent.fields

  it('computes an object filled by a top-level for…of loop right after its declaration', () => {
    expect(Object.keys(contact)).toEqual(['user_id', 'email', 'phone', 'first_name', 'last_name'])
    expect(contact.first_name).toMatchObject({
      label: 'First Name',
      description: "The contact's first name.",
      default: { '@path': '$.traits.first_name' }
    })
  })

  it('computes a table filled by a top-level forEach, keeping the first entry of each key', () => {
    expect(event.event.choices).toEqual([
      { label: 'Signed Up', value: 'signed_up' },
      { label: 'Logged In', value: 'logged_in' }
    ])
  })

  it('ignores a function that writes a module object but is never called while loading', () => {
    expect(contact.email.required).toBe(false)
  })

  it('calls static helpers of a class, and follows their recursion up to the depth limit', () => {
    expect(event.revenue).toMatchObject({ label: 'Revenue', type: 'number', default: { '@path': '$.properties.revenue' } })
    expect(event.currency).toMatchObject({ label: 'Currency', type: 'string', default: { '@path': '$.properties.currency' } })
    expect(event.nesting.default).toBe(4)
    expect(event.too_deep.default).toEqual({ $unresolved: stringContaining('more than 12 deep') })
  })

  it('runs try/catch around a lookup that throws, Sets, lodash uniq and a localeCompare sort', () => {
    expect(metadata.authentication.fields.region.choices).toEqual([
      { label: 'EU (eu.api.loom.example)', value: 'eu' },
      { label: 'US (api.loom.example)', value: 'us' }
    ])
    expect(metadata.authentication.fields.region.default).toBe('api.loom.example')
  })

  it('makes a list unknown when a helper called at load time fills it', () => {
    expect(metadata.authentication.fields.audit.choices).toEqual({ $unresolved: stringContaining('audit.ts:4') })
  })

  it('gives up on an endless and a 10⁷-step top-level loop: the objects they fill are unknown', () => {
    expect(event.spun.default).toEqual({ $unresolved: stringContaining('traits.ts:35') })
    expect(event.counted.minimum).toEqual({ $unresolved: stringContaining('traits.ts:39') })
  })

  it('reports nothing else as unknown', () => {
    expect(model.unresolved.map((entry) => entry.pointer).sort()).toEqual([
      '/actions/trackEvent/fields/counted/minimum',
      '/actions/trackEvent/fields/spun/default',
      '/actions/trackEvent/fields/too_deep/default',
      '/authentication/fields/audit/choices'
    ])
    expect(model.errors).toEqual([])
  })
})
