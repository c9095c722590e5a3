// A finding's identity is the code it points at, not the route by which a rule reached it
// (issue 18, point 7): a default mapping shared by an action and a preset stays `existing`
// when the action goes and the preset is what reaches it now.
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { runReview } from '../../src/review/run-review.js'
import { fingerprintFindings } from '../../src/review/fingerprint.js'
import mappingPathCasing from '../../src/rules/spec/mapping-path-casing.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/shop-sync'

const FIELDS = `// Default mappings shared by the actions and the presets.
export const orderDefaults = {
  order: { '@path': '$.properties.orderId' },
  total: { '@path': '$.properties.total' }
}
`

function entry(actions: string[]): string {
  return `import type { DestinationDefinition } from '@segment/actions-core'
import { orderDefaults } from './fields'
${actions.map((name) => `import ${name} from './${name}'`).join('\n')}

const destination: DestinationDefinition<any> = {
  name: 'Shop Sync',
  slug: 'actions-shop-sync',
  mode: 'cloud',
  presets: [
    { name: 'Order Completed', subscribe: 'event = "Order Completed"', partnerAction: 'syncOrder', mapping: orderDefaults, type: 'automatic' }
  ],
  actions: { ${actions.join(', ')} }
}
export default destination
`
}

function action(name: string, withDefaults: boolean): string {
  return `import { orderDefaults } from '../fields'
const action = {
  title: '${name}',
  description: 'Sends orders.',
  fields: {
    order: { label: 'Order', description: 'The order id.', type: 'string'${withDefaults ? ', default: orderDefaults.order' : ''} }
  },
  perform: () => undefined
}
export default action
`
}

function revision(actions: string[]): MemoryFileSource {
  const files: Record<string, string> = { [`${ROOT}/index.ts`]: entry(actions), [`${ROOT}/fields.ts`]: FIELDS }
  for (const name of actions) files[`${ROOT}/${name}/index.ts`] = action(name, name === 'legacyOrder')
  return new MemoryFileSource(files)
}

describe('finding identity', () => {
  it('keeps a finding on a shared default `existing` when the route that reaches it changes', () => {
    const base = revision(['legacyOrder', 'syncOrder'])
    const head = revision(['syncOrder'])
    const result = runReview({
      head,
      base,
      config: defaultReviewConfig(),
      pullRequest: { body: undefined, authorIsPartner: true },
      rules: [mappingPathCasing]
    })
    const casing = result.findings.filter((finding) => finding.ruleId === 'spec/mapping-path-casing')
    expect(casing).toHaveLength(1)
    expect(casing[0]).toMatchObject({ path: `${ROOT}/fields.ts`, line: 3, status: 'existing', blocks: [] })
  })

  it('ignores a rule-given key and tells apart two nodes on one line', () => {
    const source = new MemoryFileSource({ 'a.ts': "const a = { x: '$.a', y: '$.b' }\n\n  const a = { x: '$.a', y: '$.b' }\n" })
    const finding = { ruleId: 'spec/x', integration: 'dest', path: 'a.ts' }
    const [viaAction, viaPreset, second, moved] = fingerprintFindings(
      [
        { ...finding, line: 1, column: 17, key: '/actions/a/fields/x/default' },
        { ...finding, line: 1, column: 17, key: '/presets/0/mapping/x' },
        { ...finding, line: 1, column: 26 },
        { ...finding, line: 3, column: 19 }
      ] as never,
      source
    )
    const [alone] = fingerprintFindings([{ ...finding, line: 1, column: 17 }], source)
    expect(viaAction).toBe(alone)
    expect(second).not.toBe(viaAction)
    // The same node reindented on another line is the same code; only its occurrence tells it apart.
    const [reindented] = fingerprintFindings(
      [{ ...finding, line: 3, column: 19 }],
      new MemoryFileSource({ 'a.ts': "\n\n  const a = { x: '$.a', y: '$.b' }\n" })
    )
    expect(reindented).toBe(alone)
    expect(new Set([viaAction, viaPreset, moved]).size).toBe(3)
  })
})
