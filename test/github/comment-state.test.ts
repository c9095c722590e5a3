import { describe, expect, it } from 'vitest'
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
} from '../../src/github/comment-state.js'

const state = {
  version: 1 as const,
  waivers: [{ ruleId: 'security/hardcoded-secret', path: 'packages/x/index.ts', reason: 'test key — “ok”', by: 'octo' }],
  approvals: [{ stage: 'private-beta', by: 'reviewer', sha: 'abc' }]
}

describe('comment state block', () => {
  it('round-trips through a comment body, unicode included', () => {
    const body = writeStateBlock('## Review\n\nAll good.', state)
    expect(body).toContain('<!-- integration-review:state v1 ')
    expect(readStateBlock(body)).toEqual(state)
  })

  it('replaces an existing block instead of adding a second one', () => {
    const once = writeStateBlock('text', emptyCommentState())
    const twice = writeStateBlock(once, state)
    expect(twice.match(/integration-review:state/g)).toHaveLength(1)
    expect(readStateBlock(twice)).toEqual(state)
  })

  it('tells absent from damaged or newer blocks', () => {
    expect(parseStateBlock('no block here')).toEqual({ status: 'absent' })
    expect(parseStateBlock(undefined)).toEqual({ status: 'absent' })
    expect(parseStateBlock('<!-- integration-review:state v1 bm90IGpzb24= -->').status).toBe('invalid')
    expect(parseStateBlock('<!-- integration-review:state v2 e30= -->')).toMatchObject({ status: 'invalid', reason: expect.stringContaining('version 2') })
    const wrongShape = Buffer.from(JSON.stringify({ version: 1, waivers: 'all' })).toString('base64')
    expect(parseStateBlock(`<!-- integration-review:state v1 ${wrongShape} -->`).status).toBe('invalid')
    expect(readStateBlock('<!-- integration-review:state v2 e30= -->')).toBeUndefined()
  })

  it('keeps fields written by a newer minor version of the commands', () => {
    const block = formatStateBlock({ ...state, recheckCount: 3 } as never)
    expect(readStateBlock(block)).toMatchObject({ recheckCount: 3 })
  })
})

describe('composeCommentBody', () => {
  it('puts the marker first and the state block last', () => {
    const body = composeCommentBody('## Integration review\n', state)
    expect(body.startsWith(COMMENT_MARKER)).toBe(true)
    expect(hasCommentMarker(body)).toBe(true)
    expect(readStateBlock(body)).toEqual(state)
  })

  it('cuts an over-long review at a line, closes an open code fence, and keeps the state', () => {
    const lines = ['## Integration review', '```ts']
    while (lines.join('\n').length < MAX_COMMENT_LENGTH + 5000) lines.push(`const line${lines.length} = 'finding text that goes on for a while'`)
    const body = composeCommentBody(lines.join('\n'), state)
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
    expect(body).toContain('cut to fit')
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0)
    expect(readStateBlock(body)).toEqual(state)
    expect(body).not.toMatch(/const line\d+ = 'finding text that go\n/)
  })
})
