// structure/metadata-fresh: where the integration keeps a `metadata.json` (Segment's generated public
// schema), it must equal the definition as resolved from the code. Unresolved parts are skipped.
import { escapePointer, type Json } from '../../model/serialize-metadata.js'
import { defineRule } from '../rule.js'
import { isJsonObject, isUnresolvedJson } from '../support/destination-entries.js'

const MAX_REPORTED_POINTERS = 5

/** A value whose absence on the other side is not a clear difference (an older generator may omit it). */
/**
 * Members that Segment's generator added over time. A metadata.json written by an older
 * generator lacks them; that is not staleness of the definition.
 */
const LATER_GENERATOR_MEMBERS = new Set([
  'format',
  'dynamicFields',
  'displayMode',
  'additionalProperties',
  'disabledInputMethods',
  'depends_on',
  'multiple',
  'supportsAudienceFunctions',
  'hooks',
  'syncMode',
  'category',
  'readOnly',
  'defaultObjectUI'
])
/** Members whose value is a map keyed by the partner's names (a field may be called `format`). */
const MAP_CONTAINERS = new Set(['fields', 'actions', 'properties', 'inputFields', 'outputFields', 'audienceFields'])

function isEmptyValue(value: Json | undefined): boolean {
  return value === undefined || value === null || value === false || (typeof value === 'string' && value === '')
}

/**
 * Where the comparison is, as a chain of raw (unescaped) segments from the root: the JSON pointer
 * text is built only for the few places that differ, not for every member compared.
 */
type Place = { readonly up: Place; readonly segment: string } | undefined

function pointerOf(place: Place): string {
  let pointer = ''
  for (let at = place; at; at = at.up) pointer = `/${escapePointer(at.segment)}${pointer}`
  return pointer || '/'
}

/** Places where `committed` differs from `model`, as pointers in document order, at most `limit`. */
function differences(model: Json | undefined, committed: Json | undefined, place: Place, found: string[], limit: number, depth = 0): void {
  if (found.length >= limit || depth > 64) return
  if (isUnresolvedJson(model) || isOlderConditionalRequired(place, model, committed)) return
  if (model === undefined || committed === undefined) {
    if (!(isEmptyValue(model) && isEmptyValue(committed))) found.push(pointerOf(place))
    return
  }
  if (Array.isArray(model) || Array.isArray(committed)) {
    if (!Array.isArray(model) || !Array.isArray(committed) || model.length !== committed.length) {
      found.push(pointerOf(place))
      return
    }
    for (let index = 0; index < model.length && found.length < limit; index++)
      differences(model[index], committed[index], { up: place, segment: String(index) }, found, limit, depth + 1)
    return
  }
  if (isJsonObject(model) || isJsonObject(committed)) {
    if (!isJsonObject(model) || !isJsonObject(committed)) {
      found.push(pointerOf(place))
      return
    }
    // A member the model leaves undefined is absent, as in the generator's JSON output: the model's
    // members come first, then the committed file's others, as after a JSON round trip of the model.
    for (const key of Object.keys(model)) {
      if (model[key] === undefined || key === '$unresolved') continue
      compareMember(model, committed, key, place, found, limit, depth)
      if (found.length >= limit) return
    }
    // A partial map (unresolved spread) may hold keys the model cannot see: compare only the keys it knows.
    if ('$unresolved' in model) return
    for (const key of Object.keys(committed)) {
      if (key === '$unresolved' || (Object.prototype.hasOwnProperty.call(model, key) && model[key] !== undefined)) continue
      compareMember(model, committed, key, place, found, limit, depth)
      if (found.length >= limit) return
    }
    return
  }
  if (model !== committed) found.push(pointerOf(place))
}

