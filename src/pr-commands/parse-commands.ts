// Finds reviewer and partner commands in a pull-request comment: lines that start with `/` or
// with a mention of the App. Quoted replies, code blocks and HTML comments never hold commands.
import { z } from 'zod'

export const COMMAND_NAMES = ['recheck', 'explain', 'help', 'waive', 'unwaive', 'approve', 'revoke'] as const
export type CommandName = (typeof COMMAND_NAMES)[number]

/** The release stages a reviewer approves, as the engine names them. */
export const ApprovalStageSchema = z.enum(['private-beta', 'public'])
export type ApprovalStage = z.infer<typeof ApprovalStageSchema>

/** A repository-relative path as written in a command (no leading `./` or `/`, no `..`). */
const CommandPathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), 'must be a repository-relative path without ".."')

const RuleIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/, 'must look like <category>/<rule-name>')

const MAX_REASON_LENGTH = 1000

const CommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('recheck') }),
  z.strictObject({ kind: z.literal('help'), topic: z.string().min(1).max(200).optional() }),
  z.strictObject({ kind: z.literal('explain'), ruleId: RuleIdSchema }),
  z.strictObject({
    kind: z.literal('waive'),
    ruleId: RuleIdSchema,
    path: CommandPathSchema.optional(),
    line: z.number().int().positive().optional(),
    reason: z.string().min(1).max(MAX_REASON_LENGTH)
  }),
  z.strictObject({
    kind: z.literal('unwaive'),
    ruleId: RuleIdSchema,
    path: CommandPathSchema.optional(),
    line: z.number().int().positive().optional(),
    reason: z.string().min(1).max(MAX_REASON_LENGTH).optional()
  }),
  z.strictObject({ kind: z.literal('approve'), stage: ApprovalStageSchema }),
  z.strictObject({ kind: z.literal('revoke'), stage: ApprovalStageSchema })
])
export type Command = z.infer<typeof CommandSchema>
/** Commands that change the pull request's recorded state (and need a reviewer). */
export type StateCommand = Extract<Command, { kind: 'waive' | 'unwaive' | 'approve' | 'revoke' }>

export function isStateCommand(command: Command): command is StateCommand {
  return command.kind === 'waive' || command.kind === 'unwaive' || command.kind === 'approve' || command.kind === 'revoke'
}

export const ParsedCommandSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), line: z.number().int().positive(), source: z.string(), command: CommandSchema }),
  z.strictObject({
    ok: z.literal(false),
    line: z.number().int().positive(),
    source: z.string(),
    /** For the person who typed it: what is wrong and the form that works. */
    error: z.string(),
    /** The command word they probably meant, when the word itself was unknown. */
    suggestion: z.enum(COMMAND_NAMES).optional()
  })
])
export type ParsedCommand = z.infer<typeof ParsedCommandSchema>

export interface ParseCommandsOptions {
  /** The App's slug: `@<slug> recheck` and `@<slug>[bot] /recheck` are commands too. */
  appSlug?: string
  /** When given, rule ids are checked against it and misspellings get suggestions. */
  ruleIds?: readonly string[]
  /** At most this many commands per comment; the rest become one error entry. */
  maxCommands?: number
}

const DEFAULT_MAX_COMMANDS = 20

/** One usage line per command: the help text and error messages are built from these. */
export const COMMAND_USAGE: Record<CommandName, { usage: string; summary: string }> = {
  recheck: { usage: '/recheck', summary: 'run the review again on the current head commit' },
  explain: { usage: '/explain <rule-id>', summary: 'explain a rule: why it matters and how to fix it' },
  help: { usage: '/help', summary: 'list the commands' },
  waive: {
    usage: '/waive <rule-id> [<path>[:<line>]] -- <reason>',
    summary: 'reviewers: stop a finding from blocking (everywhere, in one file, or on one line); the reason is required'
  },
  unwaive: {
    usage: '/unwaive <rule-id> [<path>[:<line>]]',
    summary: 'reviewers: remove waivers of a rule (all of them, or those on a path)'
  },
  approve: { usage: '/approve beta|public', summary: 'reviewers: approve the release stage; sets the release label when its gate holds' },
  revoke: { usage: '/revoke beta|public', summary: 'reviewers: withdraw an approval and its release label' }
}

