// sources/integration-context: Segment's partner sources must stamp every call with
// `context.integration {name, version}`, which is how the workspace, debugger and support tell
// which tool (and which release of it) sent an event.
import { defineRule, type RawFinding } from '../rule.js'
import { callKey, capitalise, describeCall, sourceModelOf } from './support/source-calls.js'

export const integrationContext = defineRule({
  id: 'sources/integration-context',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Calls carry context.integration',
  docs: {
    why: "Segment's partner source guidelines require `context.integration` with the tool's name and version on every call: it is how customers, the Source Debugger and Segment support tell which integration and release sent an event.",
    fix: "Add `context: { integration: { name: 'Acme', version: '1.2.0' } }` to every call (one shared constant is simplest).",
    bad: "Segment.track({ event: 'Ticket Created', userId, properties })",
    good: "Segment.track({ event: 'Ticket Created', userId, properties, context: { integration: { name: 'Acme', version: '1.2.0' } } })"
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model) return []
    const findings: RawFinding[] = []
    model.calls.forEach((call, index) => {
      if (call.type === 'set' || call.payload || call.context.open) return
      const integration = call.context.keys.find((key) => key.key === 'integration')
      if (integration) return
      findings.push({
        path: call.location.path,
        line: call.location.line,
        column: call.location.column,
        // A workspace's own source function need not say which tool sent it; a partner's HTTP API client must.
        severity: call.via === 'source-function' ? 'info' : 'warning',
        key: `${callKey(call, index)}#context`,
        message: `${capitalise(describeCall(call))} has no \`context.integration\`. Add \`context: { integration: { name, version } }\` so the workspace and Segment can tell which integration and release sent the event.`
      })
    })
    return findings
  }
})
