// Turns an evaluated destination definition into Segment's public destination metadata,
// value for value as Segment's own generator (`generatePublicMetadata`) serialises a loaded
// definition. Where a value is unknown it writes {"$unresolved": why} and records where.
import type { ts } from 'ts-morph'
import {
  BuiltinFunction,
  FunctionValue,
  ModuleNamespace,
  StaticCollection,
  Unresolved,
  isPlainObject,
  locateNode,
  mutationOf,
  nodeOf,
  partialReason,
  propertyNodeOf,
  readProperty,
  type SourceLocation,
  type StaticObject,
  type StaticValue
} from './static-values.js'

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined }
export type JsonObject = { [key: string]: Json | undefined }

export interface UnresolvedEntry {
  /** JSON pointer into the metadata. */
  pointer: string
  reason: string
  path?: string
  line?: number
  column?: number
}

/** The hook names the framework knows (`hookTypeStrings` of actions-core). */
const HOOK_TYPES = ['onMappingSave', 'retlOnMappingSave']

export class MetadataSerializer {
  readonly unresolved: UnresolvedEntry[] = []
  /** Source location of each serialised node (action, field, setting, preset, property), by JSON pointer. */
  readonly locations = new LocationIndex()

  serializeDestination(definition: StaticValue, fallbackSlug: string): JsonObject {
    const mutated = mutationOf(definition)
    if (mutated) {
      this.unknown('', mutated)
      return { $unresolved: mutated.reason }
    }
    if (!isPlainObject(definition)) {
      const reason = definition instanceof Unresolved ? definition.reason : 'the definition is not an object literal'
      this.unknown('', definition instanceof Unresolved ? definition : new Unresolved(reason))
      return { $unresolved: reason }
    }
    this.remember('', definition)
    const get = (key: string) => readProperty(definition, key)
    const slugValue = get('slug')
    const slug = slugValue === undefined || slugValue === null ? fallbackSlug : this.json(slugValue, '/slug')
    const modeValue = get('mode')
    return {
      slug,
      name: this.json(get('name'), '/name'),
      mode: modeValue === undefined || modeValue === null ? 'cloud' : this.json(modeValue, '/mode'),
      description: this.json(get('description'), '/description'),
      authentication: this.serializeAuthentication(definition),
      audienceConfig: this.serializeAudienceConfig(definition),
      actions: this.serializeMap(get('actions'), '/actions', (action, pointer, key) => this.serializeAction(key, action, pointer)),
      presets: this.serializePresets(get('presets'))
    }
  }

  private serializeAuthentication(definition: StaticObject): Json {
    const authentication = readProperty(definition, 'authentication')
    if (authentication instanceof Unresolved) return this.unknown('/authentication', authentication)
    const authFields = isPlainObject(authentication) ? readProperty(authentication, 'fields') : undefined
    let rawFields = authFields
    if (rawFields === undefined || rawFields === null) rawFields = readProperty(definition, 'settings')
    // Without a known authentication object, unknown settings leave even its presence unknown.
    if (rawFields instanceof Unresolved && !isPlainObject(authentication)) return this.unknown('/authentication', rawFields)
    const hasFields =
      rawFields instanceof Unresolved ||
      (isPlainObject(rawFields) && (Object.keys(rawFields).length > 0 || partialReason(rawFields) !== undefined))
    const truthyAuthentication =
      authentication !== undefined && authentication !== null && authentication !== false && authentication !== ''
    if (!truthyAuthentication && !hasFields) return null
    this.remember('/authentication', authentication)
    const scheme = isPlainObject(authentication) ? readProperty(authentication, 'scheme') : undefined
    return {
      scheme: scheme === undefined || scheme === null ? 'custom' : this.json(scheme, '/authentication/scheme'),
      fields: this.serializeMap(rawFields ?? {}, '/authentication/fields', (field, pointer) => this.serializeSetting(field, pointer))
    }
  }

