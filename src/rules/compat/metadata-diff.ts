// Shared reading of two revisions of an integration's public metadata for the compat rules:
// which settings, actions and fields exist on both sides, which were added or removed, and
// where a finding belongs in head. Anything unresolved on either side is left out, never guessed.
import type { Json, JsonObject } from '../../model/serialize-metadata.js'
import { escapePointer } from '../../model/serialize-metadata.js'
import type { IntegrationModel } from '../../model/extract-integration.js'
import { isPlainObject, locationOf, propertyLocationOf, readProperty, type StaticValue } from '../../model/static-values.js'
import { definitionValueAt } from '../support/destination-entries.js'
import type { IntegrationRuleContext, RawFinding, Severity } from '../rule.js'

/** Marker key the serializer writes into a value or a map whose content is (partly) unknown. */
const UNRESOLVED_KEY = '$unresolved'
/** Object fields nest properties; real definitions go two levels deep, hostile ones may not stop. */
const MAX_PROPERTY_DEPTH = 6
/** Defaults and mappings nest a few levels (`@if` inside `@path`...); anything deeper is not compared. */
const MAX_VALUE_DEPTH = 64

export type MetadataNode = Json | undefined

export function isJsonObject(value: MetadataNode): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value the model could not resolve (`{"$unresolved": why}`). */
export function isUnresolvedValue(value: MetadataNode): boolean {
  return isJsonObject(value) && typeof value[UNRESOLVED_KEY] === 'string' && Object.keys(value).length === 1
}

/** True when the value holds an unresolved part anywhere inside it (bounded walk). */
export function containsUnresolved(value: MetadataNode): boolean {
  const pending: Array<{ node: MetadataNode; depth: number }> = [{ node: value, depth: 0 }]
  while (pending.length > 0) {
    const { node, depth } = pending.pop() as { node: MetadataNode; depth: number }
    // Deeper than any real default or mapping: too deep to compare, so treated as unknown.
    if (depth > MAX_VALUE_DEPTH) return true
    if (Array.isArray(node)) for (const element of node) pending.push({ node: element, depth: depth + 1 })
    else if (isJsonObject(node)) {
      if (UNRESOLVED_KEY in node) return true
      for (const key of Object.keys(node)) pending.push({ node: node[key], depth: depth + 1 })
    }
  }
  return false
}

/** Structural equality of two JSON values (key order ignored, undefined members ignored); bounded depth. */
export function jsonEqual(a: MetadataNode, b: MetadataNode, depth = 0): boolean {
  if (a === b) return true
  // Hostile nesting: callers skip values containsUnresolved() rejects, so this is a last guard.
  if (depth > MAX_VALUE_DEPTH) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((element, index) => jsonEqual(element, b[index], depth + 1))
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const aKeys = Object.keys(a).filter((key) => a[key] !== undefined)
    const bKeys = Object.keys(b).filter((key) => b[key] !== undefined)
    if (aKeys.length !== bKeys.length) return false
    return aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key], depth + 1))
  }
  return false
}

/** A keyed map (actions, fields, settings) as the serializer writes it. */
export interface KeyedMap {
  entries: Map<string, MetadataNode>
  /** Some keys are unknown (an unresolved spread, or the whole map is unresolved). */
  partial: boolean
}

export function keyedMap(value: MetadataNode): KeyedMap | undefined {
  if (!isJsonObject(value)) return undefined
  const entries = new Map<string, MetadataNode>()
  for (const key of Object.keys(value)) if (key !== UNRESOLVED_KEY) entries.set(key, value[key])
  return { entries, partial: UNRESOLVED_KEY in value }
}

/** The metadata of both revisions, when the integration exists on base and both resolved to an object. */
export function bothRevisions(context: IntegrationRuleContext): { base: JsonObject; head: JsonObject } | undefined {
  const base = context.base?.metadata
  const head = context.head.metadata
  if (!base || !head || isUnresolvedValue(base) || isUnresolvedValue(head)) return undefined
  return { base, head }
}

