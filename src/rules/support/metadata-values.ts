// Reading the metadata JSON of the model safely: objects, `{"$unresolved": why}` markers, and
// the entries of keyed maps (actions, fields) without the marker a partial map carries.
import type { Json, JsonObject } from '../../model/serialize-metadata.js'

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for a value static analysis could not determine; rules report nothing about it. */
export function isUnresolvedMarker(value: Json | undefined): boolean {
  return isJsonObject(value) && typeof value.$unresolved === 'string' && Object.keys(value).length === 1
}

/** The known entries of a keyed map such as `actions` or `fields` (unknown entries skipped). */
export function knownEntries(map: Json | undefined): Array<[string, JsonObject]> {
  if (!isJsonObject(map) || isUnresolvedMarker(map)) return []
  const entries: Array<[string, JsonObject]> = []
  for (const [key, value] of Object.entries(map)) {
    if (key === '$unresolved' || !isJsonObject(value) || isUnresolvedMarker(value)) continue
    entries.push([key, value])
  }
  return entries
}