const STAGE_WORDS: Record<string, ApprovalStage> = {
  beta: 'private-beta',
  'private-beta': 'private-beta',
  private_beta: 'private-beta',
  privatebeta: 'private-beta',
  'private beta': 'private-beta',
  public: 'public'
}

/** `/word rest` at the start of a (trimmed) line; the word ends at whitespace or the line's end. */
const SLASH_COMMAND = /^\/([A-Za-z][A-Za-z_-]*)[.!]?(?:\s+(.*))?$/s
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/

export function parseCommands(body: string, options: ParseCommandsOptions = {}): ParsedCommand[] {
  const maxCommands = options.maxCommands ?? DEFAULT_MAX_COMMANDS
  const mention = options.appSlug ? mentionPrefix(options.appSlug) : undefined
  const lines = body.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const parsed: ParsedCommand[] = []
  let fence: { char: string; length: number } | undefined
  let inHtmlComment = false
  let dropped = 0
  let firstDroppedLine = 0

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]
    const indent = leadingColumns(raw)
    const text = raw.trim()

    if (fence) {
      if (indent < 4 && closesFence(text, fence)) fence = undefined
      continue
    }
    if (inHtmlComment) {
      if (text.includes('-->')) inHtmlComment = false
      continue
    }
    // Four columns of indentation is an indented code block (or a continuation): never a command.
    if (indent >= 4 || text === '') continue
    const fenceOpen = FENCE_OPEN.exec(text)
    if (fenceOpen && !(fenceOpen[1][0] === '`' && fenceOpen[2].includes('`'))) {
      fence = { char: fenceOpen[1][0], length: fenceOpen[1].length }
      continue
    }
    if (text.startsWith('<!--')) {
      if (!text.includes('-->', 4)) inHtmlComment = true
      continue
    }
    if (text.startsWith('>')) continue

    let commandText: string | undefined
    if (text.startsWith('/')) commandText = text
    else if (mention) {
      const rest = stripMention(text, mention)
      if (rest !== undefined) commandText = rest.startsWith('/') ? rest : `/${rest}`
    }
    if (commandText === undefined) continue

    const entry = parseCommandLine(commandText, text, index + 1, options)
    if (!entry) continue
    if (parsed.length >= maxCommands) {
      if (dropped === 0) firstDroppedLine = index + 1
      dropped++
      continue
    }
    parsed.push(entry)
  }
  if (dropped > 0) {
    parsed.push({
      ok: false,
      line: firstDroppedLine,
      source: '',
      error: `Only ${maxCommands} commands are read from one comment; ${dropped} more from line ${firstDroppedLine} on were ignored. Post them in another comment.`
    })
  }
  return parsed
}

