// Writes made by module top-level code after a declaration make the written objects unknown:
// reporting the declared value would be wrong.
import { describe, expect, it } from 'vitest'
import { anyString, objectContaining, stringContaining } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { Unresolved, mutationOf } from '../../src/model/static-values.js'

const ROOT = 'packages/destination-actions/src/destinations/mutable'

function metadataOf(files: Record<string, string>) {
  const source = new MemoryFileSource(Object.fromEntries(Object.entries(files).map(([path, text]) => [`${ROOT}/${path}`, text])))
  const [location] = discoverIntegrations(source)
  return extractIntegration(source, location)
}

const DESTINATION = `import send from './send'\nexport default { name: 'Mutable', actions: { send } }\n`

function sendWith(fieldsModule: string, extra = '') {
  return {
    'index.ts': DESTINATION,
    'fields.ts': fieldsModule,
    'send/index.ts': `import { fields } from '../fields'\n${extra}\nexport default { title: 'Send', description: 'Send it.', fields, perform: () => undefined }\n`
  }
}

const FIELDS = `export const fields = {
  email: { label: 'Email', description: 'Email.', type: 'string' },
  phone: { label: 'Phone', description: 'Phone.', type: 'string' }
}\n`

type Fields = Record<string, Record<string, unknown>>
const fieldsOf = (model: ReturnType<typeof metadataOf>) => (model.metadata as { actions: { send: { fields: Fields } } }).actions.send.fields

