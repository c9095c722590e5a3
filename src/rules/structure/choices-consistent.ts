// structure/choices-consistent: a field's `default` must be one of its `choices`, and choices only make
// sense on types that hold a choice (string or number kinds).
import type { Json } from '../../model/serialize-metadata.js'
import { defineRule, type RawFinding } from '../rule.js'
import { allFieldsOf, describeField, findingAt, isJsonObject, isUnresolvedJson } from '../support/destination-entries.js'

const TYPES_WITHOUT_CHOICES = ['boolean', 'object']

/** The choice values, or undefined when one of them is unknown. */
function choiceValues(choices: Json[]): Json[] | undefined {
  const values: Json[] = []
  for (const choice of choices) {
    if (!isJsonObject(choice) || isUnresolvedJson(choice) || !('value' in choice)) return undefined
    const value = choice.value
    if (value === undefined || isUnresolvedJson(value)) return undefined
    values.push(value)
  }
  return values
}

/** A default the UI pre-fills as-is: a constant, not a mapping directive such as `{ '@path': ... }`. */
function isLiteral(value: Json | undefined): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

export const choicesConsistent = defineRule({
  id: 'structure/choices-consistent',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Defaults are among the choices; choices only on string or number types',
  docs: {
    why: 'A default that is not among the choices pre-fills a value the dropdown cannot show and the payload validation rejects. Choices on a boolean or object field are ignored by the UI.',
    fix: 'Make the `default` one of the `choices` values (compare values, not labels), or remove `choices` from boolean and object fields.',
    bad: "region: {\n  label: 'Region',\n  description: 'Data region of your account.',\n  type: 'string',\n  choices: [{ label: 'US', value: 'us' }, { label: 'EU', value: 'eu' }],\n  default: 'US'\n}",
    good: "region: {\n  label: 'Region',\n  description: 'Data region of your account.',\n  type: 'string',\n  choices: [{ label: 'US', value: 'us' }, { label: 'EU', value: 'eu' }],\n  default: 'us'\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of allFieldsOf(context)) {
      const { choices, type, default: defaultValue } = entry.field
      if (!Array.isArray(choices) || choices.length === 0) continue
      if (typeof type === 'string' && TYPES_WITHOUT_CHOICES.includes(type)) {
        findings.push(
          findingAt(
            context,
            entry.pointer,
            `The ${describeField(entry)} is of type ${type} but has \`choices\`; the UI cannot offer choices for a ${type}. Remove \`choices\` or change the type to string or number.`,
            undefined,
            'choices'
          )
        )
        continue
      }
      const values = choiceValues(choices)
      if (!values) continue
      const defaults = Array.isArray(defaultValue) && entry.field.multiple === true ? defaultValue : [defaultValue]
      const outside = defaults.filter((value) => isLiteral(value) && !values.some((choice) => choice === value))
      if (outside.length === 0) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The \`default\` ${outside.map((value) => JSON.stringify(value)).join(', ')} of the ${describeField(entry)} is not among its \`choices\` (${values.map((value) => JSON.stringify(value)).join(', ')}). Use one of the choice values (not a label), or the pre-filled value fails validation.`,
          undefined,
          'default'
        )
      )
    }
    return findings
  }
})
