// structure/hidden-required-needs-default: a field hidden from the UI (`unsafe_hidden`) that is required
// must have a default, or no customer can ever fill it in.
import { defineRule, type RawFinding } from '../rule.js'
import { actionsOf, actionFieldsOf, describeField, findingAt } from '../support/destination-entries.js'

export const hiddenRequiredNeedsDefault = defineRule({
  id: 'structure/hidden-required-needs-default',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Hidden required fields have a default',
  docs: {
    why: 'A field with `unsafe_hidden: true` is not shown in the mapping UI, so a customer cannot fill it in. If it is also required and has no default, every event fails validation.',
    fix: 'Give the hidden field a `default` (a constant or a `@path` directive), or make it visible or optional.',
    bad: "event_time: {\n  label: 'Event Time',\n  description: 'When the event happened.',\n  type: 'datetime',\n  required: true,\n  unsafe_hidden: true\n}",
    good: "event_time: {\n  label: 'Event Time',\n  description: 'When the event happened.',\n  type: 'datetime',\n  required: true,\n  unsafe_hidden: true,\n  default: { '@path': '$.timestamp' }\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of actionsOf(context).flatMap(actionFieldsOf)) {
      const { hidden, required, default: defaultValue } = entry.field
      if (hidden !== true || required !== true) continue
      if (defaultValue !== null && defaultValue !== undefined) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${describeField(entry)} is hidden (\`unsafe_hidden: true\`) and required, but has no \`default\`. Customers cannot see it to fill it in, so every event would fail validation; add a \`default\` (e.g. a \`@path\` directive) or make it optional.`
        )
      )
    }
    return findings
  }
})
