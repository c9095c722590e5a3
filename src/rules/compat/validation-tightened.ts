// Tighter validation on an existing field drops events that passed before: payload validation
// runs before `perform`, so the partner never sees them fail.
import { defineRule, type RawFinding } from '../rule.js'
import { bothRevisions, capitalize, commonFields, describeField, fieldGroups, findingAt, type MetadataNode } from './metadata-diff.js'

export const validationTightened = defineRule({
  id: 'compat/validation-tightened',
  category: 'compat',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Field validation tightened',
  docs: {
    why:
      'Segment validates the mapped payload against the fields before `perform` runs. A new or changed `format`, a higher `minimum`, ' +
      'a lower `maximum`, or `allowNull` / `additionalProperties` turned off rejects values existing mappings send today, and those events are dropped.',
    fix: 'Keep the old validation and check (or normalise) the value in `perform`, where you can decide what to do with it.',
    bad: "email: { label: 'Email', type: 'string', format: 'email' } // had no format",
    good: "email: { label: 'Email', type: 'string' }\n// perform: if (!isEmail(payload.email)) delete body.email"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'field' && group.kind !== 'property') continue
      for (const pair of commonFields(group)) {
        const changes = tightenings(pair.base, pair.head)
        if (changes.length === 0) continue
        findings.push(
          findingAt(
            context,
            pair.pointer,
            pair.pointer,
            `${capitalize(describeField(group, pair.key))} validates more strictly: ${changes.join('; ')}. ` +
              `Values existing mappings send today may now fail validation and the events are dropped before \`perform\` runs. ` +
              `Keep the old validation and check the value in \`perform\` instead.`,
            'warning'
          )
        )
      }
    }
    return findings
  }
})

function tightenings(base: { [key: string]: MetadataNode }, head: { [key: string]: MetadataNode }): string[] {
  const changes: string[] = []
  const absent = (value: MetadataNode) => value === null || value === undefined
  if (typeof head.format === 'string') {
    if (absent(base.format)) changes.push(`\`format: '${head.format}'\` added`)
    else if (typeof base.format === 'string' && base.format !== head.format)
      changes.push(`\`format\` changed from '${base.format}' to '${head.format}'`)
  }
  if (typeof head.minimum === 'number') {
    if (absent(base.minimum)) changes.push(`\`minimum: ${head.minimum}\` added`)
    else if (typeof base.minimum === 'number' && head.minimum > base.minimum)
      changes.push(`\`minimum\` raised from ${base.minimum} to ${head.minimum}`)
  }
  if (typeof head.maximum === 'number') {
    if (absent(base.maximum)) changes.push(`\`maximum: ${head.maximum}\` added`)
    else if (typeof base.maximum === 'number' && head.maximum < base.maximum)
      changes.push(`\`maximum\` lowered from ${base.maximum} to ${head.maximum}`)
  }
  if (base.allowNull === true && head.allowNull === false) changes.push('`allowNull` turned off (null values are rejected)')
  if (base.additionalProperties === true && head.additionalProperties === false)
    changes.push('`additionalProperties` turned off (unlisted keys are rejected)')
  return changes
}
