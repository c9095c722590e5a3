// structure/depends-on-keys: conditions of `depends_on` and conditional `required` must name fields of
// the same action (a dot path into an object field must start with one).
import type { Json } from '../../model/serialize-metadata.js'
import { defineRule, type RawFinding } from '../rule.js'
import { locationOf } from '../../model/static-values.js'
import {
  allFieldsOf,
  definitionValueAt,
  describeField,
  findingAt,
  isCompleteMap,
  isFrameworkReservedKey,
  isJsonObject,
  isUnresolvedJson,
  type FieldEntry
} from '../support/destination-entries.js'

/** The `fieldKey`s named by the conditions of a `depends_on` or conditional `required` object, with their index. */
function conditionFieldKeys(condition: Json | undefined): Array<{ fieldKey: string; index: number }> {
  if (!isJsonObject(condition) || isUnresolvedJson(condition)) return []
  const conditions = condition.conditions
  if (!Array.isArray(conditions)) return []
  const keys: Array<{ fieldKey: string; index: number }> = []
  conditions.forEach((entry, index) => {
    if (!isJsonObject(entry) || isUnresolvedJson(entry)) return
    // `{ type: 'syncMode', operator, value }` conditions test the sync mode, not a field.
    if (entry.type === 'syncMode') return
    if (typeof entry.fieldKey === 'string') keys.push({ fieldKey: entry.fieldKey, index })
  })
  return keys
}

/** The properties of a field that hold conditions, in the order their findings are listed. */
const CONDITION_PROPERTIES = ['depends_on', 'required'] as const

function owner(entry: FieldEntry): string {
  return entry.kind === 'setting' ? "the destination's settings" : `action "${entry.actionKey}"`
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
    // One finding per written condition: a shared `depends_on` constant used by six fields is one
    // defect at the condition, with the fields listed.
    const byCondition = new Map<string, { finding: RawFinding; property: string; fieldKey: string; root: string; entries: FieldEntry[] }>()
    for (const entry of allFieldsOf(context)) {
      if (!isCompleteMap(entry.siblings)) continue
      const siblings = entry.siblings
      for (const property of CONDITION_PROPERTIES) {
        const condition = entry.field[property]
        // Most fields have no condition object (`required: true` is not one): nothing to list.
        if (!isJsonObject(condition)) continue
        for (const { fieldKey, index } of conditionFieldKeys(condition)) {
          const root = fieldKey.split('.')[0]
          if (Object.prototype.hasOwnProperty.call(siblings, root)) continue
          // Keys such as `__segment_internal_sync_mode` are fields Segment adds to every action.
          if (isFrameworkReservedKey(root)) continue
          const written = locationOf(definitionValueAt(context, `${entry.pointer}/${property}/conditions/${index}`))
          const anchor = findingAt(context, entry.pointer, '', undefined, property)
          const at = written ?? { path: anchor.path, line: anchor.line, column: anchor.column }
          const identity = `${at.path}:${at.line}:${at.column ?? 0}|${property}|${fieldKey}`
          const known = byCondition.get(identity)
          if (known) {
            known.entries.push(entry)
            continue
          }
          byCondition.set(identity, {
            finding: { message: '', path: at.path, line: at.line, column: at.column, key: `${entry.pointer}/${property}:${fieldKey}` },
            property,
            fieldKey,
            root,
            entries: [entry]
          })
        }
      }
    }
    return [...byCondition.values()].map(({ finding, property, fieldKey, root, entries }) => {
      const owners = [...new Set(entries.map(owner))]
      const subject =
        entries.length === 1
          ? `The \`${property}\` condition of the ${describeField(entries[0])}`
          : `The \`${property}\` condition shared by ${entries.length} fields (${entries
              .slice(0, 6)
              .map((entry) => `"${entry.key}"`)
              .join(', ')}${entries.length > 6 ? ', …' : ''})`
      return {
        ...finding,
        message: `${subject} names \`${fieldKey}\`, but ${owners.join(' and ')} ${owners.length > 1 ? 'have' : 'has'} no ${fieldKey.includes('.') ? `field "${root}"` : 'such field'}. The condition can never hold; use the key of an existing field${fieldKey.includes('.') ? ' as the first part of the path' : ''}.`
      }
    })
  }
})
