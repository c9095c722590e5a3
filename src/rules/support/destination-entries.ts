// Walks a destination model for the structure rules: actions, fields, settings and presets of
// the metadata and of the evaluated definition, with where each was written and how to report there.
import type { Json, JsonObject } from '../../model/serialize-metadata.js'
import { escapePointer } from '../../model/serialize-metadata.js'
import {
  FunctionValue,
  BuiltinFunction,
  Unresolved,
  isPlainObject,
  propertyLocationOf,
  readProperty,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from '../../model/static-values.js'
import type { IntegrationRuleContext, RawFinding, Severity } from '../rule.js'

/** `{"$unresolved": why}`: a value the model could not determine; rules say nothing about it. */
export function isUnresolvedJson(value: unknown): value is { $unresolved: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as JsonObject).$unresolved === 'string' &&
    Object.keys(value).length === 1
  )
}

/**
 * Keys the framework reserves (`__segment_internal_sync_mode` and the like): Segment adds and sets
 * them itself, hidden from customers, so they need no description and may be named by conditions.
 */
export function isFrameworkReservedKey(key: string): boolean {
  return key.startsWith('__segment_internal')
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A keyed map whose key set is fully known (no unresolved spread went into it). */
export function isCompleteMap(value: Json | undefined): value is JsonObject {
  return isJsonObject(value) && !('$unresolved' in value)
}

/** The known entries of a keyed map of the metadata (actions, fields, settings). */
export function entriesOf(map: Json | undefined): Array<[string, JsonObject]> {
  if (!isJsonObject(map) || isUnresolvedJson(map)) return []
  const entries: Array<[string, JsonObject]> = []
  // Keys, not Object.entries: no [key, value] pair for the entries that are left out.
  for (const key of Object.keys(map)) {
    const value = map[key]
    if (key === '$unresolved' || !isJsonObject(value) || isUnresolvedJson(value)) continue
    entries.push([key, value])
  }
  return entries
}

export interface ActionEntry {
  key: string
  pointer: string
  action: JsonObject
}

/**
 * The entry lists below are read by a dozen rules per integration (and again for the base): each
 * is built once per metadata object (the model's, which no rule changes) and shared, read-only.
 */
const actionsByMetadata = new WeakMap<JsonObject, readonly ActionEntry[]>()
const fieldsByAction = new WeakMap<ActionEntry, readonly FieldEntry[]>()
const settingsByMetadata = new WeakMap<JsonObject, readonly FieldEntry[]>()
const allFieldsByMetadata = new WeakMap<JsonObject, readonly FieldEntry[]>()
const presetsByMetadata = new WeakMap<JsonObject, readonly PresetEntry[]>()

/** The metadata of the head model when it is a known object (the entry lists are built from it). */
function knownMetadata(context: IntegrationRuleContext): JsonObject | undefined {
  const metadata = context.head.metadata
  return !metadata || isUnresolvedJson(metadata) ? undefined : metadata
}

/** Memoised by `cache` under `metadata`; an unknown metadata has no entries. */
function cachedByMetadata<T>(
  cache: WeakMap<JsonObject, readonly T[]>,
  metadata: JsonObject | undefined,
  build: (metadata: JsonObject) => T[]
): readonly T[] {
  if (!metadata) return []
  let entries = cache.get(metadata)
  if (!entries) cache.set(metadata, (entries = build(metadata)))
  return entries
}

export function actionsOf(context: IntegrationRuleContext): readonly ActionEntry[] {
  return cachedByMetadata(actionsByMetadata, knownMetadata(context), (metadata) =>
    entriesOf(metadata.actions).map(([key, action]) => ({ key, pointer: `/actions/${escapePointer(key)}`, action }))
  )
}

export interface FieldEntry {
  key: string
  pointer: string
  field: JsonObject
  /** The map the field belongs to (its siblings), as serialised. */
  siblings: Json | undefined
  kind: 'field' | 'setting'
  /** The action key for action fields. */
  actionKey?: string
}

export function actionFieldsOf(action: ActionEntry): readonly FieldEntry[] {
  let entries = fieldsByAction.get(action)
  if (!entries) {
    const fields = action.action.fields
    entries = entriesOf(fields).map(([key, field]) => ({
      key,
      pointer: `${action.pointer}/fields/${escapePointer(key)}`,
      field,
      siblings: fields,
      kind: 'field',
      actionKey: action.key
    }))
    fieldsByAction.set(action, entries)
  }
  return entries
}

/** Authentication settings and audience settings (both are `GlobalSetting`s). */
export function settingsOf(context: IntegrationRuleContext): readonly FieldEntry[] {
  return cachedByMetadata(settingsByMetadata, knownMetadata(context), settingsOfMetadata)
}

function settingsOfMetadata(metadata: JsonObject): FieldEntry[] {
  const result: FieldEntry[] = []
  const authentication = metadata.authentication
  if (isJsonObject(authentication) && !isUnresolvedJson(authentication)) {
    const fields = authentication.fields
    for (const [key, field] of entriesOf(fields)) {
      result.push({ key, pointer: `/authentication/fields/${escapePointer(key)}`, field, siblings: fields, kind: 'setting' })
    }
  }
  const audienceConfig = metadata.audienceConfig
  if (isJsonObject(audienceConfig) && !isUnresolvedJson(audienceConfig)) {
    const fields = audienceConfig.audienceFields
    for (const [key, field] of entriesOf(fields)) {
      result.push({ key, pointer: `/audienceConfig/audienceFields/${escapePointer(key)}`, field, siblings: fields, kind: 'setting' })
    }
  }
  return result
}

export function allFieldsOf(context: IntegrationRuleContext): readonly FieldEntry[] {
  return cachedByMetadata(allFieldsByMetadata, knownMetadata(context), () => {
    const fields = [...settingsOf(context)]
    for (const action of actionsOf(context)) for (const field of actionFieldsOf(action)) fields.push(field)
    return fields
  })
}

/** How a field is named in messages: `field "email" of action "trackEvent"` or `setting "apiKey"`. */
export function describeField(entry: FieldEntry): string {
  return entry.kind === 'setting' ? `setting "${entry.key}"` : `field "${entry.key}" of action "${entry.actionKey}"`
}

/** Where a JSON pointer of the metadata was written; walks up to the nearest located ancestor, then the entry file. */
function locationOfPointer(context: IntegrationRuleContext, pointer: string): SourceLocation {
  let current = pointer
  for (;;) {
    const location = context.head.locations.get(current)
    if (location) return location
    if (current === '') break
    current = current.slice(0, current.lastIndexOf('/'))
  }
  return { path: context.integration.entryPath, line: 1, column: 1 }
}

/** The file `locationOfPointer` names, without working out the line and column. */
export function pathOfPointer(context: IntegrationRuleContext, pointer: string): string {
  let current = pointer
  for (;;) {
    const path = context.head.locations.pathOf(current)
    if (path !== undefined) return path
    if (current === '') break
    current = current.slice(0, current.lastIndexOf('/'))
  }
  return context.integration.entryPath
}

/**
 * A finding at the place a metadata node was written, keyed by its pointer for a stable fingerprint.
 * With `property`, it points at that property of the node when it is written somewhere (which may be
 * another file, for a property that came in through a spread), else at the node.
 */
export function findingAt(
  context: IntegrationRuleContext,
  pointer: string,
  message: string,
  severity?: Severity,
  property?: string
): RawFinding {
  const location = (property ? writtenPropertyLocation(context, pointer, property) : undefined) ?? locationOfPointer(context, pointer)
  return { message, path: location.path, line: location.line, column: location.column, key: pointer, ...(severity ? { severity } : {}) }
}

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** The evaluated definition node a metadata pointer names (settings may live in `settings` or `audienceFields`). */
export function definitionValueAt(context: IntegrationRuleContext, pointer: string): StaticValue {
  const definition = definitionOf(context)
  if (!definition) return undefined
  const segments = pointer.split('/').slice(1).map(unescapePointerSegment)
  let value: StaticValue = definition
  let index = 0
  if (segments[0] === 'authentication' && segments[1] === 'fields') {
    const authentication = readProperty(definition, 'authentication')
    const fields = isPlainObject(authentication) ? readProperty(authentication, 'fields') : undefined
    value = fields === undefined || fields === null ? readProperty(definition, 'settings') : fields
    index = 2
  } else if (segments[0] === 'audienceConfig' && segments[1] === 'audienceFields') {
    value = readProperty(definition, 'audienceFields')
    index = 2
  }
  for (; index < segments.length; index++) {
    const segment = segments[index]
    if (Array.isArray(value)) value = value[Number(segment)]
    else if (isPlainObject(value)) value = readProperty(value, segment)
    else return undefined
  }
  return value
}

/** Where a property of a definition node was written, when it is an own property there. */
function writtenPropertyLocation(context: IntegrationRuleContext, pointer: string, property: string): SourceLocation | undefined {
  const node = definitionValueAt(context, pointer)
  if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, property)) return undefined
  return propertyLocationOf(node, property)
}

