// Removing (or renaming) a field of an existing action drops what customers mapped into it;
// when it was required, `perform` received it on every event.
import { defineRule, type RawFinding } from '../rule.js'
import { atWrittenProperty, bothRevisions, fieldGroups, fieldPointer, findingAt, isJsonObject, likelyRenameTarget, removedKeys, requirementOf, type MetadataNode } from './metadata-diff.js'

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
    bad: "fields: { userId, emailAddress } // was { userId, email }",
    good: "fields: { userId, email, emailAddress }\n// perform: const email = payload.emailAddress ?? payload.email"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'field') continue
      for (const key of removedKeys(group.base, group.head)) {
        const removed = group.base.entries.get(key)
        const wasRequired = requirementOf(removed) === 'required'
        const renamedTo = likelyRenameTarget(group.base, group.head, key, sameFieldType)
        const message =
          `${wasRequired ? 'Required f' : 'F'}ield \`${key}\` was removed from ${group.owner} or renamed` +
          `${renamedTo ? ` — it looks renamed to \`${renamedTo}\`` : ''}. ` +
          `Existing mappings still fill \`${key}\`${wasRequired ? ' (every one of them, since it was required)' : ''}; that data no longer reaches \`perform\`. ` +
          (renamedTo
            ? `Keep \`${key}\` beside \`${renamedTo}\` and read \`payload.${renamedTo} ?? payload.${key}\`.`
            : `Keep \`${key}\` in the action (optional, if you no longer need it).`)
        // Reported where the fields are listed in head: that is where the key should be kept.
        findings.push(atWrittenProperty(context, group.definitionPath, findingAt(context, group.ownerPointer, fieldPointer(group, key), message, wasRequired ? 'error' : 'warning')))
      }
    }
    return findings
  }
})

function sameFieldType(removed: MetadataNode, added: MetadataNode): boolean {
  return isJsonObject(removed) && isJsonObject(added) && typeof removed.type === 'string' && removed.type === added.type
}
