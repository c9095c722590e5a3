// The one way text from a pull request reaches the bot's Markdown (the comment, the check-run
// summary, command replies): shown as written, and nothing more. No HTML (tags, comments), no
// mentions, no links or autolinks, no images, no emphasis, and a backtick in a partner string
// cannot break out of its code span. Messages stay plain text everywhere else (JSON, SARIF, the
// terminal); only a Markdown renderer calls this, once, where it prints the text.

/**
 * Where the text lands:
 * - `text`: inline text; code spans written in it (`like this`) stay code, everything else is literal.
 * - `cell`: the same, inside a table cell (pipes escaped, even inside code spans).
 * - `code`: the whole value as one code span; `cell-code`: the same inside a table cell.
 * - `quote`: a block quote of the text, line by line (a command quoted back).
 * - `lines`: several lines of `text`, each kept on its own line, a leading "- " kept as a list item.
 */
export type MarkdownContext = 'text' | 'cell' | 'code' | 'cell-code' | 'quote' | 'lines'

export function untrustedMarkdown(text: string, context: MarkdownContext = 'text'): string {
  const clean = withoutControls(text)
  switch (context) {
    case 'code':
      return codeSpan(oneLine(clean), false)
    case 'cell-code':
      return codeSpan(oneLine(clean), true)
    case 'cell':
      return inline(oneLine(clean), true)
    case 'text':
      return inline(oneLine(clean), false)
    case 'quote':
      return clean
        .split(/\r?\n/)
        .map((line) => `> ${inline(line, false)}`)
        .join('\n')
    case 'lines':
      return clean
        .split(/\r?\n/)
        .map((line) => {
          const item = /^(\s*)- (.*)$/.exec(line)
          return item ? `${item[1]}- ${inline(item[2], false)}` : inline(line, false)
        })
        .join('\n')
  }
}

/** Bidirectional overrides (Trojan Source) and control characters other than tab and line breaks. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

function withoutControls(text: string): string {
  return text.replace(CONTROL, '\ufffd')
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ')
}

/**
 * Inline text with its code spans, paired as CommonMark pairs them (a run of n backticks closes
 * at the next run of exactly n). Each span is written again with a fence that its content cannot
 * close; every other character is literal. Since the output's spans are the ones decided here, a
 * partner's backtick can at worst turn code into plain (escaped) text, never into a link.
 */
function inline(text: string, inCell: boolean): string {
  let out = ''
  let index = 0
  while (index < text.length) {
    const open = text.indexOf('`', index)
    if (open < 0) break
    out += plain(text.slice(index, open))
    const run = backtickRun(text, open)
    const close = findClosingRun(text, open + run, run)
    if (close < 0) {
      // No closing run: the backticks are literal.
      out += '\\`'.repeat(run)
      index = open + run
      continue
    }
    out += codeSpan(stripOneSpace(text.slice(open + run, close)), inCell)
    index = close + run
  }
  out += plain(text.slice(index))
  // A line that starts like a block (list item, heading underline, table) stays a paragraph line.
  return /^[-+=]/.test(out) ? `\\${out}` : out
}

function backtickRun(text: string, at: number): number {
  let end = at
  while (text[end] === '`') end++
  return end - at
}

function findClosingRun(text: string, from: number, length: number): number {
  let at = text.indexOf('`', from)
  while (at >= 0) {
    const run = backtickRun(text, at)
    if (run === length) return at
    at = text.indexOf('`', at + run)
  }
  return -1
}

function stripOneSpace(content: string): string {
  return content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '' ? content.slice(1, -1) : content
}

/**
 * A code span showing `content` literally: fenced with one backtick more than its longest run,
 * padded when it starts or ends with one. Inside, Markdown does nothing; what is left is the raw
 * comment text itself (HTML comment openers and the App's markers are broken up for the bot's own
 * parsing) and, in a table, the pipe that would end the cell.
 */
function codeSpan(content: string, inCell: boolean): string {
  if (content === '') return ''
  let longest = 0
  for (const match of content.matchAll(/`+/g)) longest = Math.max(longest, match[0].length)
  const fence = '`'.repeat(longest + 1)
  let inner = breakMarkers(content)
  if (inCell) inner = inner.replace(/\|/g, '\\|')
  const pad = inner.startsWith('`') || inner.endsWith('`') || (inner.startsWith(' ') && inner.endsWith(' ')) ? ' ' : ''
  return `${fence}${pad}${inner}${pad}${fence}`
}

/** `<!--` and `-->` broken with a zero-width space: no text can open or close an HTML comment. */
function breakMarkers(text: string): string {
  return text.replace(/<!--/g, '<!\u200b--').replace(/--(?=>)/g, '-\u200b-')
}

/** Characters that start Markdown syntax inline; each is written backslash-escaped (HTML's are entities). */
const PUNCTUATION = /[\\`*_~[\]#!|{}]/g

/** Plain text, every character literal (pipes too, so the same text is safe in a table cell). */
function plain(text: string): string {
  return breakMarkers(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(PUNCTUATION, (character) => `\\${character}`)
      // Mentions and e-mail autolinks: a zero-width space after the @ leaves the text as it reads.
      .replace(/@(?=[A-Za-z0-9_])/g, '@\u200b')
      // Extended autolinks (www., scheme://): broken the same way, so no URL becomes a link.
      .replace(/\b(www)\./gi, '$1\u200b.')
      .replace(/([A-Za-z][A-Za-z0-9+.-]*):(?=\/\/)/g, '$1\u200b:')
      .replace(/\b(mailto|xmpp|javascript|data):/gi, '$1\u200b:')
  )
}
