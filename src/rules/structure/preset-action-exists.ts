// structure/preset-action-exists: a preset's `partnerAction` must be a key of the destination's actions.
import { defineRule, type RawFinding } from '../rule.js'
import { browserDestinationDefining, companionActions } from '../support/companion-plugins.js'
import { findingAt, isCompleteMap, isUnresolvedJson, presetsOf } from '../support/destination-entries.js'
import { editDistance } from '../support/semantic-event-names.js'

export const presetActionExists = defineRule({
  id: 'structure/preset-action-exists',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Presets name an existing action',
  docs: {
    why: "A preset creates a mapping for the action named by `partnerAction` when a customer connects the destination. An unknown key makes Segment's `validate` fail (it even crashes on it) and the preset can never be applied. Segment's registry merges a cloud destination with its companion browser plugin (`browser-destinations/destinations/<slug>-plugins`), so a preset may name an action of the plugin.",
    fix: "Set `partnerAction` to the exact key of an action in the destination's `actions` map (or of its companion browser plugin).",
    bad: "presets: [\n  { name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvents', mapping: defaultValues(trackEvent.fields) }\n]",
    good: "presets: [\n  { name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }\n]"
  },
  scope: 'integration',
  check(context) {
    const actions = context.head.metadata?.actions
    if (!isCompleteMap(actions)) return []
    const findings: RawFinding[] = []
    const known = Object.keys(actions)
    let companion: ReturnType<typeof companionActions> | undefined
    for (const entry of presetsOf(context)) {
      const partnerAction = entry.preset.partnerAction
      if (isUnresolvedJson(partnerAction)) continue
      if (typeof partnerAction === 'string' && Object.prototype.hasOwnProperty.call(actions, partnerAction)) continue
      if (typeof partnerAction !== 'string') {
        findings.push(
          findingAt(
            context,
            entry.pointer,
            `The ${entry.label} has no \`partnerAction\`. Set it to one of ${known.map((key) => `"${key}"`).join(', ') || 'the action keys'}; otherwise the preset can never be applied and Segment's \`validate\` fails.`
          )
        )
        continue
      }
      companion ??= companionActions(context)
      if (companion.kind === 'known' && companion.keys.includes(partnerAction)) continue
      if (companion.kind === 'unreadable') continue
      if (browserDestinationDefining(context, partnerAction) !== undefined) continue
      const companionKeys = companion.kind === 'known' ? companion.keys : []
      const misspelt = [...known, ...companionKeys].find(
        (key) => key.toLowerCase() === partnerAction.toLowerCase() || editDistance(key, partnerAction, 2) <= 2
      )
      const choices = [...known, ...companionKeys]
      const where =
        companion.kind === 'known'
          ? `neither the destination nor its companion browser plugin (${companion.path}) defines`
          : companion.kind === 'unknown'
            ? 'the destination does not define (and the review holds no browser destinations)'
            : 'neither the destination nor any browser destination of the review defines'
      // A misspelling is a defect. Any other name may be an action of the browser plugin Segment's
      // registry links by destination ID, outside the reviewed files: a human must check.
      const unknownCompanion = !misspelt && companion.kind !== 'known'
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${entry.label} names the action "${partnerAction}", which ${where}${misspelt ? ` (did you mean "${misspelt}"?)` : ''}. Set \`partnerAction\` to one of ${choices.map((key) => `"${key}"`).join(', ') || 'the action keys'}; otherwise the preset can never be applied and Segment's \`validate\` fails.${unknownCompanion ? ` If "${partnerAction}" is an action of the destination's browser plugin (registered under the same destination ID) outside the reviewed files, this is fine.` : ''}`,
          unknownCompanion ? 'warning' : undefined,
          'partnerAction'
        )
      )
    }
    return findings
  }
})