  private serializeAudienceConfig(definition: StaticObject): Json {
    const config = readProperty(definition, 'audienceConfig')
    if (config instanceof Unresolved) return this.unknown('/audienceConfig', config)
    if (!config) return null
    if (!isPlainObject(config)) return this.unknown('/audienceConfig', new Unresolved('audienceConfig is not an object literal'))
    this.remember('/audienceConfig', config)
    const rawMode = readProperty(config, 'mode')
    let mode: Json
    if (!isPlainObject(rawMode)) {
      mode = this.unknown(
        '/audienceConfig/mode',
        rawMode instanceof Unresolved ? rawMode : new Unresolved('audience mode is not an object literal')
      )
    } else {
      const type = readProperty(rawMode, 'type')
      if (type instanceof Unresolved) mode = this.unknown('/audienceConfig/mode', type)
      else if (type === 'synced') {
        const full = readProperty(rawMode, 'full_audience_sync')
        mode = {
          type: 'synced',
          full_audience_sync: full === undefined || full === null ? false : this.json(full, '/audienceConfig/mode/full_audience_sync')
        }
      } else mode = { type: 'realtime' }
    }
    const create = readProperty(config, 'createAudience')
    const getAudience = readProperty(config, 'getAudience')
    let supportsAudienceFunctions: Json
    if (create instanceof Unresolved) supportsAudienceFunctions = this.unknown('/audienceConfig/supportsAudienceFunctions', create)
    else if (getAudience instanceof Unresolved && isFunction(create))
      supportsAudienceFunctions = this.unknown('/audienceConfig/supportsAudienceFunctions', getAudience)
    else supportsAudienceFunctions = isFunction(create) && isFunction(getAudience)
    const audienceFields = readProperty(definition, 'audienceFields')
    return {
      mode,
      audienceFields: this.serializeMap(audienceFields ?? {}, '/audienceConfig/audienceFields', (field, pointer) =>
        this.serializeSetting(field, pointer)
      ),
      supportsAudienceFunctions
    }
  }

  private serializeSetting(field: StaticValue, pointer: string): Json {
    const mutated = mutationOf(field)
    if (mutated) return this.unknown(pointer, mutated)
    if (!isPlainObject(field)) return this.unknown(pointer, asUnresolved(field, 'setting is not an object literal'))
    const get = (key: string) => readProperty(field, key)
    return {
      label: this.json(get('label'), `${pointer}/label`),
      description: this.json(get('description'), `${pointer}/description`),
      type: this.json(get('type'), `${pointer}/type`),
      required: this.serializeRequired(get('required'), `${pointer}/required`),
      multiple: this.orDefault(get('multiple'), false, `${pointer}/multiple`),
      choices: this.serializeChoices(get('choices'), `${pointer}/choices`),
      default: this.orDefault(get('default'), null, `${pointer}/default`),
      depends_on: this.orDefault(get('depends_on'), null, `${pointer}/depends_on`)
    }
  }

  serializeField(field: StaticValue, pointer: string): Json {
    const mutated = mutationOf(field)
    if (mutated) return this.unknown(pointer, mutated)
    if (!isPlainObject(field)) return this.unknown(pointer, asUnresolved(field, 'field is not an object literal'))
    const get = (key: string) => readProperty(field, key)
    const type = get('type')
    let properties: Json = null
    if (type instanceof Unresolved) properties = this.unknown(`${pointer}/properties`, type)
    else if (type === 'object') {
      const raw = get('properties')
      if (raw instanceof Unresolved) properties = this.unknown(`${pointer}/properties`, raw)
      else if (raw && typeof raw === 'object' && isPlainObject(raw)) {
        properties = this.serializeMap(raw, `${pointer}/properties`, (property, propertyPointer) =>
          this.serializeField(property, propertyPointer)
        )
      }
    }
    const dynamic = get('dynamic')
    return {
      label: this.json(get('label'), `${pointer}/label`),
      description: this.json(get('description'), `${pointer}/description`),
      type: this.json(type, `${pointer}/type`),
      required: this.serializeRequired(get('required'), `${pointer}/required`),
      multiple: this.orDefault(get('multiple'), false, `${pointer}/multiple`),
      allowNull: this.orDefault(get('allowNull'), false, `${pointer}/allowNull`),
      dynamic: isFunction(dynamic) ? true : this.orDefault(dynamic, false, `${pointer}/dynamic`),
      default: this.orDefault(get('default'), null, `${pointer}/default`),
      choices: this.serializeChoices(get('choices'), `${pointer}/choices`),
      placeholder: this.orDefault(get('placeholder'), null, `${pointer}/placeholder`),
      properties,
      category: this.orDefault(get('category'), null, `${pointer}/category`),
      depends_on: this.orDefault(get('depends_on'), null, `${pointer}/depends_on`),
      readOnly: this.orDefault(get('readOnly'), null, `${pointer}/readOnly`),
      hidden: this.orDefault(get('unsafe_hidden'), null, `${pointer}/hidden`),
      minimum: this.orDefault(get('minimum'), null, `${pointer}/minimum`),
      maximum: this.orDefault(get('maximum'), null, `${pointer}/maximum`),
      defaultObjectUI: this.orDefault(get('defaultObjectUI'), null, `${pointer}/defaultObjectUI`),
      disabledInputMethods: this.orDefault(get('disabledInputMethods'), null, `${pointer}/disabledInputMethods`),
      displayMode: this.orDefault(get('displayMode'), null, `${pointer}/displayMode`),
      format: this.orDefault(get('format'), null, `${pointer}/format`),
      additionalProperties: this.orDefault(get('additionalProperties'), false, `${pointer}/additionalProperties`)
    }
  }

