// Removing (or renaming) a setting loses the value every connected destination stored under its key.
import { defineRule, type RawFinding } from '../rule.js'
import {
  bothRevisions,
  capitalize,
  describeField,
  fieldGroups,
  fieldPointer,
  findingAt,
  removedKeyFinding,
  removedKeys,
  renamedKeys,
  requirementOf
} from './metadata-diff.js'

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
    bad: 'fields: { apiToken } // was { apiKey }',
    good: 'fields: { apiKey, apiToken }\n// extendRequest: const token = settings.apiToken ?? settings.apiKey'
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'setting' && group.kind !== 'audience-setting') continue
      const collection = group.kind === 'setting' ? 'settings' : 'audienceSettings'
      const renames = renamedKeys(group)
      for (const key of removedKeys(group.base, group.head)) {
        const renamedTo = renames.get(key)
        if (renamedTo === undefined) {
          const message =
            `${capitalize(describeField(group, key))} was removed. Every connected destination stored a value under \`${key}\`; that value is lost. ` +
            `Keep \`${key}\` (optional, if you no longer need it).`
          findings.push(removedKeyFinding(context, group, key, message, 'error'))
          continue
        }
        // A rename is one defect with one fix, reported at the new key (compat/new-required-field stays silent on it).
        const requirement = requirementOf(group.head.entries.get(renamedTo))
        const required = requirement === 'required' || requirement === 'conditional'
        const message =
          `${capitalize(describeField(group, key))} looks renamed to \`${renamedTo}\`. Every connected destination stored its value under \`${key}\`, ` +
          `so \`${renamedTo}\` starts empty for all of them${required ? ' and, being required, fails validation' : ''}. ` +
          `Keep \`${key}\` beside \`${renamedTo}\`${required ? `, make \`${renamedTo}\` optional,` : ''} and read \`${collection}.${renamedTo} ?? ${collection}.${key}\`.`
        const pointer = fieldPointer(group, renamedTo)
        findings.push(findingAt(context, pointer, fieldPointer(group, key), message, 'error'))
      }
    }
    return findings
  }
})
