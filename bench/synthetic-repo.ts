// The synthetic integrations repository both benchmarks review: the shapes real destinations use
// (imported actions, fields.ts with spreads, shared constants, presets with defaultValues,
// helpers, conditional required, dynamic fields, tests with nock). Written for this project;
// no real code is copied.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const DESTINATIONS_ROOT = 'packages/destination-actions/src/destinations'

export function write(root: string, path: string, text: string): void {
  const full = join(root, path)
  mkdirSync(full.slice(0, full.lastIndexOf('/')), { recursive: true })
  writeFileSync(full, text)
}

function field(key: string, index: number): string {
  const type = ['string', 'number', 'boolean', 'datetime', 'object'][index % 5]
  return `    ${key}: {
      label: '${key.replace(/_/g, ' ')}',
      description: 'The ${key.replace(/_/g, ' ')} of the event, as sent to the partner API.',
      type: '${type}',
      ${index % 4 === 0 ? 'required: true,' : ''}
      ${index % 3 === 0 ? `default: { '@path': '$.properties.${key}' },` : ''}
      ${index % 7 === 0 ? "choices: ['alpha', 'beta', 'gamma']," : ''}
    }`
}

export function generateDestination(root: string, index: number): void {
  const slug = `bench-${index}`
  const dir = `${DESTINATIONS_ROOT}/${slug}`
  const actions = Array.from({ length: 4 + (index % 4) }, (_, n) => `action${n}`)
  write(
    root,
    `${dir}/constants.ts`,
    `export const BASE_URL = 'https://api.${slug}.example'\nexport const VERSION = 'v${index % 3}'\nexport const MAX = ${100 + index}\n`
  )
  write(
    root,
    `${dir}/fields.ts`,
    `import type { InputField } from '@segment/actions-core'
import { VERSION } from './constants'

export const email: InputField = { label: 'Email', description: 'Email of the user (' + VERSION + ').', type: 'string', format: 'email', default: { '@path': '$.traits.email' } }
export const userId: InputField = { label: 'User ID', description: \`User ID for \${VERSION}\`, type: 'string', default: { '@path': '$.userId' } }
export const commonFields = {
  email,
  user_id: userId,
${Array.from({ length: 6 }, (_, n) => field(`common_${n}`, n + index)).join(',\n')}
}
export const makeProperties = () => ({ properties: { label: 'Properties', description: 'Event properties.', type: 'object' as const, default: { '@path': '$.properties' } } })
`
  )
  for (const [n, action] of actions.entries()) {
    write(
      root,
      `${dir}/${action}/index.ts`,
      `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { commonFields, email, makeProperties } from '../fields'
import { BASE_URL, MAX } from '../constants'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Action ${n}',
  description: 'Send action ${n} events to the partner.',
  defaultSubscription: 'type = "track" and event = "Event ${n}"',
  fields: {
    ...commonFields,
    ...makeProperties(),
    email: { ...email, required: true },
${Array.from({ length: 8 + (n % 5) }, (_, k) => field(`field_${k}`, k + n)).join(',\n')},
    mode: { label: 'Mode', description: 'Sync mode.', type: 'string', required: { conditions: [{ fieldKey: 'email', operator: 'is', value: 'x' }] }, dynamic: true },
    batch_size: { label: 'Batch Size', description: 'Events per batch.', type: 'number', minimum: 1, maximum: MAX, default: MAX }
  },
  dynamicFields: { mode: async () => ({ choices: [] }) },
  perform: (request, { payload }) => request(\`\${BASE_URL}/events\`, { method: 'post', json: payload }),
  performBatch: (request, { payload }) => request(\`\${BASE_URL}/batch\`, { method: 'post', json: payload })
}

export default action
`
    )
    write(root, `${dir}/${action}/generated-types.ts`, `export interface Payload {\n  email: string\n  user_id?: string\n}\n`)
    write(
      root,
      `${dir}/${action}/__tests__/index.test.ts`,
      `import nock from 'nock'\nit('works', () => { nock('https://api.${slug}.example').post('/events').reply(200) })\n`
    )
  }
  write(
    root,
    `${dir}/utils.ts`,
    `import { IntegrationError, RetryableError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import { BASE_URL, VERSION } from './constants'

export interface Batch {
  items: Array<Record<string, unknown>>
  size: number
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size))
  return chunks
}

export function endpoint(region: string | undefined, path: string): string {
  const host = region === 'eu' ? 'eu.api.${slug}.example' : 'api.${slug}.example'
  return \`https://\${host}/\${VERSION}/\${encodeURIComponent(path)}\`
}

export async function send(request: RequestClient, path: string, body: unknown) {
  try {
    const response = await request(\`\${BASE_URL}/\${path}\`, { method: 'post', json: body, throwHttpErrors: false })
    if (response.status === 429) throw new RetryableError('Rate limited by the partner API')
    if (response.status >= 400) throw new IntegrationError(\`Request failed with \${response.status}\`, 'PARTNER_ERROR', response.status)
    return response
  } catch (error) {
    if (error instanceof IntegrationError) throw error
    throw new RetryableError(String(error))
  }
}

export const normalise = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim().toLowerCase() : undefined)
`
  )
  write(root, `${dir}/generated-types.ts`, `export interface Settings {\n  apiKey: string\n}\n`)
  write(
    root,
    `${dir}/index.ts`,
    `import type { DestinationDefinition } from '@segment/actions-core'
import { defaultValues } from '@segment/actions-core'
import type { Settings } from './generated-types'
${actions.map((action) => `import ${action} from './${action}'`).join('\n')}
import { BASE_URL } from './constants'

const destination: DestinationDefinition<Settings> = {
  name: 'Bench ${index} (Actions)',
  slug: 'actions-${slug}',
  mode: 'cloud',
  description: 'Synthetic destination ${index}.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: { label: 'API Key', description: 'Your API key.', type: 'password', required: true },
      region: { label: 'Region', description: 'Data region.', type: 'string', choices: [{ label: 'US', value: 'us' }, { label: 'EU', value: 'eu' }], default: 'us' }
    },
    testAuthentication: (request) => request(\`\${BASE_URL}/me\`)
  },
  presets: [
${actions.map((action) => `    { name: '${action}', subscribe: 'type = "track"', partnerAction: '${action}', mapping: { ...defaultValues(${action}.fields), extra: 'x' }, type: 'automatic' }`).join(',\n')}
  ],
  actions: { ${actions.join(', ')} }
}

export default destination
`
  )
}

/** Writes `count` destinations under `root`. */
export function generateRepository(root: string, count: number): void {
  for (let index = 0; index < count; index++) generateDestination(root, index)
}
