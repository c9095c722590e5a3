// structure/perform-present: an action must have `perform`; an async action `performBatch` and `performPoll`.
import { Unresolved, locationOf, readProperty, type StaticObject } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { definitionActions, findingAtLocation, isFunctionValue } from '../support/destination-entries.js'

/** The handlers that are missing; undefined when one of them cannot be resolved. */
function missingHandlers(action: StaticObject, names: string[]): string[] | undefined {
  const missing: string[] = []
  for (const name of names) {
    const value = readProperty(action, name)
    if (value instanceof Unresolved) return undefined
    if (!isFunctionValue(value)) missing.push(name)
  }
  return missing
}

export const performPresent = defineRule({
  id: 'structure/perform-present',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Every action has a perform function',
  docs: {
    why: 'The framework calls `perform` for every event the action receives ("Every action MUST have a perform function"); async actions are driven by `performBatch` and `performPoll`. Without them the action cannot deliver anything.',
    fix: 'Add `perform: (request, { payload, settings }) => request(...)` to the action (for async actions, `performBatch` and `performPoll`).',
    bad: "const action: ActionDefinition<Settings, Payload> = {\n  title: 'Track Event',\n  description: 'Send a track event to Acme.',\n  fields,\n  performBatch: (request, { payload }) => request(BATCH_URL, { method: 'post', json: payload })\n}",
    good: "const action: ActionDefinition<Settings, Payload> = {\n  title: 'Track Event',\n  description: 'Send a track event to Acme.',\n  fields,\n  perform: (request, { payload }) => request(URL, { method: 'post', json: payload }),\n  performBatch: (request, { payload }) => request(BATCH_URL, { method: 'post', json: payload })\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const { key, action } of definitionActions(context, 'actions')) {
      const missing = missingHandlers(action, ['perform'])
      if (!missing || missing.length === 0) continue
      findings.push(
        findingAtLocation(
          context,
          locationOf(action),
          `/actions/${key}/perform`,
          `Action "${key}" has no \`perform\` function. Every action must define \`perform(request, { payload, settings })\`, even when it also has \`performBatch\`: the framework calls it for each event.`
        )
      )
    }
    for (const { key, action } of definitionActions(context, 'asyncActions')) {
      const missing = missingHandlers(action, ['performBatch', 'performPoll'])
      if (!missing || missing.length === 0) continue
      findings.push(
        findingAtLocation(
          context,
          locationOf(action),
          `/asyncActions/${key}/${missing.join('+')}`,
          `Async action "${key}" has no ${missing.map((name) => `\`${name}\``).join(' or ')} function. An async action is started by \`performBatch\` and checked by \`performPoll\`; define both.`
        )
      )
    }
    return findings
  }
})