/** `required` in metadata: true, false, a conditional object, or unknown. */
export type Requirement = 'required' | 'optional' | 'conditional' | 'unknown'

export function requirementOf(field: MetadataNode): Requirement {
  if (!isJsonObject(field) || isUnresolvedValue(field)) return 'unknown'
  const required = field.required
  if (required === true) return 'required'
  if (required === false || required === undefined || required === null) return 'optional'
  if (isUnresolvedValue(required)) return 'unknown'
  if (isJsonObject(required)) return 'conditional'
  return 'unknown'
}

type FieldGroupKind = 'setting' | 'audience-setting' | 'field' | 'property'

/** One map of fields compared across revisions: the settings, the audience settings, an action's fields or an object's properties. */
export interface FieldGroup {
  kind: FieldGroupKind
  /** JSON pointer of the map (same on both sides). */
  pointer: string
  /** The node whose location stands in for a field that no longer exists in head. */
  ownerPointer: string
  /** Property path of the map in the evaluated definition (where a removed key should be kept). */
  definitionPath: string[]
  /** For the partner: "action `upsertContact`", "the destination settings", "object field `address` of action `x`". */
  owner: string
  base: KeyedMap
  head: KeyedMap
}

export interface FieldPair {
  group: FieldGroup
  key: string
  pointer: string
  base: JsonObject
  head: JsonObject
}

export function fieldPointer(group: FieldGroup, key: string): string {
  return `${group.pointer}/${escapePointer(key)}`
}

/** Actions present, as objects, on both revisions (a new action has no customers to break). */
export function commonActions(
  base: JsonObject,
  head: JsonObject
): Array<{ key: string; pointer: string; base: JsonObject; head: JsonObject }> {
  const baseActions = keyedMap(base.actions)
  const headActions = keyedMap(head.actions)
  if (!baseActions || !headActions) return []
  const common: Array<{ key: string; pointer: string; base: JsonObject; head: JsonObject }> = []
  for (const [key, baseAction] of baseActions.entries) {
    const headAction = headActions.entries.get(key)
    if (!isJsonObject(baseAction) || !isJsonObject(headAction) || isUnresolvedValue(baseAction) || isUnresolvedValue(headAction)) continue
    common.push({ key, pointer: `/actions/${escapePointer(key)}`, base: baseAction, head: headAction })
  }
  return common
}

/** Every field map compared between the revisions, object properties included. */
export function fieldGroups(base: JsonObject, head: JsonObject): FieldGroup[] {
  const groups: FieldGroup[] = []
  const add = (
    kind: FieldGroupKind,
    pointer: string,
    ownerPointer: string,
    definitionPath: string[],
    owner: string,
    baseMap: MetadataNode,
    headMap: MetadataNode
  ) => {
    const baseKeyed = keyedMap(baseMap)
    const headKeyed = keyedMap(headMap)
    if (baseKeyed && headKeyed) groups.push({ kind, pointer, ownerPointer, definitionPath, owner, base: baseKeyed, head: headKeyed })
  }
  const baseAuth = base.authentication
  const headAuth = head.authentication
  // A destination without authentication has no settings: compare it as an empty map.
  const settingsOf = (auth: MetadataNode): MetadataNode =>
    auth === null ? {} : isJsonObject(auth) && !isUnresolvedValue(auth) ? auth.fields : undefined
  add(
    'setting',
    '/authentication/fields',
    '/authentication',
    ['authentication', 'fields'],
    'the destination settings',
    settingsOf(baseAuth),
    settingsOf(headAuth)
  )
  // Audience settings only matter to customers already syncing audiences: compare them only when both sides have audiences.
  const audienceOf = (config: MetadataNode): MetadataNode =>
    isJsonObject(config) && !isUnresolvedValue(config) ? config.audienceFields : undefined
  add(
    'audience-setting',
    '/audienceConfig/audienceFields',
    '/audienceConfig',
    ['audienceFields'],
    'the audience settings',
    audienceOf(base.audienceConfig),
    audienceOf(head.audienceConfig)
  )
  for (const action of commonActions(base, head)) {
    const pointer = `${action.pointer}/fields`
    const owner = `action \`${action.key}\``
    add('field', pointer, action.pointer, ['actions', action.key, 'fields'], owner, action.base.fields, action.head.fields)
    const fieldsGroup = groups[groups.length - 1]
    if (fieldsGroup?.pointer === pointer) addPropertyGroups(groups, fieldsGroup, owner, 1)
  }
  return groups
}

