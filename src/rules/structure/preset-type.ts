// structure/preset-type: a preset needs a `type`; `automatic` presets a `subscribe` FQL, `specificEvent`
// presets an `eventSlug`.
import { defineRule, type RawFinding } from '../rule.js'
import { findingAt, isUnresolvedJson, presetsOf } from '../support/destination-entries.js'

const PRESET_TYPES = ['automatic', 'specificEvent']

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

export const presetType = defineRule({
  id: 'structure/preset-type',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Presets have a type and what the type needs',
  docs: {
    why: "Segment applies an `automatic` preset to events matching its `subscribe` FQL, and a `specificEvent` preset to the Engage event named by `eventSlug`. actions-core's `Preset` type requires the `type` and what it needs, so a preset without them does not compile, and Segment cannot tell which events to apply it to.",
    fix: "Add `type: 'automatic'` with a `subscribe` FQL such as `type = \"track\"`, or `type: 'specificEvent'` with an `eventSlug`.",
    bad: "{ name: 'Track Event', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }",
    good: "{ name: 'Track Event', type: 'automatic', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields) }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of presetsOf(context)) {
      const { type, subscribe, eventSlug } = entry.preset
      if (isUnresolvedJson(type)) continue
      let problem: string | undefined
      let property: string | undefined
      if (isMissing(type))
        problem = "has no `type`; add `type: 'automatic'` with a `subscribe` FQL, or `type: 'specificEvent'` with an `eventSlug`"
      else if (typeof type !== 'string' || !PRESET_TYPES.includes(type)) {
        property = 'type'
        problem = `has \`type: ${JSON.stringify(type)}\`; use 'automatic' or 'specificEvent'`
      } else if (type === 'automatic' && !isUnresolvedJson(subscribe) && isMissing(subscribe))
        problem = 'is `automatic` but has no `subscribe` FQL saying which events it applies to (e.g. `type = "track"`)'
      else if (type === 'specificEvent' && !isUnresolvedJson(eventSlug) && isMissing(eventSlug))
        problem = 'is `specificEvent` but has no `eventSlug` naming the Engage event it applies to'
      if (!problem) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${entry.label} ${problem}. actions-core's \`Preset\` type requires it, and without it Segment cannot tell which events the preset applies to.`,
          undefined,
          property
        )
      )
    }
    return findings
  }
})