  private serializeAction(actionKey: string, action: StaticValue, pointer: string): Json {
    const mutated = mutationOf(action)
    if (mutated) return this.unknown(pointer, mutated)
    if (!isPlainObject(action)) return this.unknown(pointer, asUnresolved(action, 'action is not an object literal'))
    const get = (key: string) => readProperty(action, key)
    const platform = get('platform')
    const performBatch = get('performBatch')
    return {
      title: this.orDefault(get('title'), actionKey, `${pointer}/title`),
      description: this.orDefault(get('description'), '', `${pointer}/description`),
      platform: platform instanceof Unresolved ? this.unknown(`${pointer}/platform`, platform) : platform === 'web' ? 'web' : 'cloud',
      defaultSubscription: this.orDefault(get('defaultSubscription'), null, `${pointer}/defaultSubscription`),
      hidden: this.orDefault(get('hidden'), false, `${pointer}/hidden`),
      hasPerformBatch:
        performBatch instanceof Unresolved ? this.unknown(`${pointer}/hasPerformBatch`, performBatch) : isFunction(performBatch),
      syncMode: this.serializeSyncMode(get('syncMode'), `${pointer}/syncMode`),
      hooks: this.serializeHooks(get('hooks'), `${pointer}/hooks`),
      dynamicFields: this.serializeDynamicFields(get('dynamicFields'), `${pointer}/dynamicFields`),
      fields: this.serializeMap(get('fields') ?? {}, `${pointer}/fields`, (field, fieldPointer) => this.serializeField(field, fieldPointer))
    }
  }

  private serializeSyncMode(syncMode: StaticValue, pointer: string): Json {
    if (syncMode instanceof Unresolved) return this.unknown(pointer, syncMode)
    if (!syncMode) return null
    if (!isPlainObject(syncMode)) return this.unknown(pointer, new Unresolved('syncMode is not an object literal'))
    this.remember(pointer, syncMode)
    const get = (key: string) => readProperty(syncMode, key)
    const choices = get('choices') ?? []
    let serializedChoices: Json
    if (!Array.isArray(choices))
      serializedChoices = this.unknown(`${pointer}/choices`, asUnresolved(choices, 'syncMode choices are not an array'))
    else {
      serializedChoices = choices.map((choice, index) => {
        if (!isPlainObject(choice))
          return this.unknown(`${pointer}/choices/${index}`, asUnresolved(choice, 'choice is not an object literal'))
        return {
          value: this.json(readProperty(choice, 'value'), `${pointer}/choices/${index}/value`),
          label: this.json(readProperty(choice, 'label'), `${pointer}/choices/${index}/label`)
        }
      })
    }
    return {
      default: this.json(get('default'), `${pointer}/default`),
      label: this.orDefault(get('label'), 'Sync Mode', `${pointer}/label`),
      description: this.orDefault(get('description'), '', `${pointer}/description`),
      choices: serializedChoices
    }
  }

