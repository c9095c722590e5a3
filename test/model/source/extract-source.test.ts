import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverIntegrations } from '../../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../../src/model/extract-integration.js'
import { toModelJson } from '../../../src/model/model-json.js'
import { MemoryFileSource } from '../../../src/source/file-source.js'
import { fixtureRevision } from '../../support/fixture-revision.js'

const revision = fixtureRevision(join(import.meta.dirname, '..', '..', 'fixtures', 'source-model'))
const modelOf = (path: string) => {
  const location = discoverIntegrations(revision).find((candidate) => candidate.path === path)
  if (!location) throw new Error(`no integration at ${path}`)
  return extractIntegration(revision, location)
}

describe('cloud source discovery', () => {
  it('finds sources under sources/ and packages/sources/ with their existing entry', () => {
    const found = discoverIntegrations(revision).map((location) => [location.kind, location.path, location.entryPath])
    expect(found).toEqual([
      ['cloud-source', 'packages/sources/relay-client', 'packages/sources/relay-client/src/index.ts'],
      ['cloud-source', 'sources/acme-webhooks', 'sources/acme-webhooks/index.ts'],
      ['cloud-source', 'sources/plain-forms', 'sources/plain-forms/index.js']
    ])
  })

  it('takes a bundled file declaring onRequest as the entry when no index exists, and skips folders without one', () => {
    const source = new MemoryFileSource({
      'sources/bundled/dist-source.js':
        'var x = 1\nasync function onRequest(request, settings) { Segment.track({ event: "A B", userId: "1" }) }\n',
      'sources/notes/README.md': '# not a source',
      'sources/helpers/util.js': 'export const a = 1\n'
    })
    expect(discoverIntegrations(source).map((location) => location.entryPath)).toEqual(['sources/bundled/dist-source.js'])
  })
})

describe('cloud source model', () => {
  it('models a TypeScript source function: events, identity from the request, typed properties, context, settings read', () => {
    const model = modelOf('sources/acme-webhooks')
    const json = toModelJson(model)
    expect(json.kind).toBe('cloud-source')
    const source = model.source!
    expect(source.settingsFrom).toBe('code')
    expect(source.settings.map((setting) => setting.name)).toEqual(['signingSecret'])
    expect(source.calls.map((call) => [call.type, call.event, call.location.line])).toEqual([
      ['track', 'Order Completed', 25],
      ['identify', undefined, 32],
      ['group', undefined, 33]
    ])
    const track = source.calls[0]
    expect(track.identity.userId).toEqual({ source: 'request', from: 'the request' })
    expect(track.identity.anonymousId).toEqual({ source: 'absent' })
    expect(track.properties.keys.map((key) => [key.key, key.type])).toEqual([
      ['order_id', { $unresolved: 'taken from the request' }],
      ['revenue', 'number'],
      ['currency', 'string'],
      ['products', 'array']
    ])
    expect(track.context.keys.map((key) => key.key)).toEqual(['integration'])
    expect(source.calls[2].identity.groupId).toEqual({ source: 'request', from: 'the request' })
  })

  it('marks a dynamic event name and a mutated properties object unknown, never guessed', () => {
    const source = modelOf('sources/plain-forms').source!
    const track = source.calls[0]
    expect(track.event).toEqual({ $unresolved: 'built at run time (a template or concatenation)' })
    expect(track.properties.open).toMatch(/written to after it is built \(line 5\)/)
    expect(source.calls.map((call) => call.type)).toEqual(['track', 'alias', 'set'])
    expect(source.calls[2].event).toBe('forms')
  })

  it('models an HTTP API client: endpoints with their region, batch items, and settings from the manifest', () => {
    const model = modelOf('packages/sources/relay-client')
    const source = model.source!
    expect(source.settingsFrom).toBe('manifest')
    expect(
      source.settings.map((setting) => [setting.name, setting.type, setting.required, setting.encrypted, setting.location.line])
    ).toEqual([
      ['writeKey', 'STRING', true, true, 5],
      ['endpoint', 'STRING', false, false, 6]
    ])
    expect(source.endpoints.map((endpoint) => [endpoint.url, endpoint.region])).toEqual([
      ['*/v1/track', 'configurable'],
      ['https://api.segment.io/v1/batch', 'us']
    ])
    expect(source.calls.map((call) => [call.via, call.type, call.event])).toEqual([
      ['http-api', 'track', 'Signed Up'],
      ['http-api', 'identify', undefined],
      ['http-api', 'track', 'Purchase']
    ])
    expect(model.unresolved.map((entry) => entry.pointer)).toEqual(['/calls/0/properties/keys/0/type'])
  })
})

