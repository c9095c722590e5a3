// structure/depends-on-keys: conditions of `depends_on` and conditional `required` must name fields of
// the same action (a dot path into an object field must start with one).
import type { Json } from '../../model/serialize-metadata.js'
import { defineRule, type RawFinding } from '../rule.js'
import { allFieldsOf, describeField, findingAt, isCompleteMap, isJsonObject, isUnresolvedJson, type FieldEntry } from '../support/destination-entries.js'

/** The `fieldKey`s named by the conditions of a `depends_on` or conditional `required` object. */
function conditionFieldKeys(condition: Json | undefined): string[] {
  if (!isJsonObject(condition) || isUnresolvedJson(condition)) return []
  const conditions = condition.conditions
  if (!Array.isArray(conditions)) return []
  const keys: string[] = []
  for (const entry of conditions) {
    if (!isJsonObject(entry) || isUnresolvedJson(entry)) continue
    // `{ type: 'syncMode', operator, value }` conditions test the sync mode, not a field.
    if (entry.type === 'syncMode') continue
    if (typeof entry.fieldKey === 'string') keys.push(entry.fieldKey)
  }
  return keys
}

function owner(entry: FieldEntry): string {
  return entry.kind === 'setting' ? 'the destination\'s settings' : `action "${entry.actionKey}"`
}

export const dependsOnKeys = defineRule({
  id: 'structure/depends-on-keys',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Conditions name fields of the same action',
  docs: {
    why: 'The UI evaluates `depends_on` and conditional `required` against the other fields of the same action ("field keys must match some other field in the same action"). A condition on a key the action lacks never holds: the field stays hidden, or is never required.',
    fix: 'Use the exact key of a field of the same action in `fieldKey` (for an object field, `key.property`), or add the missing field.',
    bad: "phone: {\n  label: 'Phone',\n  description: 'Phone number in E.164 format.',\n  type: 'string',\n  depends_on: { conditions: [{ fieldKey: 'channel_type', operator: 'is', value: 'sms' }] }\n}",
    good: "phone: {\n  label: 'Phone',\n  description: 'Phone number in E.164 format.',\n  type: 'string',\n  depends_on: { conditions: [{ fieldKey: 'channel', operator: 'is', value: 'sms' }] }\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of allFieldsOf(context)) {
      if (!isCompleteMap(entry.siblings)) continue
      const siblings = entry.siblings
      for (const [property, condition] of [['depends_on', entry.field.depends_on], ['required', entry.field.required]] as const) {
        for (const fieldKey of conditionFieldKeys(condition)) {
          const root = fieldKey.split('.')[0]
          if (Object.prototype.hasOwnProperty.call(siblings, root)) continue
          findings.push({
            ...findingAt(
              context,
              entry.pointer,
              `The \`${property}\` condition of the ${describeField(entry)} names \`${fieldKey}\`, but ${owner(entry)} has no ${fieldKey.includes('.') ? `field "${root}"` : 'such field'}. The condition can never hold; use the key of an existing field${fieldKey.includes('.') ? ' as the first part of the path' : ''}.`,
              undefined,
              property
            ),
            key: `${entry.pointer}/${property}:${fieldKey}`
          })
        }
      }
    }
    return findings
  }
})
