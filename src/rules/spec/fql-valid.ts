// spec/fql-valid: every `defaultSubscription` and automatic preset `subscribe` must parse with
// Segment's own `parseFql`, as `./bin/run validate` demands before a destination can ship.
import { defineRule } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { parseSubscription, subscriptionsOf } from '../support/fql-subscriptions.js'
import { calledFunctions, comparedFields, fqlTokens, maxParenDepth } from '../support/fql-tokens.js'

const ROOT_FIELDS = ['type', 'event', 'name', 'userId', 'properties', 'traits', 'context']

/** The likely cause of a parse failure, in words; parseFql's own messages are internal TypeErrors. */
function likelyCause(fql: string): string | undefined {
  if (fql.trim() === '') return 'it is empty'
  const tokens = fqlTokens(fql)
  const opened = tokens.filter((token) => token.kind === 'paren-left').length
  const closed = tokens.filter((token) => token.kind === 'paren-right').length
  if (opened !== closed) return `its parentheses are unbalanced (${opened} "(" and ${closed} ")")`
  if (maxParenDepth(tokens) > 1) return 'it nests parentheses, which parseFql does not support'
  const unknownFunction = calledFunctions(tokens).find((call) => call.name !== 'contains' && call.name !== 'match')
  if (unknownFunction) return `it calls \`${unknownFunction.name}()\`, which parseFql does not support (only contains() and match())`
  const unknownField = comparedFields(tokens).find((field) => !ROOT_FIELDS.includes(field.split('.')[0]))
  if (unknownField) return `\`${unknownField}\` is not a field parseFql knows (${ROOT_FIELDS.join(', ')})`
  return undefined
}

export default defineRule({
  id: 'spec/fql-valid',
  category: 'spec',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Subscriptions are valid FQL',
  docs: {
    why: "Segment parses `defaultSubscription` and the `subscribe` of automatic presets with `parseFql` of `@segment/destination-subscriptions`. A subscription it cannot parse fails Segment's `validate` command, and the action never receives an event.",
    fix: 'Write the subscription in the FQL subset Actions supports: `type`, `event`, `name`, `userId`, `properties.*`, `traits.*`, `context.*` compared with `=`, `!=`, `<`, `<=`, `>`, `>=` to double-quoted strings, numbers, `true`, `false` or `null`, joined by `and`/`or`, plus `contains()` and `match()`.',
    bad: "defaultSubscription: 'anonymousId != null'",
    good: 'defaultSubscription: \'type = "identify" and userId != null\''
  },
  scope: 'integration',
  check(context) {
    return subscriptionsOf(context.head).flatMap((subscription) => {
      // Locating a pointer costs more than parsing the subscription: only a finding needs it.
      const locatedAt = () => {
        const location = locatePointer(context.head, subscription.pointer)
        return { path: location.path, line: location.line, column: location.column, key: subscription.pointer }
      }
      if (typeof subscription.value !== 'string') {
        return [
          {
            ...locatedAt(),
            message: `\`${subscription.settingKey}\` of ${subscription.owner} is not a string. Segment expects an FQL string such as \`type = "track"\`.`
          }
        ]
      }
      const parsed = parseSubscription(subscription.value)
      if (!('error' in parsed)) return []
      const fql = subscription.value.trim() === '' ? 'an empty string' : `\`${subscription.value}\``
      const cause = likelyCause(subscription.value) ?? `parseFql says: ${parsed.error.message}`
      return [
        {
          ...locatedAt(),
          message: `\`${subscription.settingKey}\` of ${subscription.owner} is ${fql}, which Segment's parseFql rejects: ${cause}. Segment's \`validate\` fails on it and the subscription matches no event; write it with the supported fields (type, event, name, userId, properties.*, traits.*, context.*), double-quoted values and at most one level of parentheses.`
        }
      ]
    })
  }
})
