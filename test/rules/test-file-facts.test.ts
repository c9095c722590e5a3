// Test-file facts read from the by-kind lists of the syntax index must be the facts the
// last-child-first walk gives (the walk still serves files too deep or too large for the lists):
// the same imports winning for a name bound twice, the same calls in position order.
import { describe, expect, it } from 'vitest'
import { parseTree } from '../../src/model/parse-tree.js'
import { ts } from '../../src/model/typescript.js'
import { MAX_WALK_DEPTH } from '../../src/model/syntax-index.js'
import { testFileFacts, type TestFileFacts } from '../../src/rules/support/integration-tests.js'

const TEST_FILES = [
  `import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import Destination from '../../index'
import { runAction } from '../helpers'
import { runAction } from './other-helpers'
const testDestination = createTestIntegration(Destination)
const actionSlug = 'trackEvent'
const settings = { apiKey: 'key', partnerAction: 'sendEvent' }
describe('Acme.trackEvent', () => {
  beforeEach(() => nock.disableNetConnect())
  it('sends', async () => {
    nock('https://api.acme.com').post('/v1/track').reply(200, {})
    nock(/.*/).persist().post(/.*/).reply(200)
    const responses = await testDestination.testAction(actionSlug, { event: createTestEvent(), settings, useDefaultMappings: true })
    expect(responses[0].status).toBe(200)
    await testDestination.testBatchAction('trackEvent', { events: [createTestEvent()], settings })
    await runAction('identify', { settings })
    await Destination.actions.identifyUser.perform(request, data)
    expect(responses[0].options.json).toMatchSnapshot()
  })
})
`,
  `import { testDestination } from './setup'
const run = (name, args) => testDestination.testAction(name, args)
const helper = function helper(key) { return testDestination.executeBatch(key, {}) }
testRunner((settings, action) => { action('createUpdateDevice', { settings }); f()() })
for (const actionSlug of Object.keys(Destination.actions)) {
  it(actionSlug, async () => { await testDestination.testAction(actionSlug, { mapping: {} }) })
}
const actionSlug = 'other'
run('upsert', {})
helper('remove')
`
]

function parsed(text: string) {
  return {
    path: 'acme/track/__tests__/index.test.ts',
    text,
    sourceFile: parseTree('acme/track/__tests__/index.test.ts', text, ts.ScriptKind.TS),
    syntaxErrors: []
  }
}

/** The facts with the lists whose order carries no meaning put in one order. */
function normalised(facts: TestFileFacts) {
  const sorted = <T>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  return {
    ...facts,
    namedHelperCalls: sorted(facts.namedHelperCalls),
    performCalls: sorted(facts.performCalls),
    relativeImports: sorted(facts.relativeImports),
    partnerActions: sorted(facts.partnerActions),
    actionRunners: sorted(facts.actionRunners)
  }
}

describe('test file facts', () => {
  it('are the same from the index lists as from the walk', () => {
    // A statement nested past the depth bound makes the facts come from the walk; it adds none.
    const deep = `\nconst deep = root${'.next'.repeat(MAX_WALK_DEPTH + 50)}\n`
    for (const text of TEST_FILES) {
      const fromLists = testFileFacts(parsed(text))
      const fromWalk = testFileFacts(parsed(text + deep))
      expect(normalised(fromLists)).toEqual(normalised(fromWalk))
      expect(fromLists.importBindings).toEqual(fromWalk.importBindings)
    }
  })

  it('find the calls, mocks, runners and bindings a partner test writes', () => {
    const facts = testFileFacts(parsed(TEST_FILES[0]))
    expect(facts.actionCalls.map((call) => [call.method, call.actionKey])).toEqual([
      ['testAction', 'trackEvent'],
      ['testBatchAction', 'trackEvent']
    ])
    expect(facts.nockCalls.map((call) => call.matchesAnyHost)).toEqual([false, true])
    expect(facts.callsNockApi).toBe(true)
    expect(facts.callsSnapshotMatcher).toBe(true)
    expect(facts.partnerActions).toEqual(['sendEvent'])
    expect(facts.performCalls).toEqual([{ object: '', actionKey: 'identifyUser' }])
    // `runAction` is bound twice: the first import is the one a Map of the bindings keeps last.
    expect(new Map(facts.importBindings.map((binding) => [binding.local, binding.specifier])).get('runAction')).toBe('../helpers')
    const runners = testFileFacts(parsed(TEST_FILES[1]))
    expect([...runners.actionRunners].sort()).toEqual(['helper', 'run'])
    expect(runners.actionCalls.find((call) => call.nameFromParameter === false)?.actionKey).toBeUndefined()
  })
})