/** A finding at a source location (from the evaluated definition), keyed by a stable identity. */
export function findingAtLocation(
  context: IntegrationRuleContext,
  location: SourceLocation | undefined,
  key: string,
  message: string,
  severity?: Severity
): RawFinding {
  const at = location ?? { path: context.integration.entryPath, line: 1, column: 1 }
  return { message, path: at.path, line: at.line, column: at.column, key, ...(severity ? { severity } : {}) }
}

/** The evaluated definition object, or undefined when it is not a known object. */
export function definitionOf(context: IntegrationRuleContext): StaticObject | undefined {
  return isPlainObject(context.head.definition) ? context.head.definition : undefined
}

/** The evaluated action objects of a map (`actions` or `asyncActions`); unknown ones are left out. */
export function definitionActions(
  context: IntegrationRuleContext,
  mapKey: 'actions' | 'asyncActions' = 'actions'
): Array<{ key: string; action: StaticObject; map: StaticObject }> {
  const definition = definitionOf(context)
  if (!definition) return []
  const map = readProperty(definition, mapKey)
  if (!isPlainObject(map)) return []
  const result: Array<{ key: string; action: StaticObject; map: StaticObject }> = []
  for (const key of Object.keys(map)) {
    const action = map[key]
    if (isPlainObject(action)) result.push({ key, action, map })
  }
  return result
}

