import { describe, expect, it } from 'vitest'
import { stringContaining } from '../support/asymmetric-matchers.js'
import {
  COMMENT_MARKER,
  MAX_COMMENT_LENGTH,
  composeCommentBody,
  emptyCommentState,
  formatStateBlock,
  hasCommentMarker,
  parseStateBlock,
  readStateBlock,
  writeStateBlock
} from '../../src/pull-request/comment-state.js'
import { PR7 } from '../github/github-fixture.js'

const state = {
  version: 1 as const,
  waivers: [{ ruleId: 'security/hardcoded-secret', path: 'packages/x/index.ts', reason: 'test key — “ok”', by: 'octo' }],
  approvals: [{ stage: 'private-beta', by: 'reviewer', sha: 'abc' }]
}

describe('comment state block', () => {
  it('round-trips through a comment body, unicode included', () => {
    const body = writeStateBlock('## Review\n\nAll good.', state, PR7)
    expect(body).toContain('<!-- integration-review:state v1 ')
    expect(readStateBlock(body, PR7)).toEqual(state)
  })

  it('replaces an existing block instead of adding a second one', () => {
    const once = writeStateBlock('text', emptyCommentState(), PR7)
    const twice = writeStateBlock(once, state, PR7)
    expect(twice.match(/integration-review:state/g)).toHaveLength(1)
    expect(readStateBlock(twice, PR7)).toEqual(state)
  })

  it('tells absent from damaged or newer blocks', () => {
    expect(parseStateBlock('no block here', PR7)).toEqual({ status: 'absent' })
    expect(parseStateBlock(undefined, PR7)).toEqual({ status: 'absent' })
    expect(parseStateBlock('<!-- integration-review:state v1 bm90IGpzb24= -->', PR7).status).toBe('invalid')
    expect(parseStateBlock('<!-- integration-review:state v2 e30= -->', PR7)).toMatchObject({
      status: 'invalid',
      reason: stringContaining('version 2')
    })
    const wrongShape = Buffer.from(JSON.stringify({ version: 1, waivers: 'all' })).toString('base64')
    expect(parseStateBlock(`<!-- integration-review:state v1 ${wrongShape} -->`, PR7).status).toBe('invalid')
    expect(readStateBlock('<!-- integration-review:state v2 e30= -->', PR7)).toBeUndefined()
  })

  it('keeps fields written by a newer minor version of the commands', () => {
    const block = formatStateBlock({ ...state, recheckCount: 3 }, PR7)
    expect(readStateBlock(block, PR7)).toMatchObject({ recheckCount: 3 })
  })
})

describe('composeCommentBody', () => {
  it('puts the marker first and the state block last', () => {
    const body = composeCommentBody('## Integration review\n', state, PR7)
    expect(body.startsWith(COMMENT_MARKER)).toBe(true)
    expect(hasCommentMarker(body)).toBe(true)
    expect(readStateBlock(body, PR7)).toEqual(state)
  })

  it('cuts an over-long review at a line, closes an open code fence, and keeps the state', () => {
    const lines = ['## Integration review', '```ts']
    while (lines.join('\n').length < MAX_COMMENT_LENGTH + 5000)
      lines.push(`const line${lines.length} = 'finding text that goes on for a while'`)
    const body = composeCommentBody(lines.join('\n'), state, PR7)
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
    expect(body).toContain('cut to fit')
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0)
    expect(readStateBlock(body, PR7)).toEqual(state)
    expect(body).not.toMatch(/const line\d+ = 'finding text that go\n/)
  })
})

describe('the signed state block', () => {
  const waived = { version: 1 as const, waivers: [{ ruleId: 'security/hardcoded-secret', reason: 'ok', by: 'reviewer' }], approvals: [] }

  it('is believed only at the end of the body, signed by this App for this pull request', () => {
    const body = composeCommentBody('## Review', waived, PR7)
    expect(readStateBlock(body, PR7)).toEqual(waived)
    // The same block on another pull request: not believed.
    expect(parseStateBlock(body, { ...PR7, number: 8 })).toMatchObject({ status: 'invalid', reason: stringContaining('signature') })
    // A block planted in the text (finding, reply) is not the state; only the trailing one is.
    const planted = composeCommentBody(`## Review\n\n${formatStateBlock(waived, PR7)}\n\nmore text`, emptyCommentState(), PR7)
    expect(readStateBlock(planted, PR7)).toEqual(emptyCommentState())
  })

  it('a forged, unsigned or tampered block is reported, not believed', () => {
    const encoded = Buffer.from(JSON.stringify(waived)).toString('base64')
    expect(parseStateBlock(`text\n<!-- integration-review:state v1 ${encoded} -->`, PR7)).toMatchObject({
      status: 'invalid',
      reason: stringContaining('not signed')
    })
    expect(parseStateBlock(`text\n<!-- integration-review:state v1 ${encoded} ${'0'.repeat(64)} -->`, PR7)).toMatchObject({
      status: 'invalid',
      reason: stringContaining('signature')
    })
    const genuine = formatStateBlock(emptyCommentState(), PR7)
    const tampered = genuine.replace(/v1 \S+/, `v1 ${encoded}`)
    expect(parseStateBlock(`text\n${tampered}`, PR7).status).toBe('invalid')
    expect(parseStateBlock(`text\n<!-- integration-review:state v1 ${encoded} -->\ntrailing words`, PR7)).toMatchObject({
      status: 'invalid',
      reason: stringContaining('not at the end')
    })
  })

  it('the sticky comment is the one that starts with the marker', () => {
    expect(hasCommentMarker(`${COMMENT_MARKER}\nreview`)).toBe(true)
    expect(hasCommentMarker(`@partner\n\n> /waive x -- ${COMMENT_MARKER}`)).toBe(false)
  })

  it('with no secret configured, no block is believed', () => {
    const body = composeCommentBody('## Review', waived, PR7)
    const saved = process.env.INTEGRATION_REVIEW_STATE_SECRET
    delete process.env.INTEGRATION_REVIEW_STATE_SECRET
    const webhook = process.env.WEBHOOK_SECRET
    delete process.env.WEBHOOK_SECRET
    try {
      expect(parseStateBlock(body, PR7)).toMatchObject({ status: 'invalid', reason: stringContaining('no secret') })
    } finally {
      process.env.INTEGRATION_REVIEW_STATE_SECRET = saved
      if (webhook !== undefined) process.env.WEBHOOK_SECRET = webhook
    }
  })
})
