// docs/destination-description: the destination has a description for its catalog entry.
import { defineRule } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'

export default defineRule({
  id: 'docs/destination-description',
  category: 'docs',
  stages: { public: 'info' },
  who: 'everyone',
  title: 'The destination describes itself',
  docs: {
    why: 'The destination-level `description` is what the Segment catalog shows about the integration. Most shipped destinations have none (the catalog text is kept elsewhere), so it is a note: worth adding, of about 500 characters at most, before the public launch.',
    fix: 'Add `description` to the destination definition: what the integration does with Segment data, in one or two sentences.',
    bad: "const destination: DestinationDefinition<Settings> = { name: 'Acme (Actions)', slug: 'actions-acme', mode: 'cloud', ... }",
    good: "const destination: DestinationDefinition<Settings> = { name: 'Acme (Actions)', description: 'Send Segment events and profiles to Acme to trigger campaigns.', ... }"
  },
  scope: 'integration',
  check(context) {
    const metadata = context.head.metadata
    if (!metadata || context.integration.kind === 'source') return []
    const description = metadata.description
    // Unknown (an unresolved value) is not missing.
    if (description !== undefined && description !== null && (typeof description !== 'string' || description.trim() !== '')) return []
    const location = locatePointer(context.head, description === undefined || description === null ? '' : '/description')
    return [
      {
        path: location.path,
        line: location.line,
        column: location.column,
        key: '/description',
        message: `The destination ${typeof metadata.name === 'string' ? `"${metadata.name}" ` : ''}has no \`description\`, so its catalog entry says nothing about it. Add \`description\` to the definition: what it does with Segment data, in one or two sentences (about 500 characters at most).`
      }
    ]
  }
})
