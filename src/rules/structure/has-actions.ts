// structure/has-actions: a destination must define at least one action (Segment's `validate` fails otherwise).
import { isPlainObject, locationOf, readProperty } from '../../model/static-values.js'
import { defineRule } from '../rule.js'
import { definitionOf, findingAtLocation, isPartialObject } from '../support/destination-entries.js'

export const hasActions = defineRule({
  id: 'structure/has-actions',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'The destination defines at least one action',
  docs: {
    why: "A destination without actions cannot receive any data; Segment's own `validate` command rejects it.",
    fix: 'Add an action folder (e.g. `trackEvent/index.ts`) and list it under `actions` in the destination definition.',
    bad: "const destination: DestinationDefinition<Settings> = {\n  name: 'Acme (Actions)',\n  actions: {}\n}",
    good: "import trackEvent from './trackEvent'\n\nconst destination: DestinationDefinition<Settings> = {\n  name: 'Acme (Actions)',\n  actions: { trackEvent }\n}"
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'source') return []
    const definition = definitionOf(context)
    if (!definition) return []
    const actions = readProperty(definition, 'actions')
    const asyncActions = readProperty(definition, 'asyncActions')
    const countOf = (map: unknown): number | undefined => {
      if (map === undefined || map === null) return 0
      if (!isPlainObject(map) || isPartialObject(map)) return undefined
      return Object.keys(map).length
    }
    const count = countOf(actions)
    const asyncCount = countOf(asyncActions)
    if (count === undefined || asyncCount === undefined || count + asyncCount > 0) return []
    const where = (isPlainObject(actions) ? locationOf(actions) : undefined) ?? locationOf(definition)
    const message =
      actions === undefined || actions === null
        ? 'The destination definition has no `actions`. Add at least one action (a folder with its own `index.ts`) and list it under `actions`, or the destination cannot receive data.'
        : "The destination's `actions` map is empty. Add at least one action (a folder with its own `index.ts`) and list it under `actions`, or the destination cannot receive data."
    return [findingAtLocation(context, where, 'actions', message)]
  }
})
