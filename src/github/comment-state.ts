// The sticky comment's hidden parts: the marker that finds it, and a versioned state block
// (waivers, approvals) that reviewer commands write and every re-publish carries over.
import { z } from 'zod'

export const COMMENT_MARKER = '<!-- integration-review:comment -->'
/** GitHub refuses issue comments longer than this (422 "Body is too long"). */
export const MAX_COMMENT_LENGTH = 65_536

const STATE_BLOCK_PATTERN = /<!-- integration-review:state v(\d+) ([A-Za-z0-9+/=]*) -->/

const StateEntrySchema = z.looseObject({})

export const CommentStateSchema = z.looseObject({
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
  /** Present but unreadable (unknown version, damaged text): callers must not overwrite it blindly. */
  | { status: 'invalid'; reason: string }

/** Reads the state block of a comment body, telling apart "none" from "present but unreadable". */
export function parseStateBlock(body: string | undefined | null): StateBlockResult {
  const match = body ? STATE_BLOCK_PATTERN.exec(body) : null
  if (!match) return { status: 'absent' }
  if (match[1] !== '1') return { status: 'invalid', reason: `state block version ${match[1]} is newer than this app understands (1)` }
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(match[2], 'base64').toString('utf8'))
  } catch {
    return { status: 'invalid', reason: 'state block is not valid base64 JSON' }
  }
  const parsed = CommentStateSchema.safeParse(raw)
  if (!parsed.success) return { status: 'invalid', reason: `state block does not match version 1: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
  return { status: 'ok', state: parsed.data }
}

/** The state recorded in a comment body, or undefined when it has none (or none readable). */
export function readStateBlock(body: string | undefined | null): CommentState | undefined {
  const result = parseStateBlock(body)
  return result.status === 'ok' ? result.state : undefined
}

export function formatStateBlock(state: CommentState): string {
  const encoded = Buffer.from(JSON.stringify(state), 'utf8').toString('base64')
  return `<!-- integration-review:state v1 ${encoded} -->`
}

/** The body with its state block replaced, or appended on a line of its own when it had none. */
export function writeStateBlock(body: string, state: CommentState): string {
  const block = formatStateBlock(state)
  if (STATE_BLOCK_PATTERN.test(body)) return body.replace(STATE_BLOCK_PATTERN, () => block)
  return `${body.replace(/\s+$/, '')}\n\n${block}\n`
}

export function hasCommentMarker(body: string | undefined | null): boolean {
  return typeof body === 'string' && body.includes(COMMENT_MARKER)
}

const TRUNCATION_NOTE = '\n\n… _This comment was cut to fit GitHub\'s 65,536-character limit; the check run lists every finding._\n'

/**
 * The whole sticky comment: marker, the rendered review, and the state block. The review text is
 * cut (with a note) if the whole would exceed GitHub's limit; the marker and state are never cut.
 */
export function composeCommentBody(markdown: string, state: CommentState): string {
  const head = `${COMMENT_MARKER}\n`
  const tail = `\n\n${formatStateBlock(state)}\n`
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