  private serializeHooks(hooks: StaticValue, pointer: string): Json {
    if (hooks instanceof Unresolved) return this.unknown(pointer, hooks)
    if (!hooks) return null
    if (!isPlainObject(hooks)) return this.unknown(pointer, new Unresolved('hooks is not an object literal'))
    const result: JsonObject = {}
    this.markPartialMap(hooks, pointer, result)
    for (const hookKey of Object.keys(hooks)) {
      if (!HOOK_TYPES.includes(hookKey)) continue
      const hookPointer = `${pointer}/${escapePointer(hookKey)}`
      const hook = hooks[hookKey]
      if (!isPlainObject(hook)) {
        result[hookKey] = this.unknown(hookPointer, asUnresolved(hook, 'hook is not an object literal'))
        continue
      }
      this.remember(hookPointer, hook, hooks, hookKey)
      const get = (key: string) => readProperty(hook, key)
      let outputs = get('outputTypes')
      if (outputs === undefined || outputs === null) outputs = get('outputFields')
      result[hookKey] = {
        label: this.orDefault(get('label'), hookKey, `${hookPointer}/label`),
        description: this.orDefault(get('description'), '', `${hookPointer}/description`),
        inputFields: this.serializeMap(get('inputFields') ?? {}, `${hookPointer}/inputFields`, (field, p) => this.serializeField(field, p)),
        outputFields: this.serializeMap(outputs ?? {}, `${hookPointer}/outputFields`, (field, p) => this.serializeField(field, p))
      }
    }
    return Object.keys(result).length > 0 ? result : null
  }

  private serializeDynamicFields(dynamicFields: StaticValue, pointer: string): Json {
    if (dynamicFields instanceof Unresolved) return this.unknown(pointer, dynamicFields)
    // The generator only reads an object here; anything else serialises as null.
    if (!isPlainObject(dynamicFields)) return null
    const result: JsonObject = {}
    this.markPartialMap(dynamicFields, pointer, result)
    for (const fieldKey of Object.keys(dynamicFields)) {
      const handler = dynamicFields[fieldKey]
      if (isFunction(handler)) continue
      if (handler instanceof Unresolved) {
        result[fieldKey] = this.unknown(`${pointer}/${escapePointer(fieldKey)}`, handler)
        continue
      }
      if (isPlainObject(handler)) {
        const keys = Object.keys(handler).filter((key) => key === '__keys__' || key === '__values__')
        if (keys.length > 0) result[fieldKey] = keys
      }
    }
    return Object.keys(result).length === 0 ? null : result
  }

  private serializePresets(presets: StaticValue): Json {
    if (presets instanceof Unresolved) return this.unknown('/presets', presets)
    if (presets === undefined || presets === null) return []
    if (!Array.isArray(presets)) return this.unknown('/presets', new Unresolved('presets is not an array literal'))
    if (mutationOf(presets)) return this.unknown('/presets', mutationOf(presets) as Unresolved)
    return presets.map((preset, index) => {
      const pointer = `/presets/${index}`
      if (mutationOf(preset)) return this.unknown(pointer, mutationOf(preset) as Unresolved)
      if (!isPlainObject(preset)) return this.unknown(pointer, asUnresolved(preset, 'preset is not an object literal'))
      this.remember(pointer, preset)
      const get = (key: string) => readProperty(preset, key)
      return {
        name: this.json(get('name'), `${pointer}/name`),
        type: this.json(get('type'), `${pointer}/type`),
        partnerAction: this.json(get('partnerAction'), `${pointer}/partnerAction`),
        subscribe: this.json(get('subscribe'), `${pointer}/subscribe`),
        mapping: this.orDefault(get('mapping'), {}, `${pointer}/mapping`),
        eventSlug: this.orDefault(get('eventSlug'), null, `${pointer}/eventSlug`)
      }
    })
  }

  private serializeRequired(required: StaticValue, pointer: string): Json {
    if (required instanceof Unresolved) return this.unknown(pointer, required)
    if (typeof required === 'object' && required !== null) return this.json(required, pointer) ?? null
    return required === true
  }

  private serializeChoices(choices: StaticValue, pointer: string): Json {
    if (choices instanceof Unresolved) return this.unknown(pointer, choices)
    if (mutationOf(choices)) return this.unknown(pointer, mutationOf(choices) as Unresolved)
    if (!Array.isArray(choices) || choices.length === 0) return null
    return choices.map((choice, index) => {
      const choicePointer = `${pointer}/${index}`
      if (choice instanceof Unresolved) return this.unknown(choicePointer, choice)
      if (isPlainObject(choice) && 'label' in choice && 'value' in choice) return this.json(choice, choicePointer) ?? null
      if (isPlainObject(choice) && partialReason(choice)) return this.unknown(choicePointer, partialReason(choice) as Unresolved)
      if (typeof choice === 'object' && choice !== null && !isPlainObject(choice) && !Array.isArray(choice)) {
        return this.unknown(choicePointer, new Unresolved('choice is not a constant'))
      }
      // The generator's String(choice): an object without label/value becomes "[object Object]".
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- reproduces the generator's output exactly
      return { label: String(choice), value: this.json(choice, `${choicePointer}/value`) }
    })
  }

