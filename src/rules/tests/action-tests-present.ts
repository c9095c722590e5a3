// tests/action-tests-present: every action the change adds or touches has a test that runs it,
// as Segment's testing guide requires before a pull request is approved.
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer, pointerOf } from '../support/definition-location.js'
import { actionPlacements } from '../support/integration-actions.js'
import { isTestFile, resolveRelativeImport, testFileFacts, type TestFileFacts } from '../support/integration-tests.js'

/**
 * The action keys a test file runs, resolved statically (the test code is never run): direct
 * `testAction` / `testBatchAction` / `executeBatch` calls; calls of a helper that passes the key
 * it receives to one of those, declared in the file or imported from a relative module, or handed
 * to a callback by such a module (`testRunner((settings, action) => action('createUpdateDevice', …))`);
 * and `perform` / `performBatch` of an imported action module.
 */
function actionsRunBy(
  path: string,
  facts: TestFileFacts,
  files: ReadonlySet<string>,
  factsOf: (path: string) => TestFileFacts | undefined,
  placements: ReturnType<typeof actionPlacements>
): string[] {
  const keys: string[] = []
  for (const call of facts.actionCalls) if (call.actionKey !== undefined) keys.push(call.actionKey)
  const bindings = new Map(facts.importBindings.map((binding) => [binding.local, binding]))
  const moduleOf = (local: string): { path: string; facts: TestFileFacts | undefined } | undefined => {
    const binding = bindings.get(local)
    if (!binding) return undefined
    const resolved = resolveRelativeImport(path, binding.specifier, files)
    return resolved ? { path: resolved, facts: resolved === path ? facts : factsOf(resolved) } : undefined
  }
  /** A function that runs the action whose key it is given: a runner of this file or an imported one. */
  const isRunner = (name: string): boolean => {
    if (facts.actionRunners.includes(name)) return true
    const binding = bindings.get(name)
    const module = moduleOf(name)
    if (!binding || !module?.facts) return false
    return binding.imported === 'default' ? module.facts.actionRunners.length > 0 : module.facts.actionRunners.includes(binding.imported)
  }
  /** A function that hands a runner to the callbacks it is given: declared where a runner is declared. */
  const handsOutRunner = (name: string): boolean => {
    if (facts.actionRunners.length > 0 && !bindings.has(name)) return true
    const module = moduleOf(name)
    return (module?.facts?.actionRunners.length ?? 0) > 0
  }
  for (const call of facts.namedHelperCalls) {
    if (call.callbackOf === undefined ? isRunner(call.callee) : call.callbackOf !== '' && handsOutRunner(call.callbackOf))
      keys.push(call.firstArgument)
  }
  for (const call of facts.performCalls) {
    if (call.actionKey !== undefined) {
      keys.push(call.actionKey)
      continue
    }
    const module = moduleOf(call.object)
    if (!module) continue
    for (const action of placements) {
      if (action.file === module.path || (action.folder !== undefined && module.path.startsWith(`${action.folder}/`))) keys.push(action.key)
    }
  }
  return keys
}

export default defineRule({
  id: 'tests/action-tests-present',
  category: 'tests',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'New and changed actions are tested',
  docs: {
    why: "Segment's testing guide says pull requests without relevant tests are not approved. A unit test that runs the action through `testAction` (with the HTTP calls mocked) is the only proof the mapping, the request and the error handling work before customers depend on it.",
    fix: "Add `<action>/__tests__/index.test.ts` that calls `testDestination.testAction('<actionKey>', { event, mapping, settings })` (or `testBatchAction`) and asserts the request it sends. Browser destinations: load the destination with a subscription whose `partnerAction` is the action key.",
    bad: "acme/sendEvent/index.ts with no test calling testAction('sendEvent')",
    good: "acme/sendEvent/__tests__/index.test.ts: await testDestination.testAction('sendEvent', { event, useDefaultMappings: true })"
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'source') return []
    const testFiles = context.integrationFiles.filter(isTestFile)
    const files = new Set(context.integrationFiles)
    const placements = actionPlacements(context)
    const factsOf = (path: string): TestFileFacts | undefined => {
      const file = context.parse(path)
      return file ? testFileFacts(file) : undefined
    }
    const exercised = new Set<string>()
    // Files that run actions by a computed name, like the destination snapshot test looping over all actions.
    const computedNameFiles: string[] = []
    for (const path of testFiles) {
      const facts = factsOf(path)
      if (!facts) continue
      for (const key of actionsRunBy(path, facts, files, factsOf, placements)) exercised.add(key)
      if (facts.actionCalls.some((call) => call.actionKey === undefined && !call.nameFromParameter)) computedNameFiles.push(path)
      // Browser destination tests run an action through a subscription naming it.
      if (context.integration.kind === 'browser-destination') for (const key of facts.partnerActions) exercised.add(key)
    }
    const browser = context.integration.kind === 'browser-destination'
    const findings: RawFinding[] = []
    for (const action of placements) {
      if (!action.changed || exercised.has(action.key)) continue
      const ownTests = action.folder ? testFiles.filter((path) => path.startsWith(`${action.folder}/__tests__/`)) : []
      if (ownTests.length > 0) continue
      const pointer = pointerOf('actions', action.key)
      const location = locatePointer(context.head, pointer)
      const suggested = action.folder ? `${action.folder}/__tests__/index.test.ts` : `${context.integration.path}/__tests__/index.test.ts`
      const relative = (path: string) => path.slice(context.integration.path.length + 1)
      const computed =
        computedNameFiles.length > 0
          ? ` (${computedNameFiles.map(relative).join(', ')} runs actions under a computed name, as generated-data snapshot loops do; that does not test this action's behaviour)`
          : ''
      findings.push({
        path: location.path,
        line: location.line,
        column: location.column,
        key: pointer,
        message: `Action "${action.key}" is new or changed, but no test is written for it: no test file runs it (\`testAction('${action.key}', ...)\`, \`testBatchAction\`, \`executeBatch\`, a helper wrapping them, or the imported action's \`perform\`)${browser ? ` or subscribes \`partnerAction: '${action.key}'\`` : ''}${action.folder ? `, and \`${action.folder}/__tests__/\` has no test` : ''}${computed}. Add ${suggested} that ${browser ? `loads the destination with a subscription to "${action.key}" and checks the SDK call it makes` : 'runs the action with nock-mocked HTTP and checks the request it sends'}.`
      })
    }
    return findings
  }
})
