// spec/default-subscription-present: an event-sending action should say which events it wants,
// so a mapping created from the action starts with a sensible trigger.
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer, pointerOf } from '../support/definition-location.js'
import { actionKind } from '../support/event-sending-actions.js'
import { knownEntries } from '../support/metadata-values.js'

export default defineRule({
  id: 'spec/default-subscription-present',
  category: 'spec',
  stages: { public: 'info' },
  who: 'everyone',
  title: 'Event actions have a default subscription',
  docs: {
    why: '`defaultSubscription` is the trigger Segment pre-fills when a customer adds a mapping for the action. Without it the customer must write FQL by hand, and a mistake there silently sends the wrong events.',
    fix: 'Add `defaultSubscription` with the events the action is meant for, for example `type = "track"` or `type = "identify"`.',
    bad: "const trackEvent: ActionDefinition<Settings, Payload> = { title: 'Track Event', fields, perform }",
    good: "const trackEvent: ActionDefinition<Settings, Payload> = { title: 'Track Event', defaultSubscription: 'type = \"track\"', fields, perform }"
  },
  scope: 'integration',
  check(context) {
    const metadata = context.head.metadata
    if (!metadata || context.integration.kind === 'source') return []
    const findings: RawFinding[] = []
    for (const [actionKey, action] of knownEntries(metadata.actions)) {
      if (action.defaultSubscription !== null && action.defaultSubscription !== '') continue
      if (actionKind(metadata, action) !== 'event') continue
      const pointer = pointerOf('actions', actionKey)
      const location = locatePointer(context.head, pointer)
      findings.push({
        path: location.path,
        line: location.line,
        column: location.column,
        key: `${pointer}/defaultSubscription`,
        message: `Action "${actionKey}" sends events but has no \`defaultSubscription\`, so customers must write its trigger by hand. Add one such as \`defaultSubscription: 'type = "track"'\`.`
      })
    }
    return findings
  }
})