/** Parses one command line (already known to start with `/`). Undefined when it is not a command at all. */
function parseCommandLine(commandText: string, source: string, line: number, options: ParseCommandsOptions): ParsedCommand | undefined {
  const match = SLASH_COMMAND.exec(commandText)
  // `/usr/local/bin is …`, `/ this`, `/* comment */`: prose or paths, not commands.
  if (!match) return undefined
  const word = match[1].toLowerCase()
  const rest = (match[2] ?? '').trim()
  const fail = (error: string, suggestion?: CommandName): ParsedCommand =>
    suggestion ? { ok: false, line, source, error, suggestion } : { ok: false, line, source, error }
  const usage = (name: CommandName) => `\`${COMMAND_USAGE[name].usage}\``

  if (!(COMMAND_NAMES as readonly string[]).includes(word)) {
    const suggestion = closest(word, COMMAND_NAMES)
    return fail(
      `\`/${word}\` is not a command${suggestion ? `; did you mean ${usage(suggestion)}?` : '.'} Commands: ${COMMAND_NAMES.map((name) => `/${name}`).join(', ')}.`,
      suggestion
    )
  }
  const name = word as CommandName
  const ok = (command: Command): ParsedCommand => {
    const checked = CommandSchema.safeParse(command)
    if (checked.success) return { ok: true, line, source, command: checked.data }
    const issue = checked.error.issues[0]
    return fail(`\`/${name}\`: ${issue.path.join('.') || 'command'} ${issue.message}. Use ${usage(name)}.`)
  }

  switch (name) {
    case 'recheck':
      if (rest !== '') return fail(`\`/recheck\` takes no arguments (got "${clip(rest)}"). Use ${usage('recheck')} on a line of its own.`)
      return ok({ kind: 'recheck' })
    case 'help':
      return ok(rest === '' ? { kind: 'help' } : { kind: 'help', topic: clip(rest, 200) })
    case 'explain': {
      const words = rest.split(/\s+/).filter(Boolean)
      if (words.length !== 1)
        return fail(`\`/explain\` needs exactly one rule id. Use ${usage('explain')}, e.g. \`/explain security/hardcoded-secret\`.`)
      const ruleId = checkRuleId(words[0], options)
      if (typeof ruleId !== 'string') return fail(`\`/explain\`: ${ruleId.error}`)
      return ok({ kind: 'explain', ruleId })
    }
    case 'waive':
    case 'unwaive': {
      const split = splitReason(rest)
      const head = split.before.trim()
      const reason = split.reason?.trim()
      if (head === '') return fail(`\`/${name}\` needs a rule id. Use ${usage(name)}.`)
      const [firstWord, ...others] = head.split(/\s+/)
      const ruleId = checkRuleId(firstWord, options)
      if (typeof ruleId !== 'string') return fail(`\`/${name}\`: ${ruleId.error}`)
      const target = parseTarget(others.join(' '))
      if ('error' in target) return fail(`\`/${name}\`: ${target.error} Use ${usage(name)}.`)
      if (name === 'waive') {
        if (reason === undefined || reason === '') {
          return fail(
            `\`/waive\` needs a reason after \` -- \`, so the partner and later reviewers know why. Use ${usage('waive')}, e.g. \`/waive ${ruleId} -- checked with the partner: the key is a public id\`.`
          )
        }
        if (reason.length > MAX_REASON_LENGTH)
          return fail(`\`/waive\`: the reason is ${reason.length} characters; keep it under ${MAX_REASON_LENGTH}.`)
        return ok({ kind: 'waive', ruleId, ...target, reason })
      }
      if (reason !== undefined && reason.length > MAX_REASON_LENGTH)
        return fail(`\`/unwaive\`: the reason is ${reason.length} characters; keep it under ${MAX_REASON_LENGTH}.`)
      return ok({ kind: 'unwaive', ruleId, ...target, ...(reason ? { reason } : {}) })
    }
    case 'approve':
    case 'revoke': {
      if (rest === '') return fail(`\`/${name}\` needs a stage: \`beta\` (private beta) or \`public\`. Use ${usage(name)}.`)
      const stage = STAGE_WORDS[rest.toLowerCase().replace(/\s+/g, ' ')]
      if (!stage)
        return fail(
          `\`/${name}\`: unknown stage "${clip(rest)}"; the stages are \`beta\` (private beta) and \`public\`. Use ${usage(name)}.`
        )
      return ok({ kind: name, stage })
    }
  }
}

/** Splits at the first ` -- ` (or an em dash that a phone turned it into); the reason may contain more. */
function splitReason(rest: string): { before: string; reason?: string } {
  const match = /(?:^|\s)(?:--|\u2014|\u2013)(?:\s|$)/.exec(rest)
  if (!match) return { before: rest }
  return { before: rest.slice(0, match.index), reason: rest.slice(match.index + match[0].length) }
}

