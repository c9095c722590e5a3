// structure/preset-mapping-fields-exist: every key of a preset's `mapping` must be a field of its action
// (`defaultValues(fields)` is modelled: its keys are the fields that have a default).
import { defineRule, type RawFinding } from '../rule.js'
import { findingAt, isCompleteMap, isJsonObject, isUnresolvedJson, presetAction, presetsOf } from '../support/destination-entries.js'

export const presetMappingFieldsExist = defineRule({
  id: 'structure/preset-mapping-fields-exist',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Preset mappings only map fields of their action',
  docs: {
    why: "Segment's `validate` requires the keys of a preset's `mapping` to be fields of the preset's action. A key the action lacks is dropped or rejected when the preset is applied; it usually means `defaultValues()` of another action's fields, or a renamed field.",
    fix: "Build the mapping from the same action's fields (`defaultValues(trackEvent.fields)`) and only override keys that action defines.",
    bad: "{ name: 'Identify User', type: 'automatic', subscribe: 'type = \"identify\"', partnerAction: 'identifyUser', mapping: defaultValues(trackEvent.fields) }",
    good: "{ name: 'Identify User', type: 'automatic', subscribe: 'type = \"identify\"', partnerAction: 'identifyUser', mapping: defaultValues(identifyUser.fields) }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of presetsOf(context)) {
      const action = presetAction(context, entry)
      if (!action || !isCompleteMap(action.action.fields)) continue
      const fields = action.action.fields
      const mapping = entry.preset.mapping
      if (!isJsonObject(mapping) || isUnresolvedJson(mapping)) continue
      const unknown = Object.keys(mapping).filter((key) => key !== '$unresolved' && !Object.prototype.hasOwnProperty.call(fields, key))
      if (unknown.length === 0) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The mapping of the ${entry.label} sets ${unknown.map((key) => `"${key}"`).join(', ')}, which ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of its action "${action.key}". Map only fields of that action (e.g. \`defaultValues(${action.key}.fields)\`); Segment's \`validate\` rejects unknown keys.`,
          undefined,
          'mapping'
        )
      )
    }
    return findings
  }
})
