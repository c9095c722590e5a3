// structure/metadata-fresh compares the committed metadata.json with the model as the generator's
// JSON would hold it: a member the model leaves undefined is absent there, so it is named among
// the committed file's own members, after the model's (as when the model went through JSON).
import { describe, expect, it } from 'vitest'
import { metadataFresh } from '../../src/rules/structure/metadata-fresh.js'
import { analyseChange } from '../../src/review/analyse-change.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/quiet'

const INDEX = `import type { DestinationDefinition } from '@segment/actions-core'
const destination: DestinationDefinition<any> = {
  name: 'Quiet',
  slug: 'actions-quiet',
  mode: 'cloud',
  presets: [{ name: 'Track Event', subscribe: 'type = "track"', partnerAction: 'send', mapping: {} }],
  actions: {}
}
export default destination
`

function committedMetadata(preset: Record<string, unknown>): string {
  return JSON.stringify({
    slug: 'actions-quiet',
    name: 'Quiet',
    mode: 'cloud',
    description: null,
    authentication: null,
    audienceConfig: null,
    actions: {},
    presets: [preset]
  })
}

function freshnessMessages(metadata: string): string[] {
  const head = new MemoryFileSource({ [`${ROOT}/index.ts`]: INDEX, [`${ROOT}/metadata.json`]: metadata })
  const analysis = analyseChange({
    head,
    base: undefined,
    rules: [metadataFresh],
    pullRequest: { body: undefined, authorIsPartner: true },
    configuredStatuses: {}
  })
  expect(analysis.ruleFailures).toEqual([])
  return analysis.findings.map((finding) => finding.message)
}

describe('structure/metadata-fresh', () => {
  it('names a member the model leaves undefined (the preset has no type) after the members the model has', () => {
    const [message] = freshnessMessages(
      committedMetadata({
        name: 'Track Event',
        type: 'automatic',
        partnerAction: 'other',
        subscribe: 'type = "track"',
        mapping: {},
        eventSlug: null
      })
    )
    expect(message).toContain('at `/presets/0/partnerAction`, `/presets/0/type`. ')
  })

  it('says nothing when the committed file omits what the model leaves undefined', () => {
    expect(
      freshnessMessages(
        committedMetadata({ name: 'Track Event', partnerAction: 'send', subscribe: 'type = "track"', mapping: {}, eventSlug: null })
      )
    ).toEqual([])
  })
})
