// A change to shared code outside every integration folder reviews the integrations that load it.
import { describe, expect, it } from 'vitest'
import { analyseChange } from '../../src/review/analyse-change.js'
import { COMPAT_RULES } from '../../src/rules/compat/index.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const DESTINATIONS = 'packages/destination-actions/src/destinations'

function revision(emailRequired: boolean): MemoryFileSource {
  return new MemoryFileSource({
    'packages/actions-shared/src/index.ts': `export const emailField = { label: 'Email', description: 'Email address.', type: 'string'${emailRequired ? ', required: true' : ''} }\n`,
    [`${DESTINATIONS}/uses-shared/index.ts`]: `import send from './send'\nexport default { name: 'Uses Shared', slug: 'actions-uses-shared', actions: { send } }\n`,
    [`${DESTINATIONS}/uses-shared/send/index.ts`]: `import { emailField } from '@segment/actions-shared'\nexport default { title: 'Send', description: 'Send it.', fields: { email: emailField }, perform: () => undefined }\n`,
    [`${DESTINATIONS}/standalone/index.ts`]: `import send from './send'\nexport default { name: 'Standalone', slug: 'actions-standalone', actions: { send } }\n`,
    [`${DESTINATIONS}/standalone/send/index.ts`]: `export default { title: 'Send', description: 'Send it.', fields: {}, perform: () => undefined }\n`
  })
}

describe('shared code changes', () => {
  it('reviews each integration that loads the changed shared file, and only those', () => {
    const analysis = analyseChange({
      head: revision(true),
      base: revision(false),
      rules: COMPAT_RULES,
      pullRequest: { body: undefined, authorIsPartner: true }
    })
    expect(analysis.changedPaths).toEqual(['packages/actions-shared/src/index.ts'])
    expect(analysis.integrations.map((integration) => integration.location.folder)).toEqual(['uses-shared'])
    expect(analysis.findings.map((finding) => `${finding.ruleId} ${finding.integration?.split('/').at(-1)}`)).toEqual([
      'compat/field-became-required uses-shared'
    ])
  })
})
