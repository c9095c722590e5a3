// tests/action-tests-present: every action the change adds or touches has a test that runs it,
// as Segment's testing guide requires before a pull request is approved.
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer, pointerOf } from '../support/definition-location.js'
import { actionPlacements } from '../support/integration-actions.js'
import { isTestFile, testFileFacts } from '../support/integration-tests.js'

export default defineRule({
  id: 'tests/action-tests-present',
  category: 'tests',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'New and changed actions are tested',
  docs: {
    why: "Segment's testing guide says pull requests without relevant tests are not approved. A unit test that runs the action through `testAction` (with the HTTP calls mocked) is the only proof the mapping, the request and the error handling work before customers depend on it.",
    fix: "Add `<action>/__tests__/index.test.ts` that calls `testDestination.testAction('<actionKey>', { event, mapping, settings })` (or `testBatchAction`) and asserts the request it sends. Browser destinations: load the destination with a subscription whose `partnerAction` is the action key.",
    bad: 'acme/sendEvent/index.ts with no test calling testAction(\'sendEvent\')',
    good: "acme/sendEvent/__tests__/index.test.ts: await testDestination.testAction('sendEvent', { event, useDefaultMappings: true })"
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'source') return []
    const testFiles = context.integrationFiles.filter(isTestFile)
    const exercised = new Set<string>()
    // Files that run actions by a computed name, like the destination snapshot test looping over all actions.
    const computedNameFiles: string[] = []
    for (const path of testFiles) {
      const file = context.parse(path)
      if (!file) continue
      const facts = testFileFacts(file)
      for (const call of facts.actionCalls) if (call.actionKey !== undefined) exercised.add(call.actionKey)
      if (facts.actionCalls.some((call) => call.actionKey === undefined)) computedNameFiles.push(path)
      // Browser destination tests run an action through a subscription naming it.
      if (context.integration.kind === 'browser-destination') for (const key of facts.partnerActions) exercised.add(key)
    }
    const browser = context.integration.kind === 'browser-destination'
    const findings: RawFinding[] = []
    for (const action of actionPlacements(context)) {
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
        message: `Action "${action.key}" is new or changed, but no test is written for it: no test file calls \`testAction('${action.key}', ...)\` or \`testBatchAction('${action.key}', ...)\`${browser ? ` or subscribes \`partnerAction: '${action.key}'\`` : ''}${action.folder ? `, and \`${action.folder}/__tests__/\` has no test` : ''}${computed}. Add ${suggested} that ${browser ? `loads the destination with a subscription to "${action.key}" and checks the SDK call it makes` : 'runs the action with nock-mocked HTTP and checks the request it sends'}.`
      })
    }
    return findings
  }
})
