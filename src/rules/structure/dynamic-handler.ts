// structure/dynamic-handler: a field with `dynamic: true` needs a `dynamicFields` handler of the same key,
// looked up in the evaluated definition (spreads such as `...dynamicFields` from another file resolved).
import { Unresolved, isPlainObject, locationOf, propertyLocationOf, readProperty } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { definitionActions, findingAtLocation, isPartialObject } from '../support/destination-entries.js'

export const dynamicHandler = defineRule({
  id: 'structure/dynamic-handler',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Dynamic fields have a handler',
  docs: {
    why: "For a field with `dynamic: true` the UI asks the action's `dynamicFields[<key>]` handler for the choices. Without a handler the dropdown stays empty and customers cannot pick a value.",
    fix: 'Add a handler under `dynamicFields` with the same key as the field (returning `{ choices: [{ label, value }] }`), or remove `dynamic: true`.',
    bad: "fields: {\n  list_id: { label: 'List', description: 'The list to add the contact to.', type: 'string', dynamic: true }\n},\ndynamicFields: {}",
    good: "fields: {\n  list_id: { label: 'List', description: 'The list to add the contact to.', type: 'string', dynamic: true }\n},\ndynamicFields: {\n  list_id: async (request, { settings }) => fetchLists(request, settings)\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const { key: actionKey, action } of definitionActions(context, 'actions')) {
      const fields = readProperty(action, 'fields')
      if (!isPlainObject(fields)) continue
      const handlers = readProperty(action, 'dynamicFields')
      if (handlers instanceof Unresolved) continue
      if (handlers !== undefined && handlers !== null && !isPlainObject(handlers)) continue
      for (const fieldKey of Object.keys(fields)) {
        const field = fields[fieldKey]
        if (!isPlainObject(field)) continue
        // `dynamic` may itself be the handler (a function); only the literal `true` needs a `dynamicFields` entry.
        if (readProperty(field, 'dynamic') !== true) continue
        if (isPlainObject(handlers)) {
          const handler = readProperty(handlers, fieldKey)
          if (handler instanceof Unresolved || (handler !== undefined && handler !== null)) continue
          if (isPartialObject(handlers)) continue
        }
        findings.push(
          findingAtLocation(
            context,
            propertyLocationOf(field, 'dynamic') ?? locationOf(field) ?? propertyLocationOf(fields, fieldKey),
            `/actions/${actionKey}/fields/${fieldKey}/dynamic`,
            `The field "${fieldKey}" of action "${actionKey}" is \`dynamic: true\` but the action has no \`dynamicFields.${fieldKey}\` handler. The UI would show an empty dropdown; add the handler or remove \`dynamic: true\`.`
          )
        )
      }
    }
    return findings
  }
})
