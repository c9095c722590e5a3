// structure/field-label-type: every field and setting needs a `label` and a `type` the framework knows;
// settings are limited to string, password, number and boolean.
import { defineRule, type RawFinding } from '../rule.js'
import { allFieldsOf, describeField, findingAt, isUnresolvedJson } from '../support/destination-entries.js'

const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'datetime', 'boolean', 'password', 'object']
const SETTING_TYPES = ['string', 'password', 'number', 'boolean']

export const fieldLabelType = defineRule({
  id: 'structure/field-label-type',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Fields and settings have a label and a valid type',
  docs: {
    why: 'The Segment UI shows `label` as the name of the input and builds the input (and its validation) from `type`. Settings only support string, password, number and boolean.',
    fix: "Give the field a `label` and one of the framework's types (fields: string, text, number, integer, datetime, boolean, password, object; settings: string, password, number, boolean).",
    bad: "region: {\n  description: 'Data region of your account.',\n  type: 'select'\n}",
    good: "region: {\n  label: 'Region',\n  description: 'Data region of your account.',\n  type: 'string',\n  choices: ['us', 'eu']\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of allFieldsOf(context)) {
      const { label, type } = entry.field
      const problems: string[] = []
      if (!isUnresolvedJson(label) && (typeof label !== 'string' || label.trim() === '')) problems.push('has no `label`')
      const allowed = entry.kind === 'setting' ? SETTING_TYPES : FIELD_TYPES
      let property: string | undefined = typeof label === 'string' && problems.length > 0 ? 'label' : undefined
      if (type === undefined || type === null) problems.push('has no `type`')
      else if (!isUnresolvedJson(type) && (typeof type !== 'string' || !allowed.includes(type))) {
        if (problems.length === 0) property = 'type'
        problems.push(
          `has \`type: ${JSON.stringify(type)}\`, which ${entry.kind === 'setting' ? 'a setting' : 'a field'} cannot have (use one of ${allowed.join(', ')})`
        )
      }
      if (problems.length === 0) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${describeField(entry)} ${problems.join(' and ')}. The Segment UI needs a label to show the input and a supported type to build and validate it.`,
          undefined,
          property
        )
      )
    }
    return findings
  }
})
