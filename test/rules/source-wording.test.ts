// Security rules that fire on a cloud source speak of the source and its runtime, not of a
// destination's worker and the Actions framework's IntegrationError.
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { runReview } from '../../src/review/run-review.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const SOURCE_CODE = `// A help desk's webhook, turned into Segment calls.
async function onRequest(request, settings) {
  const body = await request.json()
  if (!body.ticket) process.exit(1)
  Segment.track({ event: 'Ticket Created', userId: body.requester_id, properties: { ticket_id: body.ticket.id } })
}
`

describe('security messages on a cloud source', () => {
  it('no-process-control names the source and the source runtime’s errors', () => {
    const head = new MemoryFileSource({ 'sources/desk-hooks/index.js': SOURCE_CODE }, 'head')
    const review = runReview({
      config: defaultReviewConfig(),
      pullRequest: { body: undefined, authorIsPartner: true },
      rules: ALL_RULES,
      head
    })
    const finding = review.findings.find((candidate) => candidate.ruleId === 'security/no-process-control')
    expect(finding?.line).toBe(4)
    expect(finding?.message).toContain("changes the process that runs the source's handler")
    expect(finding?.message).toContain('`ValidationError`')
    expect(finding?.message).not.toMatch(/destination|IntegrationError/)
  })
})
