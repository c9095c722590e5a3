// spec/fql-pitfall: FQL that Segment's `parseFql` accepts but silently changes. The parsed tree
// shows most of them; a few token-level facts (nesting, mixed conditionals, the name of a
// dropped field) fill in what the tree cannot show.
import type { SegmentSpec } from '../../spec/segment-spec.js'
import { defineRule } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { conditionsOf, hasEmptyCondition, parseSubscription, subscriptionsOf } from '../support/fql-subscriptions.js'
import {
  calledFunctions,
  comparedFields,
  comparisonsWithoutValue,
  fqlTokens,
  maxParenDepth,
  mixesConditionals,
  unquotedValues
} from '../support/fql-tokens.js'

const COMPARISON_OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>='])

function specList(spec: SegmentSpec, key: string): string[] {
  const value = (spec.fqlSubscriptions as Record<string, unknown>)[key]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

function rootFields(spec: SegmentSpec): Set<string> {
  const value = (spec.fqlSubscriptions as Record<string, unknown>).parseFqlRootFields
  return new Set(
    value && typeof value === 'object' ? Object.keys(value) : ['type', 'event', 'name', 'userId', 'properties', 'traits', 'context']
  )
}

/**
 * Problems that change what the subscription matches at runtime (errors), and the ones that only
 * make other FQL readers see a different condition (`bareWord`: parseFql, which Segment runs,
 * takes a bare word as text, so the subscription matches as meant).
 */
interface Pitfalls {
  problems: string[]
  bareWord: string | undefined
}

/**
 * The pitfalls of each distinct subscription string, per Spec: the same few strings recur in every
 * action, integration and base, and the analysis depends on nothing else. Bounded like the parse
 * cache; the results are shared, so callers only read them.
 */
const pitfallsBySpec = new WeakMap<SegmentSpec, Map<string, Readonly<Pitfalls>>>()
const PITFALLS_CACHE_LIMIT = 500

function cachedFqlPitfalls(fql: string, spec: SegmentSpec): Readonly<Pitfalls> {
  let cache = pitfallsBySpec.get(spec)
  if (!cache) pitfallsBySpec.set(spec, (cache = new Map<string, Readonly<Pitfalls>>()))
  let pitfalls = cache.get(fql)
  if (!pitfalls) {
    pitfalls = fqlPitfalls(fql, spec)
    if (cache.size >= PITFALLS_CACHE_LIMIT) cache.clear()
    cache.set(fql, pitfalls)
  }
  return pitfalls
}

/** What `parseFql` does wrong with this string, in words for the partner; empty when nothing. */
function fqlPitfalls(fql: string, spec: SegmentSpec): Pitfalls {
  const parsed = parseSubscription(fql)
  const result: Pitfalls = { problems: [], bareWord: undefined }
  if ('error' in parsed) return result
  const problems = result.problems
  const tokens = fqlTokens(fql)
  const leaves = conditionsOf(parsed)
  const roots = rootFields(spec)
  const functions = new Set(specList(spec, 'parseFqlFunctions'))
  const conditionOperators = new Set(specList(spec, 'parseFqlConditionOperators'))

  const dropped = [...new Set(comparedFields(tokens).filter((field) => !roots.has(field.split('.')[0]) && !functions.has(field)))]
  if (dropped.length > 0) {
    problems.push(
      `${dropped.map((field) => `\`${field}\``).join(', ')} ${dropped.length === 1 ? 'is not a field' : 'are not fields'} parseFql knows (only ${[...roots].join(', ')}; field names are case-sensitive), so ${dropped.length === 1 ? 'its clause is' : 'their clauses are'} silently dropped and the subscription matches more events than written`
    )
  }

  const withoutValue = comparisonsWithoutValue(tokens).map((token) => token.text)
  const eosLeaf = leaves.some((leaf) => 'value' in leaf && leaf.value === 'eos') && !tokens.some((token) => token.text === '"eos"')
  const operatorValue = leaves.some(
    (leaf) =>
      'value' in leaf &&
      typeof leaf.value === 'string' &&
      (COMPARISON_OPERATORS.has(leaf.value) || leaf.value === 'and' || leaf.value === 'or')
  )
  if (withoutValue.length > 0 || eosLeaf || operatorValue) {
    const fields = [...new Set(withoutValue)]
    problems.push(
      `${fields.length > 0 ? fields.map((field) => `\`${field}\``).join(', ') : 'a comparison'} has no value after its operator; parseFql does not fail but compares with a made-up value (such as "eos"), so the clause never matches what you meant`
    )
  }

  const unquoted = unquotedValues(tokens)
  if (unquoted.length > 0) {
    const examples = unquoted.map(({ field, value }) => `\`${field} = ${value}\``).join(', ')
    result.bareWord = `${examples} compares with a bare word; parseFql, which Segment runs, takes it as text, so it matches as meant, but in FQL a bare word is a field path, so the trigger editor and other FQL readers see a different condition. Quote the value: ${unquoted.map(({ field, value }) => `\`${field} = "${value}"\``).join(', ')}`
  }

  if (maxParenDepth(tokens) > 1) {
    problems.push(
      'it nests parentheses; parseFql ends a group at the first `)`, so nested groups are cut and the remaining clauses change meaning. Flatten it to one level of parentheses'
    )
  }

  if (mixesConditionals(tokens)) {
    problems.push(
      'it mixes `and` and `or` in one group without parentheses; parseFql keeps only the last conditional it sees for the whole group. Put parentheses around each `and` or `or` part'
    )
  }

  const singleQuoted = leaves.filter((leaf) => 'value' in leaf && typeof leaf.value === 'string' && /^'.*'$/s.test(leaf.value))
  if (singleQuoted.length > 0 || tokens.some((token) => token.kind === 'single-quoted')) {
    problems.push(
      "it uses single quotes; parseFql strips only double quotes, so the value keeps its quotes (`'track'` never equals track). Use double quotes"
    )
  }

  const unsupported = new Set<string>()
  for (const leaf of leaves) {
    if (!conditionOperators.has(leaf.operator)) unsupported.add(`\`${String(leaf.operator)}\``)
  }
  for (const call of calledFunctions(tokens)) {
    if (!functions.has(call.name)) unsupported.add(`\`${call.name}()\``)
    else if (call.name === 'match' && call.secondArgument?.kind === 'string') {
      const pattern = call.secondArgument.text.slice(1, -1)
      const inner = pattern.replace(/^\*/, '').replace(/\*$/, '')
      if (pattern === inner || /[*?[\]]/.test(inner))
        unsupported.add(`\`match()\` with the pattern "${pattern}" (only "prefix*" or "*suffix")`)
    }
  }
  if (unsupported.size > 0) {
    const inHint = unsupported.has('`in`') ? ' (write `in` as several comparisons joined by `or`, in parentheses)' : ''
    problems.push(
      `it uses ${[...unsupported].join(', ')}, which parseFql does not support and turns into a different condition; only \`contains()\`, \`match()\` with "prefix*" or "*suffix", and the comparison operators are supported${inHint}`
    )
  }

  if (problems.length === 0 && hasEmptyCondition(parsed)) {
    problems.push('parseFql left an empty condition in the parsed subscription; part of it was not understood')
  }
  return result
}

