// structure/preset-action-exists: a preset's `partnerAction` must be a key of the destination's actions.
import { defineRule, type RawFinding } from '../rule.js'
import { findingAt, isCompleteMap, isUnresolvedJson, presetsOf } from '../support/destination-entries.js'

export const presetActionExists = defineRule({
  id: 'structure/preset-action-exists',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Presets name an existing action',
  docs: {
    why: 'A preset creates a mapping for the action named by `partnerAction` when a customer connects the destination. An unknown key makes Segment\'s `validate` fail (it even crashes on it) and the preset can never be applied.',
    fix: 'Set `partnerAction` to the exact key of an action in the destination\'s `actions` map.',
    bad: "presets: [\n  { name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvents', mapping: defaultValues(trackEvent.fields) }\n]",
    good: "presets: [\n  { name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }\n]"
  },
  scope: 'integration',
  check(context) {
    const actions = context.head.metadata?.actions
    if (!isCompleteMap(actions)) return []
    const findings: RawFinding[] = []
    const known = Object.keys(actions)
    for (const entry of presetsOf(context)) {
      const partnerAction = entry.preset.partnerAction
      if (isUnresolvedJson(partnerAction)) continue
      if (typeof partnerAction === 'string' && Object.prototype.hasOwnProperty.call(actions, partnerAction)) continue
      const problem = typeof partnerAction === 'string' ? `names the action "${partnerAction}", which the destination does not define` : 'has no `partnerAction`'
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${entry.label} ${problem}. Set \`partnerAction\` to one of ${known.map((key) => `"${key}"`).join(', ') || 'the action keys'}; otherwise the preset can never be applied and Segment's \`validate\` fails.`,
          undefined,
          typeof partnerAction === 'string' ? 'partnerAction' : undefined
        )
      )
    }
    return findings
  }
})
