// Removing choice values (or adding a choice list where any value was accepted) makes mappings
// that hold the dropped values fail validation.
import type { Json } from '../../model/serialize-metadata.js'
import { defineRule, type RawFinding } from '../rule.js'
import {
  bothRevisions,
  capitalize,
  choiceValues,
  commonFields,
  containsUnresolved,
  describeField,
  fieldGroups,
  findingAt,
  jsonEqual,
  showValue
} from './metadata-diff.js'

export const choicesNarrowed = defineRule({
  id: 'compat/choices-narrowed',
  category: 'compat',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Choice values removed',
  docs: {
    why: 'Choices become an allowed-values list in validation. Mappings and settings saved with a value that is no longer a choice fail validation.',
    fix: 'Keep the old values among the choices (and map them to the new behaviour in `perform`).',
    bad: "choices: [{ label: 'Purchase', value: 'purchase' }] // 'lead' removed",
    good: "choices: [{ label: 'Purchase', value: 'purchase' }, { label: 'Lead (legacy)', value: 'lead' }]"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      for (const pair of commonFields(group)) {
        if (containsUnresolved(pair.base.choices) || containsUnresolved(pair.head.choices)) continue
        const before = choiceValues(pair.base.choices)
        const after = choiceValues(pair.head.choices)
        // No list on head: any value is accepted, nothing narrows.
        if (!after) continue
        const what = capitalize(describeField(group, pair.key))
        const holders = group.kind.includes('setting') ? 'connected destinations' : 'mappings'
        let message: string
        if (!before) {
          message =
            `${what} now only accepts the values ${list(after)}; before, it accepted any value. Existing ${holders} holding another value will fail validation. ` +
            `Drop the choices, or include every value customers may already use.`
        } else {
          const dropped = before.filter((value) => !after.some((kept) => jsonEqual(kept, value)))
          if (dropped.length === 0) continue
          message =
            `${what} no longer offers the choice${dropped.length > 1 ? 's' : ''} ${list(dropped)}. Existing ${holders} that selected ${dropped.length > 1 ? 'them' : 'it'} will fail validation. ` +
            `Keep ${dropped.length > 1 ? 'these values' : 'the value'} among the choices (a "(legacy)" label is fine) and handle ${dropped.length > 1 ? 'them' : 'it'} in \`perform\`.`
        }
        findings.push(findingAt(context, pair.pointer, `${pair.pointer}/choices`, message, 'warning'))
      }
    }
    return findings
  }
})

function list(values: Json[]): string {
  const shown = values.slice(0, 6).map((value) => `\`${showValue(value)}\``)
  return values.length > 6 ? `${shown.join(', ')} and ${values.length - 6} more` : shown.join(', ')
}