  /** Serialises a keyed map (actions, fields, settings); unknown keys are flagged with a "$unresolved" key. */
  private serializeMap(
    map: StaticValue,
    pointer: string,
    serializeEntry: (value: StaticValue, pointer: string, key: string) => Json
  ): Json {
    if (map instanceof Unresolved) return this.unknown(pointer, map)
    const mutated = mutationOf(map)
    if (mutated) return this.unknown(pointer, mutated)
    if (!isPlainObject(map)) return this.unknown(pointer, new Unresolved('not an object literal'))
    const result: JsonObject = {}
    for (const key of Object.keys(map)) {
      const entryPointer = `${pointer}/${escapePointer(key)}`
      this.remember(entryPointer, map[key], map, key)
      result[key] = serializeEntry(map[key], entryPointer, key)
    }
    this.markPartialMap(map, pointer, result)
    return result
  }

  private markPartialMap(map: StaticObject, pointer: string, result: JsonObject): void {
    const partial = partialReason(map)
    if (partial) result.$unresolved = this.unknown(pointer, partial).$unresolved
  }

  /** `value ?? fallback`, as the generator writes it. */
  private orDefault(value: StaticValue, fallback: Json, pointer: string): Json | undefined {
    if (value === undefined || value === null) return fallback
    return this.json(value, pointer)
  }

  /** Converts a value as JSON.stringify would see it; unknown parts become markers. */
  json(value: StaticValue, pointer: string): Json | undefined {
    if (value instanceof Unresolved) return this.unknown(pointer, value)
    if (value instanceof FunctionValue || value instanceof BuiltinFunction) return undefined
    if (value instanceof ModuleNamespace) return this.unknown(pointer, new Unresolved('a module namespace is not a value'))
    if (value instanceof StaticCollection) return this.unknown(pointer, new Unresolved(`a ${value.kind} in a definition is not serialised`))
    if (value === undefined) return undefined
    if (typeof value === 'number') return Number.isFinite(value) ? value : null
    if (typeof value === 'bigint') return this.unknown(pointer, new Unresolved('a BigInt cannot be serialised'))
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
    const mutated = mutationOf(value)
    if (mutated) return this.unknown(pointer, mutated)
    if (Array.isArray(value)) {
      return value.map((element, index) => this.json(element, `${pointer}/${index}`) ?? null)
    }
    const result: JsonObject = {}
    for (const key of Object.keys(value)) {
      const converted = this.json(value[key], `${pointer}/${escapePointer(key)}`)
      if (converted !== undefined) result[key] = converted
    }
    this.markPartialMap(value, pointer, result)
    return result
  }

  private unknown(pointer: string, why: Unresolved): { $unresolved: string } {
    this.unresolved.push({ pointer, reason: why.reason, ...why.location })
    return { $unresolved: why.reason }
  }

  private remember(pointer: string, value: StaticValue, parent?: StaticObject, key?: string): void {
    const node = nodeOf(value) ?? (parent && key !== undefined ? propertyNodeOf(parent, key) : undefined)
    if (node) this.locations.set(pointer, node)
  }
}

function isFunction(value: StaticValue): boolean {
  return value instanceof FunctionValue || value instanceof BuiltinFunction
}

function asUnresolved(value: StaticValue, reason: string): Unresolved {
  return value instanceof Unresolved ? value : new Unresolved(reason)
}

/** Locations by JSON pointer, kept as syntax nodes and turned into line and column when asked. */
export class LocationIndex {
  private readonly nodes = new Map<string, ts.Node>()

  set(pointer: string, node: ts.Node): void {
    this.nodes.set(pointer, node)
  }

  has(pointer: string): boolean {
    return this.nodes.has(pointer)
  }

  get(pointer: string): SourceLocation | undefined {
    const node = this.nodes.get(pointer)
    return node ? locateNode(node) : undefined
  }

  /** The file of `get(pointer)` without its line and column (those need the file's line map). */
  pathOf(pointer: string): string | undefined {
    return this.nodes.get(pointer)?.getSourceFile().fileName
  }

  keys(): IterableIterator<string> {
    return this.nodes.keys()
  }
}

export function escapePointer(key: string): string {
  if (!key.includes('~') && !key.includes('/')) return key
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}
