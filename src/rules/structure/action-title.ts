// structure/action-title: every action needs a `title`; it is the action's name in the Segment UI.
import { Unresolved, locationOf, readProperty } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { definitionActions, findingAtLocation } from '../support/destination-entries.js'

export const actionTitle = defineRule({
  id: 'structure/action-title',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Every action has a title',
  docs: {
    why: '`title` is required by the framework type and is what customers see when they pick an action; without it the UI falls back to the raw action key.',
    fix: 'Add a short Title Case `title` to the action definition.',
    bad: "const action: ActionDefinition<Settings, Payload> = {\n  description: 'Send a track event to Acme.',\n  fields: {},\n  perform: (request, { payload }) => request(URL, { method: 'post', json: payload })\n}",
    good: "const action: ActionDefinition<Settings, Payload> = {\n  title: 'Track Event',\n  description: 'Send a track event to Acme.',\n  fields: {},\n  perform: (request, { payload }) => request(URL, { method: 'post', json: payload })\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const mapKey of ['actions', 'asyncActions'] as const) {
      for (const { key, action } of definitionActions(context, mapKey)) {
        const title = readProperty(action, 'title')
        if (title instanceof Unresolved) continue
        if (typeof title === 'string' && title.trim() !== '') continue
        const problem = title === undefined || title === null ? 'has no `title`' : 'has an empty or non-text `title`'
        findings.push(
          findingAtLocation(
            context,
            locationOf(action),
            `/${mapKey}/${key}/title`,
            `Action "${key}" ${problem}. Add a short Title Case title (e.g. "Track Event"): it is how customers find the action in the Segment UI.`
          )
        )
      }
    }
    return findings
  }
})