function addPropertyGroups(groups: FieldGroup[], parent: FieldGroup, actionOwner: string, depth: number): void {
  if (depth > MAX_PROPERTY_DEPTH) return
  for (const pair of commonFields(parent)) {
    if (pair.base.type !== 'object' || pair.head.type !== 'object') continue
    const baseProperties = keyedMap(pair.base.properties)
    const headProperties = keyedMap(pair.head.properties)
    if (!baseProperties || !headProperties) continue
    const group: FieldGroup = {
      kind: 'property',
      pointer: `${pair.pointer}/properties`,
      ownerPointer: pair.pointer,
      definitionPath: [...parent.definitionPath, pair.key, 'properties'],
      owner: `object field \`${pair.key}\` of ${actionOwner}`,
      base: baseProperties,
      head: headProperties
    }
    groups.push(group)
    addPropertyGroups(groups, group, actionOwner, depth + 1)
  }
}

/** Fields present, resolved, on both sides of a group. */
export function commonFields(group: FieldGroup): FieldPair[] {
  const pairs: FieldPair[] = []
  for (const [key, baseField] of group.base.entries) {
    const headField = group.head.entries.get(key)
    if (!isJsonObject(baseField) || !isJsonObject(headField) || isUnresolvedValue(baseField) || isUnresolvedValue(headField)) continue
    pairs.push({ group, key, pointer: fieldPointer(group, key), base: baseField, head: headField })
  }
  return pairs
}

/** Keys new in head; none when base's key set is incomplete (the key may have been there). */
export function addedKeys(base: KeyedMap, head: KeyedMap): string[] {
  if (base.partial) return []
  return [...head.entries.keys()].filter((key) => !base.entries.has(key))
}

/** Keys gone from head; none when head's key set is incomplete (the key may still be there). */
export function removedKeys(base: KeyedMap, head: KeyedMap): string[] {
  if (head.partial) return []
  return [...base.entries.keys()].filter((key) => !head.entries.has(key))
}

/**
 * For a removed key: the added key that makes the change look like a rename. A candidate must be
 * of the same kind (`sameKind`, e.g. same field type) and the pairing must be unambiguous: the only
 * added candidate for the only removed key of its kind, or else the only one with the same label.
 */
export function likelyRenameTarget(
  base: KeyedMap,
  head: KeyedMap,
  removedKey: string,
  sameKind: (removed: MetadataNode, added: MetadataNode) => boolean
): string | undefined {
  const removed = base.entries.get(removedKey)
  const removedKeysOfKind = (added: MetadataNode) => removedKeys(base, head).filter((key) => sameKind(base.entries.get(key), added))
  const candidates = addedKeys(base, head).filter((key) => sameKind(removed, head.entries.get(key)))
  if (candidates.length === 1 && removedKeysOfKind(head.entries.get(candidates[0])).length === 1) return candidates[0]
  const label = labelOf(removed)
  if (label === undefined) return undefined
  const sameLabel = candidates.filter((key) => labelOf(head.entries.get(key)) === label)
  if (sameLabel.length !== 1) return undefined
  const rivals = removedKeysOfKind(head.entries.get(sameLabel[0])).filter((key) => labelOf(base.entries.get(key)) === label)
  return rivals.length === 1 ? sameLabel[0] : undefined
}

function labelOf(node: MetadataNode): string | undefined {
  if (!isJsonObject(node)) return undefined
  const label = typeof node.label === 'string' ? node.label : node.title
  return typeof label === 'string' ? label.trim().toLowerCase() : undefined
}

/** Every compat finding is a note while the integration has no customers yet. */
function compatSeverity(context: IntegrationRuleContext, severity: Severity): Severity {
  return context.status === 'new' ? 'info' : severity
}

