// A reviewed module that writes to a built-in (`JSON.parse = ...`, `Object.keys = ...`) changes
// what that review knows, never what the next review in the same process knows: the App's review
// threads and the CLI model many integrations with one loaded engine.
import { describe, expect, it } from 'vitest'
import { stringContaining } from '../support/asymmetric-matchers.js'
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import { extractIntegration } from '../../src/model/extract-integration.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/acme'

function modelOf(index: string) {
  const source = new MemoryFileSource({ [`${ROOT}/index.ts`]: index })
  const [location] = discoverIntegrations(source)
  return extractIntegration(source, location).metadata as { description: unknown; name: unknown }
}

const USES_BUILTINS = `export default { name: Object.keys({ Acme: 1 })[0], description: JSON.stringify({ a: 1 }), actions: {} }\n`

describe('built-ins written by reviewed code', () => {
  it('are known again in the next review of the same process', () => {
    expect(modelOf(USES_BUILTINS)).toMatchObject({ name: 'Acme', description: '{"a":1}' })
    const hostile = modelOf(`JSON.stringify = () => 'x'\nObject.keys = () => []\n${USES_BUILTINS}`)
    // In the review that wrote them they are not trusted...
    expect(hostile.description).not.toBe('{"a":1}')
    // ...and the next review is not affected.
    expect(modelOf(USES_BUILTINS)).toMatchObject({ name: 'Acme', description: '{"a":1}' })
  })

  it("keep what they do not model unknown on the review's own copy", () => {
    const model = modelOf(`import _ from 'lodash'\nexport default { name: 'Acme', description: _.VERSION, actions: {} }\n`)
    expect(model.description).toEqual({ $unresolved: stringContaining('lodash') })
  })
})
