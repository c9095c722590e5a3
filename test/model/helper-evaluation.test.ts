// Helpers with control flow, in the shapes real destinations use (default mappings built by a
// function with a default parameter, a reduce into a lookup table, a parameter object pruned in
// a loop, helpers above an action that change their own arguments), and the traps: a helper
// that fills a module-level list while the module loads, endless and very long loops, recursion.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringContaining, stringMatching } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { toModelJson } from '../../src/model/model-json.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo-helpers')

type Field = Record<string, unknown>
interface Metadata {
  authentication: { fields: Record<string, Field> }
  presets: Array<{ mapping: Record<string, unknown> }>
  actions: Record<string, { fields: Record<string, Field> }>
}

describe('helpers evaluated while a destination loads', () => {
  const source = fixtureRevision(REPO)
  const [location] = discoverIntegrations(source)
  const model = toModelJson(extractIntegration(source, location))
  const metadata = model.metadata as unknown as Metadata
  const purchase = metadata.actions.trackPurchase.fields
  const profile = metadata.actions.syncProfile.fields
  const unresolved = (pointer: string) => model.unresolved.find((entry) => entry.pointer === pointer)?.reason

  it('computes default mappings of a helper with a default parameter, a branch and a compound assignment', () => {
    expect(purchase.shipping.default).toEqual({
      city: { '@path': '$.properties.shipping.city' },
      postal_code: { '@path': '$.properties.shipping.postal_code' },
      country: { '@path': '$.properties.shipping.country' }
    })
    expect(purchase.billing.default).toEqual({
      city: { '@path': '$.city' },
      postal_code: { '@path': '$.postal_code' },
      country: { '@path': '$.country' }
    })
  })

  it('computes a lookup table built by reduce into a fresh object, and choices built by a loop with a switch', () => {
    expect(purchase.event_name.default).toBe('Purchase')
    expect(purchase.event_name.choices).toEqual([
      { label: 'Purchase', value: 'purchase' },
      { label: 'Add To Cart', value: 'add_to_cart' }
    ])
    expect(metadata.presets[0].mapping.event_name).toBe('Purchase')
  })

  it('prunes a parameter object built inside the helper, and leaves the module-level objects it copied alone', () => {
    expect(Object.keys(purchase.parameters.properties as object)).toEqual(['currency', 'value'])
    expect(purchase.parameters.default).toEqual({
      currency: { '@path': '$.properties.currency' },
      value: { '@path': '$.properties.revenue' }
    })
    // The second call starts again from the full module-level objects: the first call's deletes did not reach them.
    expect(Object.keys(purchase.all_parameters.properties as object)).toEqual(['currency', 'value', 'coupon', 'items'])
  })

  it('ignores writes made by helpers that only run from perform (to their own arguments and locals)', () => {
    expect(unresolved('/actions/trackPurchase')).toBeUndefined()
    expect(unresolved('/actions/trackPurchase/fields')).toBeUndefined()
    expect(purchase.event_name.description).toBe('One of the standard events.')
  })

  it('makes a module-level list unknown when a helper called at load time fills it, and ignores a helper never called', () => {
    expect(metadata.authentication.fields.region.choices).toEqual({ $unresolved: stringContaining('regions.ts:6') })
    expect(metadata.authentication.fields.apiKey.label).toBe('API Key')
  })

  it('gives up on endless and very long loops within the step budget, with the reason', () => {
    expect(profile.endless.description).toEqual({
      $unresolved: stringMatching(/^call to spin\(\): evaluation ran past its budget of \d+ steps/)
    })
    expect(profile.counted.default).toEqual({ $unresolved: stringMatching(/^call to countTo\(\): evaluation ran past its budget/) })
    expect(profile.small_count.default).toBe(5)
  })

  it('follows recursion up to the depth limit, and says so beyond it', () => {
    expect(profile.shallow.default).toBe(3)
    expect(profile.deep.default).toEqual({ $unresolved: stringContaining('more than 12 deep') })
  })

  it('reports nothing else as unknown', () => {
    expect(model.unresolved.map((entry) => entry.pointer).sort()).toEqual([
      '/actions/syncProfile/fields/counted/default',
      '/actions/syncProfile/fields/deep/default',
      '/actions/syncProfile/fields/endless/description',
      '/authentication/fields/region/choices'
    ])
    expect(model.errors).toEqual([])
  })
})