describe('source settings manifest', () => {
  const settingsOf = (files: Record<string, string>) => {
    const source = new MemoryFileSource({
      'sources/forms/index.js': 'async function onRequest(request, settings) { const key = settings.fromCode }\n',
      ...files
    })
    const location = discoverIntegrations(source)[0]
    return extractIntegration(source, location).source!
  }

  it("reads the Functions API's shape: a list under settings, function.settings or data.function.settings", () => {
    const setting = { name: 'apiKey', label: 'API Key', type: 'STRING', required: true, sensitive: true }
    for (const manifest of [
      { settings: [setting] },
      { function: { settings: [setting] } },
      { data: { function: { settings: [setting] } } },
      [setting]
    ]) {
      const model = settingsOf({ 'sources/forms/function.json': JSON.stringify(manifest) })
      expect(model.settingsFrom).toBe('manifest')
      expect(model.settings.map((entry) => [entry.name, entry.label, entry.type, entry.required, entry.encrypted])).toEqual([
        ['apiKey', 'API Key', 'STRING', true, true]
      ])
    }
  })

  it('falls back to the settings the code reads when no manifest declares any', () => {
    const variants: Array<Record<string, string>> = [
      {},
      { 'sources/forms/settings.json': '{ not json' },
      { 'sources/forms/manifest.json': JSON.stringify({ displayName: 'Forms', code: '' }) }
    ]
    for (const files of variants) {
      const model = settingsOf(files)
      expect(model.settingsFrom).toBe('code')
      expect(model.settings.map((entry) => entry.name)).toEqual(['fromCode'])
    }
  })
})

describe('HTTP API region choice', () => {
  it('recognises an endpoint chosen among Segment regions (a table or a conditional) as configurable', () => {
    const source = new MemoryFileSource({
      'packages/sources/relay/src/index.ts': [
        "const ENDPOINTS = { us: 'https://api.segment.io/v1', eu: 'https://events.eu1.segmentapis.com/v1' } as const",
        'export async function send(settings: { region: "us" | "eu" }, userId: string) {',
        '  const base = ENDPOINTS[settings.region]',
        "  await fetch(`${base}/track`, { method: 'POST', body: JSON.stringify({ userId, event: 'Ticket Closed' }) })",
        "  const host = settings.region === 'eu' ? 'https://events.eu1.segmentapis.com/v1' : 'https://api.segment.io/v1'",
        "  await fetch(host + '/identify', { method: 'POST', body: JSON.stringify({ userId }) })",
        "  await fetch('https://api.partner.example/v1/track', { method: 'POST' })",
        '}'
      ].join('\n')
    })
    const [location] = discoverIntegrations(source)
    const model = extractIntegration(source, location).source!
    expect(model.endpoints.map((endpoint) => [endpoint.url, endpoint.region, endpoint.location.line])).toEqual([
      ['{segment-region}/v1/track', 'configurable', 4],
      ['{segment-region}/v1/identify', 'configurable', 6]
    ])
    expect(model.calls.map((call) => [call.type, call.event])).toEqual([
      ['track', 'Ticket Closed'],
      ['identify', undefined]
    ])
  })
})
