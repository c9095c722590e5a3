// A cloud source's model in the `model` envelope: `metadata` holds the source model as JSON, and
// every `{"$unresolved"}` in it is listed in `unresolved` with its pointer and place, as for
// destinations, so nothing unknown passes silently.
import type { IntegrationLocation } from '../../discover/discover-integrations.js'
import type { JsonObject, UnresolvedEntry } from '../serialize-metadata.js'
import type { SourceModel } from './extract-source.js'

export function sourceMetadata(model: SourceModel, location: IntegrationLocation): { metadata: JsonObject; unresolved: UnresolvedEntry[] } {
  const metadata = JSON.parse(
    JSON.stringify({ kind: 'cloud-source', slug: location.folder, name: location.folder, ...model })
  ) as JsonObject
  const unresolved: UnresolvedEntry[] = []
  const walk = (value: unknown, pointer: string, near: { path?: string; line?: number; column?: number }) => {
    if (typeof value !== 'object' || value === null) return
    const record = value as Record<string, unknown>
    const here =
      typeof record.location === 'object' && record.location !== null
        ? (record.location as typeof near)
        : typeof record.line === 'number' && record.line > 0
          ? { path: typeof record.path === 'string' ? record.path : near.path, line: record.line, column: record.column as number }
          : near
    if (typeof record.$unresolved === 'string') {
      unresolved.push({ pointer, reason: record.$unresolved, ...here })
      return
    }
    for (const [key, member] of Object.entries(record)) walk(member, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, here)
  }
  walk(metadata, '', {})
  return { metadata, unresolved }
}
