// Removing (or renaming) a field of an existing action drops what customers mapped into it;
// when it was required, `perform` received it on every event.
import { defineRule, type RawFinding } from '../rule.js'
import {
  bothRevisions,
  fieldGroups,
  fieldPointer,
  findingAt,
  removedKeyFinding,
  removedKeys,
  renamedKeys,
  requirementOf
} from './metadata-diff.js'

export const fieldRemoved = defineRule({
  id: 'compat/field-removed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Field removed or renamed (an error when it was required, else a warning)',
  docs: {
    why:
      'Existing mappings hold a value for the field under its key. When the key disappears (deleted, or renamed — a rename is a ' +
      "removal plus an addition) that data silently stops reaching `perform`, and the customer's mapping no longer matches the action. " +
      'Removing a required field is an error: every customer filled it.',
    fix: 'Keep the field under its key (make it optional if you no longer need it). For a rename, keep the old key and read `payload.newKey ?? payload.oldKey`.',
    bad: 'fields: { userId, emailAddress } // was { userId, email }',
    good: 'fields: { userId, email, emailAddress }\n// perform: const email = payload.emailAddress ?? payload.email'
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'field') continue
      const renames = renamedKeys(group)
      for (const key of removedKeys(group.base, group.head)) {
        const removed = group.base.entries.get(key)
        const wasRequired = requirementOf(removed) === 'required'
        const renamedTo = renames.get(key)
        if (renamedTo === undefined) {
          const message =
            `${wasRequired ? 'Required f' : 'F'}ield \`${key}\` was removed from ${group.owner}. ` +
            `Existing mappings still fill \`${key}\`${wasRequired ? ' (every one of them, since it was required)' : ''}; that data no longer reaches \`perform\`. ` +
            `Keep \`${key}\` in the action (optional, if you no longer need it).`
          findings.push(removedKeyFinding(context, group, key, message, wasRequired ? 'error' : 'warning'))
          continue
        }
        // A rename is one defect with one fix, reported at the new key (compat/new-required-field stays silent on it).
        const requirement = requirementOf(group.head.entries.get(renamedTo))
        const nowRequired = requirement === 'required' || requirement === 'conditional'
        const message =
          `${wasRequired ? 'Required f' : 'F'}ield \`${key}\` of ${group.owner} looks renamed to \`${renamedTo}\`. ` +
          `Existing mappings fill \`${key}\`, so \`${renamedTo}\` is empty for them${nowRequired ? ' and, being required, fails validation' : ''}. ` +
          `Keep \`${key}\` beside \`${renamedTo}\`${nowRequired ? `, make \`${renamedTo}\` optional,` : ''} and read \`payload.${renamedTo} ?? payload.${key}\`.`
        findings.push(
          findingAt(
            context,
            fieldPointer(group, renamedTo),
            fieldPointer(group, key),
            message,
            wasRequired || nowRequired ? 'error' : 'warning'
          )
        )
      }
    }
    return findings
  }
})
