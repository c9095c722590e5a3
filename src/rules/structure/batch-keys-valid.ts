// structure/batch-keys-valid: the reserved `batch_keys` field, as Segment's `validate` and the
// framework type constrain it: a hidden, optional string list of at most 3 keys of the same action.
import { defineRule, type RawFinding } from '../rule.js'
import { actionsOf, actionFieldsOf, findingAt, isCompleteMap, isUnresolvedJson } from '../support/destination-entries.js'

const MAX_BATCH_KEYS = 3

export const batchKeysValid = defineRule({
  id: 'structure/batch-keys-valid',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: '`batch_keys` is a hidden list of at most 3 keys of the action',
  docs: {
    why: "Segment groups events into batches by the values of the `batch_keys` fields. The framework allows at most 3 keys, each a field of the action and not `batch_keys` itself, and types it as a hidden, optional string list. Segment's `validate` only prints a warning for a definition that breaks these rules and passes, so nothing else stops it.",
    fix: "Declare `batch_keys: { label, description, type: 'string', multiple: true, unsafe_hidden: true, required: false, default: ['<low-cardinality field key>'] }` with at most 3 keys of the same action.",
    bad: "batch_keys: {\n  label: 'Batch Keys',\n  description: 'The keys to use for batching the events.',\n  type: 'string',\n  multiple: true,\n  default: ['list_id', 'email', 'user_id', 'event_name']\n}",
    good: "batch_keys: {\n  label: 'Batch Keys',\n  description: 'The keys to use for batching the events.',\n  type: 'string',\n  multiple: true,\n  unsafe_hidden: true,\n  required: false,\n  default: ['list_id']\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const action of actionsOf(context)) {
      const entry = actionFieldsOf(action).find((field) => field.key === 'batch_keys')
      if (!entry) continue
      const { type, multiple, hidden, required, default: defaultValue } = entry.field
      const problems: string[] = []
      if (!isUnresolvedJson(type) && type !== 'string') problems.push(`it must be \`type: 'string'\` (it is ${JSON.stringify(type)})`)
      if (!isUnresolvedJson(multiple) && multiple !== true) problems.push('it must be a list (`multiple: true`)')
      if (!isUnresolvedJson(hidden) && hidden !== true) problems.push('it must be hidden from customers (`unsafe_hidden: true`)')
      if (required === true || (typeof required === 'object' && required !== null && !isUnresolvedJson(required)))
        problems.push('it must not be required')
      if (Array.isArray(defaultValue)) {
        if (defaultValue.length > MAX_BATCH_KEYS)
          problems.push(`its default lists ${defaultValue.length} keys, more than the ${MAX_BATCH_KEYS} allowed`)
        if (defaultValue.includes('batch_keys')) problems.push('its default lists `batch_keys` itself')
        if (isCompleteMap(action.action.fields)) {
          const fields = action.action.fields
          const unknown = defaultValue.filter(
            (key): key is string => typeof key === 'string' && key !== 'batch_keys' && !Object.prototype.hasOwnProperty.call(fields, key)
          )
          if (unknown.length > 0)
            problems.push(
              `its default names ${unknown.map((key) => `"${key}"`).join(', ')}, which ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of the action`
            )
        }
      } else if (defaultValue !== null && defaultValue !== undefined && !isUnresolvedJson(defaultValue)) {
        problems.push('its default must be a list of field keys')
      }
      if (problems.length === 0) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The \`batch_keys\` field of action "${action.key}" is invalid: ${problems.join('; ')}. Segment splits batches by these keys; its \`validate\` only prints a warning for such a definition and passes, so fix it here.`
        )
      )
    }
    return findings
  }
})
