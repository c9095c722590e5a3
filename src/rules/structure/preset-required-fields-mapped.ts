// structure/preset-required-fields-mapped: a preset must give every required field of its action a value,
// through its mapping or the field's default.
import { defineRule, type RawFinding } from '../rule.js'
import { actionFieldsOf, findingAt, isJsonObject, presetAction, presetsOf } from '../support/destination-entries.js'

export const presetRequiredFieldsMapped = defineRule({
  id: 'structure/preset-required-fields-mapped',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Presets map every required field',
  docs: {
    why: 'An automatic preset creates a ready-to-use mapping when a customer connects the destination. If a required field of its action has neither a value in the mapping nor a default, every event sent through the preset fails validation until the customer notices and edits it. (`specificEvent` presets are completed by the customer when they add them, so for those it is only a note.)',
    fix: "Give the required field a `default` (e.g. `{ '@path': '$.event' }`) so `defaultValues()` picks it up, or set it in the preset's `mapping`.",
    bad: "fields: { event_name: { label: 'Event Name', description: 'Name of the event.', type: 'string', required: true } }\n// preset\n{ name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }",
    good: "fields: { event_name: { label: 'Event Name', description: 'Name of the event.', type: 'string', required: true, default: { '@path': '$.event' } } }\n// preset\n{ name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of presetsOf(context)) {
      const action = presetAction(context, entry)
      if (!action) continue
      const mapping = entry.preset.mapping
      // A partial mapping (an unresolved spread) may set any key: nothing can be said.
      if (!isJsonObject(mapping) || '$unresolved' in mapping) continue
      const missing = actionFieldsOf(action)
        .filter(({ field }) => field.required === true && (field.default === null || field.default === undefined))
        .filter(({ key }) => mapping[key] === undefined || mapping[key] === null)
        .map(({ key }) => key)
      if (missing.length === 0) continue
      // A `specificEvent` preset (Journeys, Linked Audiences) is completed by the customer when they
      // add it to a step: leaving a field for them to fill is the design, not a defect.
      if (entry.preset.type === 'specificEvent') {
        findings.push(
          findingAt(
            context,
            entry.pointer,
            `The ${entry.label} (a \`specificEvent\` preset) leaves the required ${missing.length === 1 ? 'field' : 'fields'} ${missing.map((key) => `"${key}"`).join(', ')} of action "${action.key}" for the customer to fill in when they add it. That is how such presets work; a \`default\` would save them the step where one value fits most customers.`,
            'info',
            'mapping'
          )
        )
        continue
      }
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${entry.label} leaves the required ${missing.length === 1 ? 'field' : 'fields'} ${missing.map((key) => `"${key}"`).join(', ')} of action "${action.key}" without a value: ${missing.length === 1 ? 'it has' : 'they have'} no default and the mapping does not set ${missing.length === 1 ? 'it' : 'them'}. Add a \`default\` to the field or set it in the preset's \`mapping\`, or events sent through the preset fail validation.`,
          undefined,
          'mapping'
        )
      )
    }
    return findings
  }
})
