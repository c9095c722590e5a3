// A changed `type` or `multiple`, or object properties made required, makes the values existing
// mappings produce fail validation (or reach `perform` in a shape it no longer expects).
import { defineRule, type IntegrationRuleContext, type RawFinding } from '../rule.js'
import {
  addedKeys,
  bothRevisions,
  capitalize,
  commonFields,
  describeField,
  fieldGroups,
  fieldPointer,
  findingAt,
  isUnresolvedValue,
  requirementOf,
  type FieldGroup
} from './metadata-diff.js'

/** `text` is `string` with a larger input box; `password` changes are compat/setting-weakened. */
const INTERCHANGEABLE = new Set(['string', 'text'])

export const fieldTypeChanged = defineRule({
  id: 'compat/field-type-changed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Field type, multiple or required object properties changed',
  docs: {
    why:
      'Existing mappings were built for the old shape: a number mapped into a field that is now a string, a single value into a ' +
      'field that now expects a list, or an object without a property that is now required all fail validation, and the events are dropped.',
    fix: 'Keep the field as it was and add a new optional field with the new shape; read both in `perform`.',
    bad: "quantity: { label: 'Quantity', type: 'string' } // was type: 'integer'",
    good: "quantity: { label: 'Quantity', type: 'integer' },\nquantity_text: { label: 'Quantity (text)', type: 'string' }"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      for (const pair of commonFields(group)) {
        const what = describeField(group, pair.key)
        const before = pair.base.type
        const after = pair.head.type
        if (
          typeof before === 'string' &&
          typeof after === 'string' &&
          before !== after &&
          !(INTERCHANGEABLE.has(before) && INTERCHANGEABLE.has(after)) &&
          before !== 'password' &&
          after !== 'password'
        ) {
          findings.push(
            findingAt(
              context,
              pair.pointer,
              `${pair.pointer}/type`,
              `${capitalize(what)} changed type from \`${before}\` to \`${after}\`. Values existing ${group.kind.includes('setting') ? 'destinations store' : 'mappings produce'} ` +
                `for \`${pair.key}\` are \`${before}\` values and will fail validation. Keep \`${pair.key}\` as \`${before}\` and add a new optional field for the new type.`,
              'error'
            )
          )
        }
        const wasMultiple = pair.base.multiple
        const isMultiple = pair.head.multiple
        if (typeof wasMultiple === 'boolean' && typeof isMultiple === 'boolean' && wasMultiple !== isMultiple) {
          findings.push(
            findingAt(
              context,
              pair.pointer,
              `${pair.pointer}/multiple`,
              `${capitalize(what)} changed from ${wasMultiple ? 'a list (`multiple: true`) to a single value' : 'a single value to a list (`multiple: true`)'}. ` +
                `Existing mappings send ${wasMultiple ? 'lists' : 'single values'} and will fail validation. Keep \`multiple: ${wasMultiple}\` and add a new optional field for the new shape.`,
              'error'
            )
          )
        }
      }
      if (group.kind === 'property') findings.push(...propertiesMadeRequired(context, group))
    }
    return findings
  }
})

/** An object that used to validate without a property fails once the property is required. */
function propertiesMadeRequired(context: IntegrationRuleContext, group: FieldGroup): RawFinding[] {
  const findings: RawFinding[] = []
  const report = (key: string, how: string) => {
    const pointer = fieldPointer(group, key)
    findings.push(
      findingAt(
        context,
        pointer,
        pointer,
        `${capitalize(describeField(group, key))} ${how}. Existing mappings build this object without it and will fail validation. ` +
          `Keep \`${key}\` optional and handle a missing value in \`perform\`.`,
        'error'
      )
    )
  }
  for (const key of addedKeys(group.base, group.head)) {
    const property = group.head.entries.get(key)
    if (!isUnresolvedValue(property) && requirementOf(property) === 'required') report(key, 'is new and required')
  }
  for (const pair of commonFields(group)) {
    const before = requirementOf(pair.base)
    if ((before === 'optional' || before === 'conditional') && requirementOf(pair.head) === 'required') report(pair.key, 'became required')
  }
  return findings
}
