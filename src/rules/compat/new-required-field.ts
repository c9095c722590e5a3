// A field or setting added to an existing action or destination as required breaks every
// customer already using it: their mappings and settings have no value for it.
import { defineRule, type RawFinding } from '../rule.js'
import {
  addedKeys,
  bothRevisions,
  describeField,
  fieldGroups,
  fieldPointer,
  findingAt,
  renamedKeys,
  requirementOf
} from './metadata-diff.js'

export const newRequiredField = defineRule({
  id: 'compat/new-required-field',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'New required field or setting on an existing integration',
  docs: {
    why:
      'Customers already using the action have mappings (and destinations have settings) without the new key. Validation rejects ' +
      'their events once it is required. A `default` does not help: defaults are written into new mappings only, never into ' +
      'existing ones. A conditionally required new field breaks the mappings that meet its conditions.',
    fix: 'Add the field or setting as optional and fall back to a default value in `perform` (or `extendRequest`) when it is missing.',
    bad: "fields: { ...commonFields, currency: { label: 'Currency', type: 'string', required: true, default: 'USD' } }",
    good: "fields: { ...commonFields, currency: { label: 'Currency', type: 'string', required: false } }\n// perform: const currency = payload.currency ?? 'USD'"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      // Object properties made required are a change of the field's type (compat/field-type-changed).
      if (group.kind === 'property') continue
      // The new key of a rename is reported, with its one fix, by compat/setting-removed or compat/field-removed.
      const renameTargets = new Set(renamedKeys(group).values())
      for (const key of addedKeys(group.base, group.head)) {
        if (renameTargets.has(key)) continue
        const requirement = requirementOf(group.head.entries.get(key))
        if (requirement !== 'required' && requirement !== 'conditional') continue
        const pointer = fieldPointer(group, key)
        const what = describeField(group, key)
        const isSetting = group.kind !== 'field'
        const holders = isSetting
          ? 'Destinations customers have already connected have no value for it'
          : 'Existing mappings of this action have no value for it'
        const fallback = isSetting
          ? 'read it with a fallback where it is used (`perform`, `extendRequest`)'
          : 'fall back to a default value in `perform` when it is missing'
        const message =
          requirement === 'required'
            ? `New ${what} is required. ${holders}, so validation will reject them as soon as this ships; a \`default\` does not help, ` +
              `because defaults are only written into new ${isSetting ? 'settings' : 'mappings'}. Add \`${key}\` as optional (\`required: false\`) and ${fallback}.`
            : `New ${what} is conditionally required. ${holders}, so the ones that meet its conditions will fail validation as soon as this ships. ` +
              `Add \`${key}\` as optional and ${fallback}.`
        findings.push(findingAt(context, pointer, pointer, message, requirement === 'required' ? 'error' : 'warning'))
      }
    }
    return findings
  }
})
