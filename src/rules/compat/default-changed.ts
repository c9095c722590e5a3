// Defaults, default subscriptions and presets only shape new mappings and quick setup; a
// change is noted for reviewers, because existing customers keep what they saved.
import { escapePointer, type Json, type JsonObject } from '../../model/serialize-metadata.js'
import { defineRule, type IntegrationRuleContext, type RawFinding } from '../rule.js'
import { BATCH_KEYS_FIELD } from './batch-keys-changed.js'
import {
  atWrittenProperty,
  bothRevisions,
  commonActions,
  commonFields,
  containsUnresolved,
  describeField,
  fieldGroups,
  findingAt,
  isJsonObject,
  jsonEqual,
  showValue
} from './metadata-diff.js'

export const defaultChanged = defineRule({
  id: 'compat/default-changed',
  category: 'compat',
  stages: { 'private-beta': 'info' },
  who: 'everyone',
  title: 'Default, default subscription or preset changed',
  docs: {
    why:
      'A field `default`, an action `defaultSubscription` or a preset only applies when a mapping is created; existing mappings keep ' +
      'what they saved. The change is safe at run time, but customers end up with two behaviours, which reviewers want to know about.',
    fix: 'Nothing to fix when the change is intended; mention it in the pull request description.',
    bad: "event_name: { ..., default: { '@path': '$.properties.name' } } // was '$.event'",
    good: "event_name: { ..., default: { '@path': '$.event' } }"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const { base, head } = revisions
    const findings: RawFinding[] = []
    for (const group of fieldGroups(base, head)) {
      for (const pair of commonFields(group)) {
        if (group.kind === 'field' && pair.key === BATCH_KEYS_FIELD) continue
        const before = pair.base.default ?? null
        const after = pair.head.default ?? null
        // A default added where there was none changes nothing anyone saved.
        if (before === null || containsUnresolved(before) || containsUnresolved(after) || jsonEqual(before, after)) continue
        findings.push(
          findingAt(
            context,
            pair.pointer,
            `${pair.pointer}/default`,
            `The default of ${describeField(group, pair.key)} changed from ${showValue(before)} to ${showValue(after)}. ` +
              'It applies to new mappings only; existing ones keep the old value, so customers will see two behaviours. Mention it in the pull request if intended.',
            'info'
          )
        )
      }
    }
    for (const action of commonActions(base, head)) {
      const before = action.base.defaultSubscription ?? null
      const after = action.head.defaultSubscription ?? null
      if (containsUnresolved(before) || containsUnresolved(after) || jsonEqual(before, after)) continue
      const finding = findingAt(
        context,
        action.pointer,
        `${action.pointer}/defaultSubscription`,
        `The \`defaultSubscription\` of action \`${action.key}\` changed from ${showValue(before)} to ${showValue(after)}. ` +
          'It applies to new subscriptions only; existing ones keep their trigger. Mention it in the pull request if intended.',
        'info'
      )
      findings.push(atWrittenProperty(context, ['actions', action.key, 'defaultSubscription'], finding))
    }
    findings.push(...presetChanges(context, base, head))
    return findings
  }
})

/** Presets are matched by name: a preset whose name disappeared was removed or renamed. */
function presetChanges(context: IntegrationRuleContext, base: JsonObject, head: JsonObject): RawFinding[] {
  const basePresets = base.presets
  const headPresets = head.presets
  if (!Array.isArray(basePresets) || !Array.isArray(headPresets)) return []
  const byName = (presets: Json[]) => {
    const named = new Map<string, { index: number; preset: JsonObject }>()
    presets.forEach((preset, index) => {
      if (isJsonObject(preset) && typeof preset.name === 'string' && !named.has(preset.name)) named.set(preset.name, { index, preset })
    })
    return named
  }
  const before = byName(basePresets)
  const after = byName(headPresets)
  const headComplete = headPresets.every((preset) => isJsonObject(preset) && typeof preset.name === 'string')
  const findings: RawFinding[] = []
  for (const [name, { preset }] of before) {
    const current = after.get(name)
    if (!current) {
      if (!headComplete) continue
      const finding = findingAt(
        context,
        '',
        `/presets/${escapePointer(name)}`,
        `Preset "${name}" was removed or renamed. Quick setup no longer offers it; subscriptions created from it are unaffected. Mention it in the pull request if intended.`,
        'info'
      )
      findings.push(atWrittenProperty(context, ['presets'], finding))
      continue
    }
    const changes = presetDifferences(preset, current.preset, base, head)
    if (changes.length === 0) continue
    findings.push(
      findingAt(
        context,
        `/presets/${current.index}`,
        `/presets/${escapePointer(name)}`,
        `Preset "${name}" changed (${changes.join(', ')}). New quick setups get the new version; subscriptions created from the old one keep it. Mention it in the pull request if intended.`,
        'info'
      )
    )
  }
  return findings
}

const PRESET_PROPERTIES = ['type', 'partnerAction', 'subscribe', 'eventSlug']

/**
 * What changed in a preset. Mapping entries built from field defaults (`defaultValues(fields)`)
 * follow the fields: a changed field default is reported on the field, a new field adds an entry —
 * neither is reported again here.
 */
function presetDifferences(before: JsonObject, after: JsonObject, base: JsonObject, head: JsonObject): string[] {
  if (containsUnresolved(before) || containsUnresolved(after)) return []
  const changes = PRESET_PROPERTIES.filter((property) => !jsonEqual(before[property] ?? null, after[property] ?? null)).map(
    (property) => `\`${property}\``
  )
  const beforeMapping = before.mapping
  const afterMapping = after.mapping
  if (!isJsonObject(beforeMapping) || !isJsonObject(afterMapping)) return changes
  const changedKeys: string[] = []
  for (const key of Object.keys(beforeMapping)) {
    const old = beforeMapping[key]
    const current = afterMapping[key]
    if (jsonEqual(old, current)) continue
    const followsDefaults =
      jsonEqual(old, fieldDefault(base, before.partnerAction, key)) &&
      jsonEqual(current ?? null, fieldDefault(head, after.partnerAction, key) ?? null)
    if (!followsDefaults) changedKeys.push(key)
  }
  if (changedKeys.length > 0) changes.push(`mapping of ${changedKeys.map((key) => `\`${key}\``).join(', ')}`)
  return changes
}

function fieldDefault(metadata: JsonObject, actionKey: Json | undefined, fieldKey: string): Json | undefined {
  if (typeof actionKey !== 'string' || !isJsonObject(metadata.actions)) return undefined
  const action = metadata.actions[actionKey]
  if (!isJsonObject(action) || !isJsonObject(action.fields)) return undefined
  const field = action.fields[fieldKey]
  return isJsonObject(field) ? field.default : undefined
}