/** `path`, `path:12`, `path#L12`, `` `path with spaces.ts`:12 ``, `"path"`. */
function parseTarget(text: string): { path?: string; line?: number } | { error: string } {
  let rest = text.trim()
  if (rest === '') return {}
  let quoted: string | undefined
  const quote = rest[0]
  if (quote === '`' || quote === '"' || quote === "'") {
    const end = rest.indexOf(quote, 1)
    if (end < 0) return { error: `the path starts with ${quote} but never ends with one.` }
    quoted = rest.slice(1, end)
    rest = rest.slice(end + 1).trim()
  }
  let line: number | undefined
  const lineMatch = /(?::|#L)(\d+)$/.exec(rest)
  if (lineMatch) {
    line = Number(lineMatch[1])
    rest = rest.slice(0, lineMatch.index)
  }
  if (quoted !== undefined) {
    if (rest !== '') return { error: `unexpected "${clip(rest)}" after the quoted path.` }
    rest = quoted
  }
  const path = normalisePath(rest)
  if (path === '') return { error: 'the path is empty.' }
  if (path.split('/').includes('..')) return { error: `the path "${clip(path)}" must not contain "..".` }
  if (line !== undefined && (!Number.isSafeInteger(line) || line < 1)) return { error: `the line number must be 1 or more.` }
  return line === undefined ? { path } : { path, line }
}

function normalisePath(path: string): string {
  let result = path.trim()
  while (result.startsWith('./')) result = result.slice(2)
  return result.replace(/^\/+/, '')
}

function checkRuleId(word: string, options: ParseCommandsOptions): string | { error: string } {
  const ruleId = word.replace(/^`|`$/g, '').toLowerCase()
  if (!options.ruleIds || options.ruleIds.includes(ruleId)) return ruleId
  const suggestion = closest(ruleId, options.ruleIds, Math.max(3, Math.floor(ruleId.length / 3)))
  const byName = suggestion ?? options.ruleIds.find((id) => id.endsWith(`/${ruleId.split('/').pop()}`))
  return { error: `unknown rule id \`${clip(ruleId, 80)}\`${byName ? `; did you mean \`${byName}\`?` : '.'} \`/help\` lists the rules.` }
}

function mentionPrefix(appSlug: string): string {
  return `@${appSlug.toLowerCase()}`
}

/** The text after a leading `@slug` / `@slug[bot]` (and an optional `:` or `,`), or undefined. */
function stripMention(text: string, mention: string): string | undefined {
  if (!text.toLowerCase().startsWith(mention)) return undefined
  let rest = text.slice(mention.length)
  if (rest.toLowerCase().startsWith('[bot]')) rest = rest.slice(5)
  if (rest !== '' && !/^[\s:,]/.test(rest)) return undefined // `@slug-other` is someone else
  rest = rest.replace(/^[:,]?\s*/, '')
  // A bare mention asks the App for help.
  return rest === '' ? 'help' : rest
}

function leadingColumns(line: string): number {
  let columns = 0
  for (const char of line) {
    if (char === ' ') columns++
    else if (char === '\t') columns += 4 - (columns % 4)
    else break
    if (columns >= 4) break
  }
  return columns
}

function closesFence(text: string, fence: { char: string; length: number }): boolean {
  if (!text.startsWith(fence.char.repeat(fence.length))) return false
  for (const char of text) if (char !== fence.char) return false
  return true
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** The candidate nearest to `word` within `limit` edits, or undefined. */
function closest<T extends string>(word: string, candidates: readonly T[], limit = 2): T | undefined {
  let best: T | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate, limit)
    if (distance <= limit && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  if (a.length > 200 || b.length > 200) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (current[j] < rowMin) rowMin = current[j]
    }
    if (rowMin > limit) return limit + 1
    previous = current
  }
  return previous[b.length]
}
