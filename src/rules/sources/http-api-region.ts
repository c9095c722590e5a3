// sources/http-api-region: Segment runs the HTTP API in the US (api.segment.io) and the EU
// (events.eu1.segmentapis.com). A workspace in the EU region has a write key that only the EU
// endpoint accepts, so a client that hard-codes the US host cannot serve EU customers.
import { defineRule } from '../rule.js'
import { sourceModelOf } from './support/source-calls.js'

export const httpApiRegion = defineRule({
  id: 'sources/http-api-region',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'HTTP API clients let the customer choose the region',
  docs: {
    why: "Segment's HTTP API has a US endpoint (https://api.segment.io/v1) and an EU endpoint (https://events.eu1.segmentapis.com/v1). A write key of an EU workspace works only against the EU endpoint, so a source that always posts to the US host silently loses every EU customer's events.",
    fix: 'Add a region setting (US or EU) and build the endpoint from it, e.g. `const base = settings.region === "eu" ? "https://events.eu1.segmentapis.com/v1" : "https://api.segment.io/v1"`.',
    bad: "await fetch('https://api.segment.io/v1/track', { method: 'POST', body })",
    good: "await fetch(`${ENDPOINTS[settings.region]}/track`, { method: 'POST', body })"
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model || model.endpoints.length === 0) return []
    // Any endpoint computed at run time, or the EU host written anywhere, means a choice may exist.
    if (model.endpoints.some((endpoint) => endpoint.region !== 'us')) return []
    const euWritten = model.files.some((path) => /events\.eu1\.segmentapis\.com/.test(context.headSource.readFile(path) ?? ''))
    if (euWritten) return []
    const first = model.endpoints[0]
    return [
      {
        path: first.location.path,
        line: first.location.line,
        column: first.location.column,
        key: 'us-only',
        message: `Every HTTP API call posts to the US host (${first.url}${model.endpoints.length > 1 ? ` and ${model.endpoints.length - 1} more` : ''}), and the EU endpoint events.eu1.segmentapis.com appears nowhere. Customers of an EU workspace cannot use this source; let them choose the region.`
      }
    ]
  }
})
