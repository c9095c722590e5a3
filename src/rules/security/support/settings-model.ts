// The integration's settings (authentication fields) read from the model's metadata, with
// unknown parts kept unknown: taint rules and the settings rule share this view.
import type { IntegrationModel } from '../../../model/extract-integration.js'
import { isPlainObject, propertyLocationOf, readProperty, type SourceLocation, type StaticObject } from '../../../model/static-values.js'

export interface SettingView {
  key: string
  /** JSON pointer of the setting in the metadata. */
  pointer: string
  /** undefined when absent; `unknown` when static analysis could not resolve it. */
  type: string | undefined
  label: string | undefined
  description: string | undefined
  /** True when the setting restricts values to a fixed list (`choices`). */
  hasChoices: boolean
  location: SourceLocation | undefined
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

function isUnknown(value: unknown): boolean {
  return asRecord(value)?.$unresolved !== undefined
}

function escapePointer(key: string): string {
  return key.split('~').join('~0').split('/').join('~1')
}

export function settingsOf(model: IntegrationModel): SettingView[] {
  if (model.source) return sourceSettingsOf(model)
  const authentication = asRecord(model.metadata?.authentication)
  const fields = asRecord(authentication?.fields)
  if (!fields || isUnknown(fields)) return []
  const definitions = settingDefinitions(model)
  const settings: SettingView[] = []
  for (const [key, raw] of Object.entries(fields)) {
    const field = asRecord(raw)
    if (!field || isUnknown(field)) continue
    const pointer = `/authentication/fields/${escapePointer(key)}`
    const type = isUnknown(field.type) ? 'unknown' : typeof field.type === 'string' ? field.type : undefined
    const choices = field.choices
    settings.push({
      key,
      pointer,
      type,
      label: typeof field.label === 'string' ? field.label : undefined,
      description: typeof field.description === 'string' ? field.description : undefined,
      hasChoices: Array.isArray(choices) ? choices.length > 0 : isUnknown(choices),
      location: typeLocation(definitions?.[key]) ?? model.locations.get(pointer)
    })
  }
  return settings
}

/** The evaluated settings object, to point findings at the `type:` line of a setting. */
function settingDefinitions(model: IntegrationModel): StaticObject | undefined {
  const definition = model.definition
  if (!isPlainObject(definition)) return undefined
  const authentication = readProperty(definition, 'authentication')
  const fields = isPlainObject(authentication) ? readProperty(authentication, 'fields') : readProperty(definition, 'settings')
  return isPlainObject(fields) ? fields : undefined
}

function typeLocation(setting: unknown): SourceLocation | undefined {
  return isPlainObject(setting) && Object.prototype.hasOwnProperty.call(setting, 'type') ? propertyLocationOf(setting, 'type') : undefined
}

/**
 * A cloud source's settings as its manifest declares them (Segment's Functions API: `type`
 * `STRING`/`BOOLEAN`/`TEXT_MAP`, `sensitive`). A sensitive setting is hidden like a `password`.
 * Settings only read in the code have no known type: they are left out, so nothing is guessed.
 */
function sourceSettingsOf(model: IntegrationModel): SettingView[] {
  const source = model.source
  if (!source || source.settingsFrom !== 'manifest') return []
  return source.settings.map((setting) => ({
    key: setting.name,
    pointer: `/settings/${escapePointer(setting.name)}`,
    type: setting.encrypted ? 'password' : setting.type === undefined ? undefined : setting.type.toLowerCase(),
    label: setting.label,
    description: setting.description,
    hasChoices: false,
    location: { path: setting.location.path, line: setting.location.line, column: setting.location.column }
  }))
}