describe('writes after declaration', () => {
  it('makes a field written by top-level code unknown, and leaves its siblings known', () => {
    const model = metadataOf(sendWith(`${FIELDS}fields.email.required = true\n`))
    const fields = fieldsOf(model)
    expect(fields.email).toEqual({ $unresolved: stringContaining('modified after its declaration at') })
    expect(fields.phone.label).toBe('Phone')
  })

  it('follows writes made in another module through an import', () => {
    const model = metadataOf(sendWith(FIELDS, `fields.phone.label = 'Changed'`))
    expect(fieldsOf(model).phone).toEqual({ $unresolved: stringContaining('send/index.ts:2') })
  })

  it('treats deletes, array mutators and Object.assign as writes', () => {
    // Right after the declaration, top-level statements that only fill the object are run exactly (see module-initialisers).
    expect(Object.keys(fieldsOf(metadataOf(sendWith(`${FIELDS}delete (fields as Record<string, unknown>).phone\n`))))).toEqual(['email'])
    const choices = metadataOf(
      sendWith(
        `const CHOICES = ['a']\nCHOICES.push('b')\nexport const fields = { kind: { label: 'Kind', description: 'Kind.', type: 'string', choices: CHOICES } }\n`
      )
    )
    expect(fieldsOf(choices).kind.choices).toEqual([
      { label: 'a', value: 'a' },
      { label: 'b', value: 'b' }
    ])
    // Read before it is complete, the object could be seen half filled: the write is marked instead.
    const early = metadataOf(
      sendWith(
        `const CHOICES = ['a']\nexport const COPY = [...CHOICES]\nCHOICES.push('b')\nexport const fields = { kind: { label: 'Kind', description: 'Kind.', type: 'string', choices: CHOICES } }\n`
      )
    )
    expect(fieldsOf(early).kind.choices).toEqual({ $unresolved: anyString() })
    const assigned = metadataOf(sendWith(`${FIELDS}Object.assign(fields.phone, { label: 'Other' })\n`))
    expect(fieldsOf(assigned).phone).toEqual({ $unresolved: anyString() })
  })

  it('treats writes inside loops and callbacks with unknown keys as writes to everything below the root', () => {
    const model = metadataOf(sendWith(`${FIELDS}for (const key of Object.keys(fields)) (fields as any)[key].hidden = true\n`))
    expect(fieldsOf(model)).toEqual({ $unresolved: anyString() })
  })

  it('ignores writes inside functions that do not run at load (perform, helpers)', () => {
    const model = metadataOf(sendWith(`${FIELDS}export function later() { fields.email.required = true }\n`))
    expect(fieldsOf(model).email.required).toBe(false)
  })

  it('ignores helpers above the action that change their own arguments and locals (they run from perform)', () => {
    const helpers = `const mapPayload = (payload: any) => {
  delete payload.metadata?.mobile
  payload.name = payload.name.trim()
  return payload
}
const processData = async (events: any[], payload: any) => { events.push(mapPayload(payload)) }
function later() { fields.email.required = true }
`
    const fields = fieldsOf(metadataOf(sendWith(FIELDS, helpers)))
    expect(fields.email.label).toBe('Email')
    expect(fields.email.required).toBe(false)
  })

  it('follows helpers called at load time: their writes to module objects count, writes to their fresh locals do not', () => {
    const called = metadataOf(sendWith(`${FIELDS}function requireAll() { fields.email.required = true }\nrequireAll()\n`))
    expect(fieldsOf(called).email).toEqual({ $unresolved: stringContaining('fields.ts:5') })
    expect(fieldsOf(called).phone.label).toBe('Phone')
    const fresh = metadataOf(
      sendWith(
        `${FIELDS}function build() { const out = { list: [] as string[] }; out.list.push('x'); return out }\nexport const built = build()\n`
      )
    )
    expect(fieldsOf(fresh).email.label).toBe('Email')
    // A closure that outlives the call writes to the object after it became a module value.
    const escaped = metadataOf(
      sendWith(
        `${FIELDS}function make() { const cache = { seen: [] as string[] }; return { cache, add: (k: string) => { cache.seen.push(k) } } }\nexport const store = make()\nstore.add('x')\n`,
        `import { store } from '../fields'\nexport const SEEN = store.cache.seen\n`
      )
    )
    expect(escaped.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'SEEN')).toBeInstanceOf(Unresolved)
    const table = metadataOf(
      sendWith(
        `${FIELDS}export const LABELS = Object.values(fields).reduce((acc, field) => { acc[field.label] = field.type; return acc }, {} as Record<string, string>)\n`
      )
    )
    expect(fieldsOf(table).email.label).toBe('Email')
  })

  it('makes a static table of a class unknown when a static method called at load time fills it', () => {
    const registry = `export class Registry {\n  static extra: Record<string, unknown> = {}\n  static register(key: string) { Registry.extra[key] = { label: key, type: 'string' } }\n}\n`
    const filled = metadataOf(
      sendWith(
        `${FIELDS}${registry}Registry.register('coupon')\n`,
        `import { Registry } from '../fields'\nexport const EXTRA = Registry.extra\n`
      )
    )
    expect(mutationOf(filled.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'EXTRA'))?.reason).toContain(
      'modified after its declaration'
    )
    const untouched = metadataOf(
      sendWith(`${FIELDS}${registry}`, `import { Registry } from '../fields'\nexport const EXTRA = Registry.extra\n`)
    )
    const declared = untouched.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'EXTRA')
    expect(declared).toEqual({})
    expect(mutationOf(declared)).toBeUndefined()
  })

  it('makes an object filled from a list that load-time code changes unknown, before or after the fill', () => {
    const before = metadataOf(
      sendWith(
        `${FIELDS}const BASE = ['a']\nBASE.push('x')\nexport const KINDS: string[] = []\nKINDS.push(...BASE)\nexport const LATER: string[] = []\nfor (const k of BASE) LATER.push(k)\nBASE.push('y')\n`,
        `import { KINDS } from '../fields'\nexport const COPY = KINDS\n`
      )
    )
    expect(mutationOf(before.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'COPY'))?.reason).toContain(
      'from a value that load-time code changes'
    )
    const helper = metadataOf(
      sendWith(
        `${FIELDS}const BASE = ['a']\nfunction grow() { BASE.push('b') }\nexport const KINDS: string[] = []\nfor (const k of BASE) KINDS.push(k.toUpperCase())\ngrow()\n`,
        `import { KINDS } from '../fields'\nexport const COPY = KINDS\n`
      )
    )
    expect(mutationOf(helper.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'COPY'))?.reason).toContain(
      'from a value that load-time code changes'
    )
    const clean = metadataOf(
      sendWith(
        `${FIELDS}const BASE = ['a', 'b']\nexport const KINDS: string[] = []\nfor (const k of BASE) KINDS.push(k.toUpperCase())\n`,
        `import { KINDS } from '../fields'\nexport const COPY = KINDS\n`
      )
    )
    expect(clean.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'COPY')).toEqual(['A', 'B'])
  })

  it('treats add/set/delete/clear at load time as changes to a module-level Set or Map', () => {
    const filled = metadataOf(
      sendWith(
        `${FIELDS}export const KINDS = new Set(['a'])\nKINDS.add('b')\n`,
        `import { KINDS } from '../fields'\nexport const CHOICES = [...KINDS]\n`
      )
    )
    expect(filled.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'CHOICES')).toEqual(['a', 'b'])
    const changed = metadataOf(
      sendWith(
        `${FIELDS}export const KINDS = new Set(['a'])\nfunction extend(kinds: Set<string>) { kinds.add('b') }\nextend(KINDS)\n`,
        `import { KINDS } from '../fields'\nexport const CHOICES = [...KINDS]\n`
      )
    )
    expect(changed.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'CHOICES')).toEqual(
      objectContaining({ reason: stringContaining('modified after its declaration') })
    )
    const kept = metadataOf(
      sendWith(
        `${FIELDS}export const KINDS = new Set(['a', 'a', 'b'])\n`,
        `import { KINDS } from '../fields'\nexport const CHOICES = [...KINDS]\n`
      )
    )
    expect(kept.evaluator.evaluateExport(`${ROOT}/send/index.ts`, 'CHOICES')).toEqual(['a', 'b'])
  })

  it('traces writes through parameters, callbacks and locals back to the module objects they reach', () => {
    const argument = metadataOf(sendWith(`${FIELDS}function hide(field: any) { field.hidden = true }\nhide(fields.phone)\n`))
    expect(fieldsOf(argument).phone).toEqual({ $unresolved: anyString() })
    expect(fieldsOf(argument).email.label).toBe('Email')
    const callback = metadataOf(sendWith(`${FIELDS}Object.values(fields).forEach((field: any) => { field.hidden = true })\n`))
    expect(fieldsOf(callback).email).toEqual({ $unresolved: anyString() })
    const shadowed = metadataOf(
      sendWith(`${FIELDS}const key = 'phone'\nfor (const key of ['email']) (fields as any)[key].required = true\n`)
    )
    expect(fieldsOf(shadowed)).toEqual({ $unresolved: anyString() })
    const alias = metadataOf(sendWith(`${FIELDS};(() => { const holder = { inner: fields }; holder.inner.email = null as any })()\n`))
    expect(fieldsOf(alias)).toEqual({ $unresolved: anyString() })
  })

  it('prefers the destination export, as the loader of Segment does', () => {
    const model = metadataOf({
      'index.ts': `import send from './send'\nexport const destination = { name: 'Named', actions: { send } }\nexport default wrap(destination)\n`,
      'send/index.ts': `export default { title: 'Send', description: 'Send it.', fields: {}, perform: () => undefined }\n`
    })
    expect(model.metadata?.name).toBe('Named')
  })
})
