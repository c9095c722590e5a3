// structure/field-description: every field and setting needs a description (nested object properties may omit it).
import { defineRule, type RawFinding } from '../rule.js'
import { allFieldsOf, describeField, findingAt, isFrameworkReservedKey, isUnresolvedJson } from '../support/destination-entries.js'

export const fieldDescription = defineRule({
  id: 'structure/field-description',
  category: 'structure',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'everyone',
  title: 'Fields and settings have a description',
  docs: {
    why: "The description is the only help a customer gets when mapping a field or entering a setting; the framework type requires it and Segment's `validate` reports it. Hidden fields and framework-reserved `__segment_internal_*` keys are exempt: no customer reads them.",
    fix: 'Add a `description` saying what the value is, the format expected and where to find it.',
    bad: "apiKey: {\n  label: 'API Key',\n  type: 'password',\n  required: true\n}",
    good: "apiKey: {\n  label: 'API Key',\n  description: 'Your Acme API key, found under Settings > API Keys.',\n  type: 'password',\n  required: true\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of allFieldsOf(context)) {
      // Framework-reserved fields are hidden and set by Segment: no customer reads their description.
      if (isFrameworkReservedKey(entry.key)) continue
      // Hidden fields (`unsafe_hidden`, or the old `type: 'hidden'`) never reach a customer's screen.
      if (entry.field.hidden === true || entry.field.type === 'hidden') continue
      const description = entry.field.description
      if (isUnresolvedJson(description)) continue
      if (typeof description === 'string' && description.trim() !== '') continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${describeField(entry)} has ${typeof description === 'string' ? 'an empty' : 'no'} \`description\`. Customers see it as the help text of the input: say what the value is and where to find it.`,
          undefined,
          typeof description === 'string' ? 'description' : undefined
        )
      )
    }
    return findings
  }
})
