// spec/presets-present: a destination that receives events should ship at least one automatic
// preset, so connecting it does something useful without hand-made mappings.
import { defineRule } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { actionKind } from '../support/event-sending-actions.js'
import { isJsonObject, isUnresolvedMarker, knownEntries } from '../support/metadata-values.js'

export default defineRule({
  id: 'spec/presets-present',
  category: 'spec',
  stages: { public: 'warning' },
  who: 'everyone',
  title: 'Event destinations ship automatic presets',
  docs: {
    why: 'Automatic presets are the mappings Segment creates when a customer connects the destination. Without one, every customer must build each mapping by hand before any event flows, and Segment asks public destinations to provide presets for the common cases.',
    fix: "Add `presets` with `type: 'automatic'`, a `subscribe` FQL, the `partnerAction` and `mapping: defaultValues(action.fields)`.",
    bad: 'const destination: DestinationDefinition<Settings> = { name: "Acme", actions: { trackEvent } }',
    good: "presets: [{ name: 'Track Calls', subscribe: 'type = \"track\"', partnerAction: 'trackEvent', mapping: defaultValues(trackEvent.fields), type: 'automatic' }]"
  },
  scope: 'integration',
  check(context) {
    const metadata = context.head.metadata
    if (!metadata || context.integration.kind === 'source') return []
    const presets = metadata.presets
    if (!Array.isArray(presets)) return []
    let typeUnknown = false
    for (const preset of presets) {
      if (!isJsonObject(preset) || isUnresolvedMarker(preset) || isUnresolvedMarker(preset.type)) typeUnknown = true
      else if (preset.type === 'automatic') return []
    }
    if (typeUnknown) return []
    // Actions the model cannot classify are left out; one known event action is enough to ask for a preset.
    const eventActions = knownEntries(metadata.actions)
      .filter(([, action]) => actionKind(metadata, action) === 'event')
      .map(([key]) => key)
    if (eventActions.length === 0) return []
    const location = locatePointer(context.head, presets.length > 0 ? '/presets' : '')
    return [
      {
        path: location.path,
        line: location.line,
        column: location.column,
        key: '/presets',
        message: `The destination has event actions (${eventActions.map((key) => `"${key}"`).join(', ')}) but no automatic preset, so customers get no mapping when they connect it. Add a \`presets\` entry with \`type: 'automatic'\`, a \`subscribe\` FQL and \`mapping: defaultValues(<action>.fields)\` for the main action.`
      }
    ]
  }
})