/** Where a head node was written; falls back to its nearest located ancestor, then the entry file. */
function headLocation(model: IntegrationModel, pointer: string): { path: string; line: number; column?: number } {
  let current = pointer
  for (;;) {
    const location = model.locations.get(current)
    if (location) return { path: location.path, line: location.line, column: location.column }
    if (current === '') break
    current = current.slice(0, current.lastIndexOf('/'))
  }
  return { path: model.location.entryPath, line: 1 }
}

/** A finding at a head node, keyed by the pointer of what changed (stable across unrelated edits). */
export function findingAt(
  context: IntegrationRuleContext,
  locationPointer: string,
  key: string,
  message: string,
  severity: Severity
): RawFinding {
  return { ...headLocation(context.head, locationPointer), message, key, severity: compatSeverity(context, severity) }
}

/**
 * Moves a finding to where a property of the evaluated head definition was written (e.g.
 * `['actions']` → the `actions:` line), when the model knows; otherwise leaves it where it was.
 */
export function atWrittenProperty(context: IntegrationRuleContext, keys: readonly string[], finding: RawFinding): RawFinding {
  let owner: StaticValue = context.head.definition
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(owner)) return finding
    owner = readProperty(owner, key)
  }
  const last = keys[keys.length - 1]
  if (last === undefined || !isPlainObject(owner) || !Object.prototype.hasOwnProperty.call(owner, last)) return finding
  const written = propertyLocationOf(owner, last)
  return written ? { ...finding, path: written.path, line: written.line, column: written.column } : finding
}

/**
 * A finding about a key that is gone from head (a removed setting, field or property): it points
 * at the nearest surviving parent, the map the key was removed from, as written in head
 * (`fields: {`, a browser destination's `settings: {`). Falls back to the owner's node.
 */
export function removedKeyFinding(
  context: IntegrationRuleContext,
  group: FieldGroup,
  removedKey: string,
  message: string,
  severity: Severity
): RawFinding {
  const finding = findingAt(context, group.ownerPointer, fieldPointer(group, removedKey), message, severity)
  const map = definitionValueAt(context, group.pointer)
  const written = isPlainObject(map) ? locationOf(map) : undefined
  if (written) return { ...finding, path: written.path, line: written.line, column: written.column }
  return atWrittenProperty(context, group.definitionPath, finding)
}

/**
 * Removed keys of a group that look renamed, each with its new key. A rename is one defect: the
 * rule that reports the removal gives its one fix, and no other rule reports the new key.
 */
export function renamedKeys(group: FieldGroup): Map<string, string> {
  const renames = new Map<string, string>()
  for (const key of removedKeys(group.base, group.head)) {
    const target = likelyRenameTarget(group.base, group.head, key, sameDeclaredType)
    if (target !== undefined) renames.set(key, target)
  }
  return renames
}

/** Settings and fields are renamed within one declared type (a string stays a string). */
function sameDeclaredType(removed: MetadataNode, added: MetadataNode): boolean {
  return isJsonObject(removed) && isJsonObject(added) && typeof removed.type === 'string' && removed.type === added.type
}

/** How to name a field for the partner, by group. */
export function describeField(group: FieldGroup, key: string): string {
  switch (group.kind) {
    case 'setting':
      return `setting \`${key}\``
    case 'audience-setting':
      return `audience setting \`${key}\``
    case 'field':
      return `field \`${key}\` of ${group.owner}`
    case 'property':
      return `property \`${key}\` of ${group.owner}`
  }
}

/** Values of a choices list, or undefined when there is no list or part of it is unknown. */
export function choiceValues(choices: MetadataNode): Json[] | undefined {
  if (!Array.isArray(choices) || containsUnresolved(choices)) return undefined
  return choices.map((choice) => (isJsonObject(choice) && 'value' in choice ? (choice.value ?? null) : choice))
}

/** Short, readable form of a value for messages. */
export function showValue(value: MetadataNode): string {
  const text = JSON.stringify(value ?? null)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
