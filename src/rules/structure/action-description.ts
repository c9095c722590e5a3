// structure/action-description: every action needs a non-empty `description` (Segment's `validate` fails otherwise).
import { Unresolved, locationOf, propertyLocationOf, readProperty } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { definitionActions, findingAtLocation } from '../support/destination-entries.js'

export const actionDescription = defineRule({
  id: 'structure/action-description',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Every action has a description',
  docs: {
    why: "Segment's `validate` command fails on an action without a description, and customers rely on it to choose the right action.",
    fix: 'Add a `description` of one or two sentences saying what the action sends and where.',
    bad: "const action: ActionDefinition<Settings, Payload> = {\n  title: 'Track Event',\n  description: '',\n  fields: {},\n  perform: (request, { payload }) => request(URL, { method: 'post', json: payload })\n}",
    good: "const action: ActionDefinition<Settings, Payload> = {\n  title: 'Track Event',\n  description: 'Send a track event to the Acme events API.',\n  fields: {},\n  perform: (request, { payload }) => request(URL, { method: 'post', json: payload })\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const mapKey of ['actions', 'asyncActions'] as const) {
      for (const { key, action } of definitionActions(context, mapKey)) {
        const description = readProperty(action, 'description')
        if (description instanceof Unresolved) continue
        if (typeof description === 'string' && description.trim() !== '') continue
        const missing = description === undefined || description === null
        const where = missing ? locationOf(action) : propertyLocationOf(action, 'description')
        findings.push(
          findingAtLocation(
            context,
            where,
            `/${mapKey}/${key}/description`,
            `Action "${key}" ${missing ? 'has no `description`' : 'has an empty `description`'}. Segment's \`validate\` rejects it; describe in a sentence or two what the action sends and where.`
          )
        )
      }
    }
    return findings
  }
})
