// Which actions send events (and so want a default subscription and presets), as opposed to
// audience and reverse-ETL sync actions, which customers wire up to audiences or models.
import type { JsonObject } from '../../model/serialize-metadata.js'
import { isJsonObject, isUnresolvedMarker, knownEntries } from './metadata-values.js'

/** Field keys that mark an action fed by Engage audiences rather than by events. */
const AUDIENCE_FIELD_KEYS = new Set([
  'audience_key',
  'audience_id',
  'audience_name',
  'segment_audience_key',
  'segment_audience_id',
  'segment_computation_key',
  'segment_computation_id',
  'computation_key',
  'computation_id',
  'traits_or_props'
])

export type ActionKind = 'event' | 'audience' | 'unknown'

/** The destination feeds audiences (an `audienceConfig`), so its actions are not event-sending. */
function isAudienceDestination(metadata: JsonObject): boolean | undefined {
  const config = metadata.audienceConfig
  if (isUnresolvedMarker(config)) return undefined
  return isJsonObject(config)
}

/** How an action is fed; `unknown` when the model cannot tell (rules then report nothing). */
export function actionKind(metadata: JsonObject, action: JsonObject): ActionKind {
  const audienceDestination = isAudienceDestination(metadata)
  if (audienceDestination === undefined) return 'unknown'
  if (audienceDestination) return 'audience'
  if (action.hidden === true) return 'audience'
  if (isUnresolvedMarker(action.hidden) || isUnresolvedMarker(action.syncMode)) return 'unknown'
  // Reverse ETL actions choose a sync mode instead of listening to events.
  if (isJsonObject(action.syncMode)) return 'audience'
  if (!isJsonObject(action.fields) || isUnresolvedMarker(action.fields)) return 'unknown'
  if (knownEntries(action.fields).some(([key]) => AUDIENCE_FIELD_KEYS.has(key))) return 'audience'
  return 'event'
}
