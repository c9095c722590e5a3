// Removing (or renaming) a setting loses the value every connected destination stored under its key.
import { defineRule, type RawFinding } from '../rule.js'
import { atWrittenProperty, bothRevisions, capitalize, describeField, fieldGroups, fieldPointer, findingAt, isJsonObject, likelyRenameTarget, removedKeys, type MetadataNode } from './metadata-diff.js'

export const settingRemoved = defineRule({
  id: 'compat/setting-removed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Setting removed or renamed',
  docs: {
    why:
      'Connected destinations store setting values under their keys. A removed setting loses its value; a renamed one (a removal ' +
      'plus an addition) starts empty for every customer, so requests that need it fail.',
    fix: 'Keep the setting under its key. For a rename, keep the old key beside the new one and read `settings.newKey ?? settings.oldKey`.',
    bad: "fields: { apiToken } // was { apiKey }",
    good: "fields: { apiKey, apiToken }\n// extendRequest: const token = settings.apiToken ?? settings.apiKey"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'setting' && group.kind !== 'audience-setting') continue
      const collection = group.kind === 'setting' ? 'settings' : 'audienceSettings'
      for (const key of removedKeys(group.base, group.head)) {
        const renamedTo = likelyRenameTarget(group.base, group.head, key, sameSettingType)
        const message =
          `${capitalize(describeField(group, key))} was removed or renamed` +
          `${renamedTo ? ` — it looks renamed to \`${renamedTo}\`` : ''}. ` +
          `Every connected destination stored a value under \`${key}\`; ${renamedTo ? `\`${renamedTo}\` starts empty for all of them` : 'that value is lost'}. ` +
          (renamedTo
            ? `Keep \`${key}\` beside \`${renamedTo}\` and read \`${collection}.${renamedTo} ?? ${collection}.${key}\`.`
            : `Keep \`${key}\` (optional, if you no longer need it).`)
        // Reported where the fields are listed in head: that is where the key should be kept.
        findings.push(atWrittenProperty(context, group.definitionPath, findingAt(context, group.ownerPointer, fieldPointer(group, key), message, 'error')))
      }
    }
    return findings
  }
})

function sameSettingType(removed: MetadataNode, added: MetadataNode): boolean {
  return isJsonObject(removed) && isJsonObject(added) && typeof removed.type === 'string' && removed.type === added.type
}
