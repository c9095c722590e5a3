// The sticky comment's hidden parts: the marker that opens it, and a versioned, signed state block
// (waivers, approvals) at its very end that reviewer commands write and every re-publish carries over.
// Partner text sits between the two; only a block that ends the body and carries this App's HMAC
// for this pull request is believed, so text planted in a finding or a reply cannot pose as state.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

export const COMMENT_MARKER = '<!-- integration-review:comment -->'
/** GitHub refuses issue comments longer than this (422 "Body is too long"). */
export const MAX_COMMENT_LENGTH = 65_536

/** The env var holding the key of the state block's HMAC; WEBHOOK_SECRET (the App's) is the fallback. */
export const STATE_SECRET_ENV = 'INTEGRATION_REVIEW_STATE_SECRET'

/** The block that ends the body (whitespace after it allowed); a block anywhere else is text. */
const TRAILING_STATE_BLOCK = /<!-- integration-review:state v(\d+) ([A-Za-z0-9+/=]*)(?: ([0-9a-f]{64}))? -->\s*$/
/** Any block-like text, to tell a body that merely mentions one from one that ends with one. */
const ANY_STATE_BLOCK = /<!-- integration-review:state v\d+ [A-Za-z0-9+/=]*(?: [0-9a-f]{64})? -->/

/** The pull request a block belongs to: the signature covers it, so a block cannot be moved to another. */
export interface StateScope {
  owner: string
  repo: string
  number: number
}

const StateEntrySchema = z.looseObject({})

const CommentStateSchema = z.looseObject({
  version: z.literal(1),
  /** Recorded by `/waive`; the shape belongs to the commands module, kept here as given. */
  waivers: z.array(StateEntrySchema).default([]),
  /** Recorded by `/approve`. */
  approvals: z.array(StateEntrySchema).default([])
})
export type CommentState = z.infer<typeof CommentStateSchema>

export function emptyCommentState(): CommentState {
  return { version: 1, waivers: [], approvals: [] }
}

export type StateBlockResult =
  | { status: 'absent' }
  | { status: 'ok'; state: CommentState }
  /**
   * Present but not believed: unsigned, forged, damaged, or of a newer version (`newer`, which
   * callers must not overwrite blindly). Every other case is ignored and rebuilt from the commands.
   */
  | { status: 'invalid'; reason: string; newer?: boolean }

/**
 * The key of the state block's HMAC, derived from the App's secret so the secret itself signs
 * nothing else. Undefined when no secret is configured: then no block is believed.
 */
function signingKey(): Buffer | undefined {
  const secret = process.env[STATE_SECRET_ENV]?.trim() || process.env.WEBHOOK_SECRET?.trim()
  if (!secret) return undefined
  return createHmac('sha256', secret).update('integration-review state block v1').digest()
}

function signatureOf(key: Buffer, scope: StateScope, encoded: string): string {
  return createHmac('sha256', key)
    .update(`${scope.owner.toLowerCase()}/${scope.repo.toLowerCase()}#${scope.number}\n${encoded}`)
    .digest('hex')
}

/**
 * Reads the state block that ends a comment body and checks its signature for this pull request.
 * Tells apart "none", "believed", and "present but not believed" (with the reason, for the note).
 */
export function parseStateBlock(body: string | undefined | null, scope: StateScope): StateBlockResult {
  const match = body ? TRAILING_STATE_BLOCK.exec(body) : null
  if (!match) {
    return body && ANY_STATE_BLOCK.test(body)
      ? { status: 'invalid', reason: 'the state block is not at the end of the comment' }
      : { status: 'absent' }
  }
  if (match[1] !== '1')
    return { status: 'invalid', reason: `state block version ${match[1]} is newer than this app understands (1)`, newer: true }
  const key = signingKey()
  if (!key) return { status: 'invalid', reason: `no secret to verify the state block (set ${STATE_SECRET_ENV} or WEBHOOK_SECRET)` }
  if (!match[3]) return { status: 'invalid', reason: 'the state block is not signed' }
  const expected = Buffer.from(signatureOf(key, scope, match[2]), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(match[3], 'hex')))
    return { status: 'invalid', reason: 'the state block signature does not match (not written by this App for this pull request)' }
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(match[2], 'base64').toString('utf8'))
  } catch {
    return { status: 'invalid', reason: 'state block is not valid base64 JSON' }
  }
  const parsed = CommentStateSchema.safeParse(raw)
  if (!parsed.success)
    return { status: 'invalid', reason: `state block does not match version 1: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  return { status: 'ok', state: parsed.data }
}

/** The state recorded in a comment body, or undefined when it has none (or none believed). */
export function readStateBlock(body: string | undefined | null, scope: StateScope): CommentState | undefined {
  const result = parseStateBlock(body, scope)
  return result.status === 'ok' ? result.state : undefined
}

/** The block for a state, signed for the pull request (unsigned when no secret is configured). */
export function formatStateBlock(state: CommentState, scope: StateScope): string {
  const encoded = Buffer.from(JSON.stringify(state), 'utf8').toString('base64')
  const key = signingKey()
  return `<!-- integration-review:state v1 ${encoded}${key ? ` ${signatureOf(key, scope, encoded)}` : ''} -->`
}

/** The original trailing block of a body, verbatim (to carry a newer version's block over untouched). */
export function trailingStateBlock(body: string): string | undefined {
  return TRAILING_STATE_BLOCK.exec(body)?.[0].trimEnd()
}

/** The body with its trailing state block replaced, or appended on a line of its own when it had none. */
export function writeStateBlock(body: string, state: CommentState, scope: StateScope): string {
  const block = formatStateBlock(state, scope)
  const match = TRAILING_STATE_BLOCK.exec(body)
  const text = match ? body.slice(0, match.index) : body
  return `${text.replace(/\s+$/, '')}\n\n${block}\n`
}

/** The App's sticky comment is the one whose body starts with the marker; quoting it elsewhere does not count. */
export function hasCommentMarker(body: string | undefined | null): boolean {
  return typeof body === 'string' && body.startsWith(COMMENT_MARKER)
}

const TRUNCATION_NOTE = "\n\n… _This comment was cut to fit GitHub's 65,536-character limit; the check run lists every finding._\n"

/**
 * The whole sticky comment: marker, the rendered review, and the state block. The review text is
 * cut (with a note) if the whole would exceed GitHub's limit; the marker and state are never cut.
 */
export function composeCommentBody(
  markdown: string,
  state: CommentState,
  scope: StateScope,
  block = formatStateBlock(state, scope)
): string {
  const head = `${COMMENT_MARKER}\n`
  const tail = `\n\n${block}\n`
  const room = MAX_COMMENT_LENGTH - head.length - tail.length
  let text = markdown.replace(/\s+$/, '')
  if (text.length > room) text = cutAtLine(text, room - TRUNCATION_NOTE.length) + TRUNCATION_NOTE.replace(/\s+$/, '')
  return `${head}${text}${tail}`
}

/** Cuts at the last line break that fits, so a table row or a code fence line is never split. */
function cutAtLine(text: string, length: number): string {
  // Four characters stay free for a closing fence.
  const cut = text.slice(0, Math.max(0, length - 4))
  const lastBreak = cut.lastIndexOf('\n')
  const kept = lastBreak > length / 2 ? cut.slice(0, lastBreak) : cut
  // An odd number of fences means the cut fell inside a code block: close it.
  const fences = (kept.match(/^```/gm) ?? []).length
  return fences % 2 === 1 ? `${kept}\n\`\`\`` : kept
}
