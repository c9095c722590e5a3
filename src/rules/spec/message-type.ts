// spec/message-type: `type = "x"` in a subscription must name one of the six Spec message types.
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { conditionsOf, parseSubscription, subscriptionsOf } from '../support/fql-subscriptions.js'
import { editDistance } from '../support/semantic-event-names.js'

/** Values `parseFql` produces for a missing or mangled value; spec/fql-pitfall reports those. */
function isMangledValue(value: string): boolean {
  return value === 'eos' || /^'.*'$/s.test(value) || ['=', '!=', '<', '<=', '>', '>=', 'and', 'or', '['].includes(value)
}

export default defineRule({
  id: 'spec/message-type',
  category: 'spec',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Subscriptions name real message types',
  docs: {
    why: 'Segment sends six message types: track, identify, page, screen, group and alias (lower case). A subscription on any other `type` value never matches, so the action receives nothing.',
    fix: 'Compare `type` with one of track, identify, page, screen, group, alias, spelled in lower case.',
    bad: 'defaultSubscription: \'type = "Track"\'',
    good: 'defaultSubscription: \'type = "track"\''
  },
  scope: 'integration',
  check(context) {
    const messageTypes = Object.keys(context.spec.messageTypes)
    const known = new Set(messageTypes)
    const findings: RawFinding[] = []
    for (const subscription of subscriptionsOf(context.head)) {
      if (typeof subscription.value !== 'string') continue
      const parsed = parseSubscription(subscription.value)
      const wrong = new Set<string>()
      for (const leaf of conditionsOf(parsed)) {
        if (leaf.type !== 'event-type' || typeof leaf.value !== 'string') continue
        if (known.has(leaf.value) || isMangledValue(leaf.value)) continue
        wrong.add(leaf.value)
      }
      for (const value of wrong) {
        const suggestion =
          messageTypes.find((type) => type === value.toLowerCase().trim()) ??
          messageTypes.find((type) => editDistance(type, value.toLowerCase(), 2) <= 2)
        const location = locatePointer(context.head, subscription.pointer)
        findings.push({
          path: location.path,
          line: location.line,
          column: location.column,
          key: `${subscription.pointer}#${value}`,
          message: `\`${subscription.settingKey}\` of ${subscription.owner} compares \`type\` with "${value}", which is not a Segment message type (${messageTypes.join(', ')}), so it never matches.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`
        })
      }
    }
    return findings
  }
})
