// tests/http-mocked: action tests mock HTTP with nock, and narrowly: an unmocked test calls the
// partner's real API from CI, and `nock(/.*/)` accepts a request to any host.
import { defineRule, type RawFinding } from '../rule.js'
import { isSnapshotTestFile, isTestFile, resolveRelativeImport, testFileFacts } from '../support/integration-tests.js'

export default defineRule({
  id: 'tests/http-mocked',
  category: 'tests',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Action tests mock HTTP with nock',
  docs: {
    why: "Segment's tests run in CI without network access to partner APIs. An action test without nock either fails there or calls a real API with real data; a catch-all `nock(/.*/)` passes even when the action sends the request to the wrong host.",
    fix: "Mock the exact host the action calls: `nock('https://api.acme.com').post('/v1/events', body).reply(200, {})`, and keep catch-all mocks to generated snapshot tests.",
    bad: "await testDestination.testAction('sendEvent', { event, useDefaultMappings: true }) // no nock",
    good: "nock('https://api.acme.com').post('/v1/events').reply(200, {})\nawait testDestination.testAction('sendEvent', { event, useDefaultMappings: true })"
  },
  scope: 'integration',
  check(context) {
    if (context.integration.kind === 'source') return []
    const files = new Set(context.integrationFiles)
    const findings: RawFinding[] = []
    for (const path of context.integrationFiles.filter(isTestFile)) {
      const file = context.parse(path)
      if (!file) continue
      const facts = testFileFacts(file)
      if (facts.actionCalls.length === 0) continue
      // A helper imported from the integration may set nock up for the file.
      const helperMocks = facts.relativeImports.some((specifier) => {
        const helperPath = resolveRelativeImport(path, specifier, files)
        const helper = helperPath ? context.parse(helperPath) : undefined
        const helperFacts = helper ? testFileFacts(helper) : undefined
        return helperFacts !== undefined && (helperFacts.nockCalls.length > 0 || helperFacts.callsNockApi)
      })
      // `nock.disableNetConnect()` alone still keeps the test off the network (it tests failures before any request).
      if (facts.nockCalls.length === 0 && !facts.callsNockApi && !helperMocks) {
        const first = facts.actionCalls[0]
        findings.push({
          path,
          line: first.line,
          column: first.column,
          key: `${path}#unmocked`,
          message: `This test runs ${first.actionKey ? `action "${first.actionKey}"` : 'an action'} with \`${first.method}\` but never mocks HTTP with nock, so it calls the real API (or fails in CI). Add \`nock('<the API host>').post('<path>').reply(...)\` for every request the action sends.`
        })
        continue
      }
      // Segment's generated snapshot tests use a catch-all mock by design.
      if (isSnapshotTestFile(path)) continue
      const broad = facts.nockCalls.find((call) => call.matchesAnyHost)
      if (broad) {
        findings.push({
          path,
          line: broad.line,
          column: broad.column,
          severity: 'info',
          key: `${path}#any-host`,
          message:
            "This nock mock accepts a request to any host (`nock(/.*/)`), so the test passes even if the action calls the wrong URL. Mock the exact API host instead, e.g. `nock('https://api.example.com')`."
        })
      }
    }
    return findings
  }
})
