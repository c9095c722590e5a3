// tests/snapshot-test: a new destination ships a snapshot test, which pins the exact request
// each action sends so later changes show up in review.
import { defineRule } from '../rule.js'
import { locatePointer } from '../support/definition-location.js'
import { isSnapshotTestFile, isTestFile, testFileFacts } from '../support/integration-tests.js'

export default defineRule({
  id: 'tests/snapshot-test',
  category: 'tests',
  stages: { public: 'warning' },
  who: 'everyone',
  title: 'New destinations have snapshot tests',
  docs: {
    why: "Segment's testing guide and destination generator add `__tests__/snapshot.test.ts`: it records the request every action sends for generated test data, so any later change to a request shows up as a snapshot diff in review. Most destinations in Segment's repository have one.",
    fix: 'Generate it with `./bin/run generate:snapshot` or add `__tests__/snapshot.test.ts` that runs each action with `testAction` and `expect(request).toMatchSnapshot()`.',
    bad: 'acme/__tests__/index.test.ts only',
    good: 'acme/__tests__/snapshot.test.ts with expect(rawBody).toMatchSnapshot()'
  },
  scope: 'integration',
  check(context) {
    // Snapshot tests are the convention of cloud destinations (browser destinations call SDKs, not HTTP).
    if (context.integration.kind !== 'cloud-destination' || context.base !== undefined || !context.head.metadata) return []
    const testFiles = context.integrationFiles.filter(isTestFile)
    if (testFiles.some(isSnapshotTestFile)) return []
    for (const path of testFiles) {
      const file = context.parse(path)
      if (file && testFileFacts(file).callsSnapshotMatcher) return []
    }
    const location = locatePointer(context.head, '')
    return [
      {
        path: location.path,
        line: location.line,
        column: location.column,
        key: 'snapshot-test',
        message: `This new destination has no snapshot test. Add \`${context.integration.path}/__tests__/snapshot.test.ts\` (\`./bin/run generate:snapshot\`) so the request each action sends is recorded and later changes show up in review.`
      }
    ]
  }
})