export function isFunctionValue(value: StaticValue): boolean {
  return value instanceof FunctionValue || value instanceof BuiltinFunction
}

export interface PresetEntry {
  index: number
  pointer: string
  preset: JsonObject
  /** The preset's name for messages. */
  label: string
}

export function presetsOf(context: IntegrationRuleContext): readonly PresetEntry[] {
  return cachedByMetadata(presetsByMetadata, knownMetadata(context), presetsOfMetadata)
}

function presetsOfMetadata(metadata: JsonObject): PresetEntry[] {
  const presets = metadata.presets
  if (!Array.isArray(presets)) return []
  const result: PresetEntry[] = []
  presets.forEach((preset, index) => {
    if (!isJsonObject(preset) || isUnresolvedJson(preset)) return
    const label = typeof preset.name === 'string' ? `preset "${preset.name}"` : `preset #${index + 1}`
    result.push({ index, pointer: `/presets/${index}`, preset, label })
  })
  return result
}

/** The action a preset targets, when its key is known and the action is modelled. */
export function presetAction(context: IntegrationRuleContext, preset: PresetEntry): ActionEntry | undefined {
  const partnerAction = preset.preset.partnerAction
  if (typeof partnerAction !== 'string') return undefined
  return actionsOf(context).find((action) => action.key === partnerAction)
}

/** Whether an evaluated object's key set is incomplete (an unresolved spread went into it). */
export function isPartialObject(object: StaticObject): boolean {
  // A key no code writes reads as unknown exactly when the key set is incomplete.
  return readProperty(object, '\u0000no-such-key') instanceof Unresolved
}
