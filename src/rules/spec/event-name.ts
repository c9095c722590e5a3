// spec/event-name: an event name a subscription matches should be the Spec's semantic event
// when it is nearly one ("Order Complete", "Completed Order"); Segment's sources send the Spec name.
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { parseSubscription, subscriptionsOf } from '../support/fql-subscriptions.js'
import { fqlTokens, positiveEventNames } from '../support/fql-tokens.js'
import { nearMissOfSemanticEvent } from '../support/semantic-event-names.js'

export default defineRule({
  id: 'spec/event-name',
  category: 'spec',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'everyone',
  title: 'Subscribed event names match the Spec',
  docs: {
    why: 'Customers send the semantic events of the Segment Spec exactly as named ("Order Completed", "Signed Up"). A subscription on a near miss ("Order Complete", "Completed Order", "Sign Up", a typo) matches none of their events, so the preset or default mapping silently does nothing.',
    fix: 'Use the exact Spec name (https://segment.com/docs/connections/spec/semantic/). Custom events that are not Spec events are fine; only names close to a Spec name are flagged.',
    bad: 'subscribe: \'type = "track" and event = "Completed Order"\'',
    good: 'subscribe: \'type = "track" and event = "Order Completed"\''
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const subscription of subscriptionsOf(context.head)) {
      if (typeof subscription.value !== 'string') continue
      const reported = new Set<string>()
      // An unparsable subscription is fql-valid's to report.
      if ('error' in parseSubscription(subscription.value)) continue
      // Negated clauses (`event != "X"`, `!(event = "X")`) subscribe to nothing: only positive names count.
      for (const name of positiveEventNames(fqlTokens(subscription.value))) {
        if (reported.has(name) || name === 'eos') continue
        const miss = nearMissOfSemanticEvent(name, context.spec)
        if (!miss) continue
        reported.add(name)
        const location = locatePointer(context.head, subscription.pointer)
        findings.push({
          path: location.path,
          line: location.line,
          column: location.column,
          key: `${subscription.pointer}#${name}`,
          // A synonym or v1 name may be what the destination's customers send: likely, not shown.
          ...(miss.alternative ? { severity: 'warning' as const } : {}),
          message: miss.isSpecEvent
            ? `\`${subscription.settingKey}\` of ${subscription.owner} matches the event "${name}", but the Segment Spec event is "${miss.specName}" (${miss.reason}). Customers' sources send "${miss.specName}", so this subscription would miss their events; use the exact Spec name${miss.alternative ? ' (or match both names, if your customers send this one)' : ''}.`
            : `\`${subscription.settingKey}\` of ${subscription.owner} matches the event "${name}": ${miss.reason}. Sources send correctly spelled names, so this subscription would miss them; did you mean "${miss.specName}"?`
        })
      }
    }
    return findings
  }
})
