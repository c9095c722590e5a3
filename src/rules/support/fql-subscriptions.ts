// The FQL subscriptions of an integration (action `defaultSubscription`s and the `subscribe` of
// automatic presets), each parsed once with Segment's own `parseFql`.
import * as subscriptionsModule from '@segment/destination-subscriptions'
import type { Condition, Subscription } from '@segment/destination-subscriptions'
import type { IntegrationModel } from '../../model/extract-integration.js'
import type { Json } from '../../model/serialize-metadata.js'
import { pointerOf } from './definition-location.js'
import { isJsonObject, isUnresolvedMarker, knownEntries } from './metadata-values.js'
import { DerivedFact } from '../../model/derived-facts.js'

export interface FqlSubscription {
  /** JSON pointer of the string, e.g. `/actions/trackEvent/defaultSubscription`. */
  pointer: string
  /** Who owns it, for messages: `action "trackEvent" (defaultSubscription)`. */
  owner: string
  /** The setting's key as the partner wrote it. */
  settingKey: 'defaultSubscription' | 'subscribe'
  /** The value: a string, or another known JSON value (which is itself a mistake). */
  value: Json
}

/** A leaf condition of a parsed subscription (groups flattened). */
export type FqlCondition = Exclude<Condition, { type: 'group' }>

const PARSE_CACHE_LIMIT = 500

// The package is CommonJS with `__esModule`: Node's ESM loader puts its exports under `default`,
// while transpilers and bundlers that honour `__esModule` (tsx in CommonJS mode, esbuild) expose
// them as named exports. Take whichever this loader produced, so the Action bundle parses FQL too.
type SubscriptionsApi = Pick<typeof subscriptionsModule, 'parseFql'>
const subscriptions: SubscriptionsApi =
  (subscriptionsModule as SubscriptionsApi & { default?: SubscriptionsApi }).default ?? subscriptionsModule

/**
 * Longer subscriptions are not analysed: real ones are a few hundred characters, and parseFql's
 * token handling is quadratic, so a hostile one could stall the review.
 */
const MAX_FQL_LENGTH = 10_000
const parseCache = new Map<string, Subscription>()

/** `parseFql` of `@segment/destination-subscriptions`, memoised; it never throws, but a guard costs nothing. */
export function parseSubscription(fql: string): Subscription {
  const known = parseCache.get(fql)
  if (known) return known
  let parsed: Subscription
  try {
    parsed = subscriptions.parseFql(fql)
  } catch (error) {
    parsed = { error: error instanceof Error ? error : new Error(String(error)) }
  }
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear()
  parseCache.set(fql, parsed)
  return parsed
}

/** Four rules read the subscriptions of each model: they are listed once per model and shared, read-only. */
const subscriptionsByModel = new DerivedFact<IntegrationModel, readonly FqlSubscription[]>('subscriptions')

/** Every subscription whose value is known (unresolved values are skipped, never guessed). */
export function subscriptionsOf(model: IntegrationModel): readonly FqlSubscription[] {
  return subscriptionsByModel.of(model, listSubscriptions)
}

function listSubscriptions(model: IntegrationModel): FqlSubscription[] {
  const metadata = model.metadata
  if (!metadata) return []
  const found: FqlSubscription[] = []
  for (const [actionKey, action] of knownEntries(metadata.actions)) {
    const value = action.defaultSubscription
    // Segment's `validate` only parses a truthy defaultSubscription; an empty one means "none".
    if (value === null || value === undefined || value === '' || isUnresolvedMarker(value) || isTooLong(value)) continue
    found.push({
      pointer: pointerOf('actions', actionKey, 'defaultSubscription'),
      owner: `action "${actionKey}"`,
      settingKey: 'defaultSubscription',
      value
    })
  }
  const presets = metadata.presets
  if (Array.isArray(presets)) {
    presets.forEach((preset, index) => {
      if (!isJsonObject(preset) || isUnresolvedMarker(preset)) return
      // Segment subscribes only automatic presets; specificEvent presets have no FQL.
      if (preset.type !== 'automatic') return
      const value = preset.subscribe
      if (value === null || value === undefined || isUnresolvedMarker(value) || isTooLong(value)) return
      const name = typeof preset.name === 'string' ? `preset "${preset.name}"` : `preset #${index + 1}`
      found.push({ pointer: pointerOf('presets', index, 'subscribe'), owner: name, settingKey: 'subscribe', value })
    })
  }
  return found
}

function isTooLong(value: Json): boolean {
  return typeof value === 'string' && value.length > MAX_FQL_LENGTH
}

/** The leaf conditions of a parsed subscription, depth-first, without recursion. */
export function conditionsOf(subscription: Subscription): FqlCondition[] {
  if ('error' in subscription) return []
  const leaves: FqlCondition[] = []
  const stack: Array<Condition | null | undefined> = [...subscription.children].reverse()
  while (stack.length > 0) {
    const node = stack.pop()
    // parseFql can leave `null` children behind for clauses it did not understand.
    if (!node || typeof node !== 'object') continue
    if (node.type === 'group') {
      const children: Array<Condition | null | undefined> = Array.isArray(node.children) ? node.children : []
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index])
    } else leaves.push(node)
  }
  return leaves
}

/** Whether a group of the parsed tree holds a child `parseFql` left empty. */
export function hasEmptyCondition(subscription: Subscription): boolean {
  if ('error' in subscription) return false
  const stack: Array<Condition | null | undefined> = [subscription]
  while (stack.length > 0) {
    const node = stack.pop()
    if (!node || typeof node !== 'object') return true
    if (node.type === 'group') stack.push(...(Array.isArray(node.children) ? node.children : []))
  }
  return false
}
