// integrationOfPath answers by folder (and remembers the answer): every file of one folder gets the
// same integration, a file at the layout's own depth belongs to none, and each answer is the
// caller's own object.
import { describe, expect, it } from 'vitest'
import { integrationOfPath, integrationsTouchedBy } from '../../src/discover/discover-integrations.js'
import type { IntegrationLayout } from '../../src/discover/integration-layouts.js'

const DESTINATIONS = 'packages/destination-actions/src/destinations'

describe('integrationOfPath', () => {
  it('gives every path of a folder its integration, and none to files beside the integration folders', () => {
    for (let round = 0; round < 2; round++) {
      expect(integrationOfPath(`${DESTINATIONS}/acme/index.ts`)).toEqual({
        kind: 'cloud-destination',
        path: `${DESTINATIONS}/acme`,
        entryPath: `${DESTINATIONS}/acme/index.ts`,
        folder: 'acme'
      })
      expect(integrationOfPath(`${DESTINATIONS}/acme/track/__tests__/index.test.ts`)?.path).toBe(`${DESTINATIONS}/acme`)
      expect(integrationOfPath(`./${DESTINATIONS}/acme/../acme/generated-types.ts`)?.path).toBe(`${DESTINATIONS}/acme`)
      expect(integrationOfPath(`${DESTINATIONS}/index.ts`)).toBeUndefined()
      expect(integrationOfPath(`${DESTINATIONS}`)).toBeUndefined()
      expect(integrationOfPath('package.json')).toBeUndefined()
    }
  })

  it('answers for the layouts it is given, and hands out copies', () => {
    const layouts: IntegrationLayout[] = [{ kind: 'cloud-destination', root: 'integrations/*', entry: 'index.ts' }]
    expect(integrationOfPath(`${DESTINATIONS}/acme/index.ts`, layouts)).toBeUndefined()
    const first = integrationOfPath('integrations/acme/src/a.ts', layouts)
    expect(first?.path).toBe('integrations/acme')
    first!.path = 'changed'
    expect(integrationOfPath('integrations/acme/src/b.ts', layouts)?.path).toBe('integrations/acme')
    expect(
      integrationsTouchedBy(['integrations/acme/x.ts', 'integrations/beta/y.ts', 'integrations/acme/z.ts', 'other/q.ts'], layouts).map(
        (l) => l.path
      )
    ).toEqual(['integrations/acme', 'integrations/beta'])
  })

  it('matches roots with glob syntax before the integration segment, and only paths under them', () => {
    const layouts: IntegrationLayout[] = [{ kind: 'cloud-destination', root: 'packages/{cloud,edge}-destinations/*', entry: 'index.ts' }]
    expect(integrationOfPath('packages/cloud-destinations/acme/index.ts', layouts)?.path).toBe('packages/cloud-destinations/acme')
    expect(integrationOfPath('packages/edge-destinations/acme/a/b.ts', layouts)?.path).toBe('packages/edge-destinations/acme')
    expect(integrationOfPath('packages/other-destinations/acme/index.ts', layouts)).toBeUndefined()
    expect(integrationOfPath('other/cloud-destinations/acme/index.ts', layouts)).toBeUndefined()
    // A dot folder is not an integration (the glob's `*` does not match it).
    expect(integrationOfPath('packages/cloud-destinations/.cache/x.ts', layouts)).toBeUndefined()
  })
})