/** One member of two objects, present on at least one side. */
function compareMember(
  model: { [key: string]: Json | undefined },
  committed: { [key: string]: Json | undefined },
  key: string,
  place: Place,
  found: string[],
  limit: number,
  depth: number
): void {
  const inModel = Object.prototype.hasOwnProperty.call(model, key) && model[key] !== undefined
  const inCommitted = Object.prototype.hasOwnProperty.call(committed, key)
  const member: Place = { up: place, segment: key }
  if (!inModel && inCommitted) {
    // The model writes every member the generator does; an unknown member with an empty value is a newer schema.
    // A web action the model lacks comes from a browser destination Segment merges in under the same id.
    const mergedWebAction =
      place?.up === undefined &&
      place?.segment === 'actions' &&
      isJsonObject(committed[key]) &&
      (committed[key] as Record<string, Json>).platform === 'web'
    if (!isEmptyValue(committed[key]) && !mergedWebAction) found.push(pointerOf(member))
    return
  }
  if (inModel && !inCommitted) {
    const olderGenerator = LATER_GENERATOR_MEMBERS.has(key) && !(place !== undefined && MAP_CONTAINERS.has(place.segment))
    if (!olderGenerator && !isEmptyValue(model[key]) && !isUnresolvedJson(model[key])) found.push(pointerOf(member))
    return
  }
  differences(model[key], committed[key], member, found, limit, depth + 1)
}

/** Older generators wrote a conditional `required` as `required === true`, i.e. false. */
function isOlderConditionalRequired(place: Place, model: Json | undefined, committed: Json | undefined): boolean {
  return place?.segment === 'required' && committed === false && isJsonObject(model) && 'conditions' in model
}

export const metadataFresh = defineRule({
  id: 'structure/metadata-fresh',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: '`metadata.json` matches the definition',
  docs: {
    why: "Segment's catalog reads the public schema from `metadata.json`. Segment's tooling only prints a warning when the committed file differs from the definition and lets the change pass, so a stale or hand-edited file gets merged and shows customers fields, settings or presets the code does not have.",
    fix: 'Regenerate it with `./bin/run generate:metadata-payload` after changing the definition, and commit it; never edit it by hand.',
    bad: '// trackEvent/index.ts: event_name is required: true\n"event_name": { "label": "Event Name", "type": "string", "required": false, ... }',
    good: '// trackEvent/index.ts: event_name is required: true\n"event_name": { "label": "Event Name", "type": "string", "required": true, ... }'
  },
  scope: 'integration',
  check(context) {
    const path = `${context.integration.path}/metadata.json`
    if (!context.integrationFiles.includes(path)) return []
    const metadata = context.head.metadata
    if (!metadata || isUnresolvedJson(metadata)) return []
    const text = context.headSource.readFile(path)
    if (text === undefined) return []
    let committed: Json
    try {
      committed = JSON.parse(text) as Json
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      // V8 names the offset of the syntax error; point at its line when it does.
      const position = /at position (\d+)/.exec(reason)
      const line = position ? text.slice(0, Number(position[1])).split('\n').length : 1
      return [
        {
          message: `\`metadata.json\` is not valid JSON (${reason}). Regenerate it with \`./bin/run generate:metadata-payload\` instead of editing it by hand.`,
          path,
          line,
          key: 'metadata.json:invalid'
        }
      ]
    }
    // The generator's output is JSON: `differences` reads undefined members as absent (the
    // serialised model has no other value JSON would change: arrays hold null, numbers are finite).
    const found: string[] = []
    differences(metadata, committed, undefined, found, MAX_REPORTED_POINTERS + 1)
    if (found.length === 0) return []
    const shown = found.slice(0, MAX_REPORTED_POINTERS)
    const more = found.length > MAX_REPORTED_POINTERS ? ' and more' : ''
    return [
      {
        message: `\`metadata.json\` does not match the definition in the code at ${shown.map((pointer) => `\`${pointer}\``).join(', ')}${more}. Segment's catalog reads this file, and Segment's tooling only warns about a stale one without stopping the merge; regenerate it with \`./bin/run generate:metadata-payload\` and commit it.`,
        path,
        line: 1,
        key: 'metadata.json'
      }
    ]
  }
})
