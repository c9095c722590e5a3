// An existing optional field or setting made required breaks the mappings and settings that
// leave it empty. A conditional requirement made unconditional breaks the ones outside the condition.
import { defineRule, type RawFinding } from '../rule.js'
import { bothRevisions, capitalize, commonFields, describeField, fieldGroups, findingAt, requirementOf } from './metadata-diff.js'

export const fieldBecameRequired = defineRule({
  id: 'compat/field-became-required',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Existing field or setting became required',
  docs: {
    why:
      'Mappings and settings saved while the field was optional may leave it empty; once it is required, validation rejects their ' +
      'events. `required: { conditions: [...] }` → `required: true` is as breaking as `false` → `true` for the mappings outside ' +
      'the condition, and `false` → conditional breaks the mappings that meet the condition.',
    fix: 'Keep the field optional and handle a missing value in `perform` (a default, or skip the part of the request that needs it).',
    bad: "email: { label: 'Email', type: 'string', required: true } // was required: false",
    good: "email: { label: 'Email', type: 'string', required: false }\n// perform: if (!payload.email) return skipUnidentified()"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind === 'property') continue
      for (const pair of commonFields(group)) {
        const before = requirementOf(pair.base)
        const after = requirementOf(pair.head)
        const what = describeField(group, pair.key)
        const holders = group.kind === 'field' ? 'mappings' : 'connected destinations'
        let message: string | undefined
        let severity: 'error' | 'warning' = 'error'
        if (before === 'optional' && after === 'required') {
          message = `${capitalize(what)} changed from optional to required. Existing ${holders} that leave it empty will fail validation once this ships.`
        } else if (before === 'conditional' && after === 'required') {
          message = `${capitalize(what)} changed from conditionally required to always required. Existing ${holders} outside the old conditions may leave it empty and will fail validation once this ships.`
        } else if (before === 'optional' && after === 'conditional') {
          severity = 'warning'
          message = `${capitalize(what)} changed from optional to conditionally required. Existing ${holders} that meet the conditions but leave it empty will fail validation once this ships.`
        }
        if (!message) continue
        message += ` Keep \`${pair.key}\` as it was and handle a missing value in ${group.kind === 'field' ? '`perform`' : 'the code that reads it'} instead.`
        findings.push(findingAt(context, pair.pointer, pair.pointer, message, severity))
      }
    }
    return findings
  }
})