export default defineRule({
  id: 'spec/fql-pitfall',
  category: 'spec',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Subscriptions mean what they say',
  docs: {
    why: '`parseFql` of `@segment/destination-subscriptions` accepts some FQL without an error but changes its meaning: a clause on an unknown field (such as `anonymousId`) is dropped, `type =` compares with "eos", nested parentheses are cut, a group mixing `and` and `or` keeps only the last, single-quoted values keep their quotes, and `in` or other functions become something else. The subscription then matches the wrong events, silently.',
    fix: 'Use only `type`, `event`, `name`, `userId`, `properties.*`, `traits.*` and `context.*`; give every comparison a double-quoted value; use one level of parentheses around each `and`/`or` part; replace `in` with `or`ed comparisons.',
    bad: 'defaultSubscription: \'type = "track" and anonymousId != null\'',
    good: 'defaultSubscription: \'type = "track" and userId != null\''
  },
  scope: 'integration',
  check(context) {
    return subscriptionsOf(context.head).flatMap((subscription) => {
      if (typeof subscription.value !== 'string') return []
      const { problems, bareWord } = cachedFqlPitfalls(subscription.value, context.spec)
      if (problems.length === 0 && bareWord === undefined) return []
      const location = locatePointer(context.head, subscription.pointer)
      const at = { path: location.path, line: location.line, column: location.column, key: subscription.pointer }
      // Only a bare word: the subscription works at runtime; other readers may misread it.
      if (problems.length === 0)
        return [
          {
            ...at,
            severity: 'warning' as const,
            message: `\`${subscription.settingKey}\` of ${subscription.owner} (\`${subscription.value}\`): ${bareWord}.`
          }
        ]
      return [
        {
          ...at,
          message: `\`${subscription.settingKey}\` of ${subscription.owner} (\`${subscription.value}\`) parses, but not as written: ${[...problems, ...(bareWord ? [bareWord] : [])].join('; ')}.`
        }
      ]
    })
  }
})
