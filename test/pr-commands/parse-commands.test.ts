import { describe, expect, it } from 'vitest'
import { parseCommands, ParsedCommandSchema, type ParsedCommand } from '../../src/pr-commands/parse-commands.js'

const RULE_IDS = ['security/hardcoded-secret', 'security/insecure-http', 'structure/action-description', 'docs/field-description']

function commands(body: string, options: Parameters<typeof parseCommands>[1] = {}) {
  const parsed = parseCommands(body, options)
  for (const entry of parsed) expect(ParsedCommandSchema.safeParse(entry).success).toBe(true)
  return parsed
}

function only(body: string, options: Parameters<typeof parseCommands>[1] = {}): ParsedCommand {
  const parsed = commands(body, options)
  expect(parsed).toHaveLength(1)
  return parsed[0]
}

function okCommand(body: string, options: Parameters<typeof parseCommands>[1] = {}) {
  const entry = only(body, options)
  if (!entry.ok) throw new Error(`expected a command, got error: ${entry.error}`)
  return entry.command
}

function errorOf(body: string, options: Parameters<typeof parseCommands>[1] = {}) {
  const entry = only(body, options)
  if (entry.ok) throw new Error(`expected an error, got ${JSON.stringify(entry.command)}`)
  return entry
}

describe('parseCommands: the grammar', () => {
  it('reads each command word', () => {
    expect(okCommand('/recheck')).toEqual({ kind: 'recheck' })
    expect(okCommand('/help')).toEqual({ kind: 'help' })
    expect(okCommand('/explain security/hardcoded-secret')).toEqual({ kind: 'explain', ruleId: 'security/hardcoded-secret' })
    expect(okCommand('/approve beta')).toEqual({ kind: 'approve', stage: 'private-beta' })
    expect(okCommand('/approve public')).toEqual({ kind: 'approve', stage: 'public' })
    expect(okCommand('/revoke beta')).toEqual({ kind: 'revoke', stage: 'private-beta' })
    expect(okCommand('/revoke public')).toEqual({ kind: 'revoke', stage: 'public' })
    expect(okCommand('/unwaive security/hardcoded-secret')).toEqual({ kind: 'unwaive', ruleId: 'security/hardcoded-secret' })
  })

  it('reads a waiver everywhere, on a path, and on a line', () => {
    expect(okCommand('/waive security/hardcoded-secret -- the key is a public client id')).toEqual({
      kind: 'waive',
      ruleId: 'security/hardcoded-secret',
      reason: 'the key is a public client id'
    })
    expect(okCommand('/waive security/hardcoded-secret packages/destination-actions/src/destinations/acme/index.ts -- public id')).toEqual({
      kind: 'waive',
      ruleId: 'security/hardcoded-secret',
      path: 'packages/destination-actions/src/destinations/acme/index.ts',
      reason: 'public id'
    })
    expect(
      okCommand('/waive security/hardcoded-secret packages/destination-actions/src/destinations/acme/index.ts:42 -- public id')
    ).toMatchObject({
      path: 'packages/destination-actions/src/destinations/acme/index.ts',
      line: 42
    })
    expect(okCommand('/waive security/insecure-http ./src/acme/api.ts#L7 -- sandbox only')).toMatchObject({
      path: 'src/acme/api.ts',
      line: 7
    })
  })

  it('keeps `--` and dashes inside the reason, splitting only at the first separator', () => {
    expect(okCommand('/waive security/insecure-http -- http only in --sandbox mode -- confirmed with Acme')).toMatchObject({
      reason: 'http only in --sandbox mode -- confirmed with Acme'
    })
    expect(okCommand('/waive security/insecure-http src/a.ts -- a--b')).toMatchObject({ path: 'src/a.ts', reason: 'a--b' })
  })

  it('accepts an em dash that a phone keyboard made of `--`', () => {
    expect(okCommand('/waive security/insecure-http \u2014 sandbox only')).toMatchObject({ reason: 'sandbox only' })
  })

  it('reads paths with colons and spaces when quoted, and the line after the last colon', () => {
    expect(okCommand('/waive security/insecure-http src/a:b/c.ts:12 -- ok')).toMatchObject({ path: 'src/a:b/c.ts', line: 12 })
    expect(okCommand('/waive security/insecure-http src/a:b/c.ts -- ok')).toMatchObject({ path: 'src/a:b/c.ts' })
    expect(okCommand('/waive security/insecure-http `src/my dir/a file.ts`:3 -- ok')).toMatchObject({
      path: 'src/my dir/a file.ts',
      line: 3
    })
    expect(okCommand('/waive security/insecure-http "src/my dir/a.ts" -- ok')).toMatchObject({ path: 'src/my dir/a.ts' })
    // Unquoted spaces are kept as part of the path: the separator ends it.
    expect(okCommand('/waive security/insecure-http src/my dir/a.ts:9 -- ok')).toMatchObject({ path: 'src/my dir/a.ts', line: 9 })
  })

  it('reads every command of a comment, in order, with line numbers', () => {
    const body = [
      'Thanks, looked at it with the partner.',
      '',
      '/waive security/hardcoded-secret src/a.ts:3 -- public client id',
      '/approve beta',
      'and then',
      '/recheck'
    ].join('\n')
    const parsed = commands(body)
    expect(parsed.map((entry) => entry.ok && entry.command.kind)).toEqual(['waive', 'approve', 'recheck'])
    expect(parsed.map((entry) => entry.line)).toEqual([3, 4, 6])
  })

  it('accepts case, CRLF, trailing spaces, tabs and up to three spaces of indentation', () => {
    expect(okCommand('/ReCheck  \r\n')).toEqual({ kind: 'recheck' })
    expect(okCommand('   /APPROVE   Beta   ')).toEqual({ kind: 'approve', stage: 'private-beta' })
    expect(okCommand('/waive\tSecurity/Hardcoded-Secret\t--\tok')).toMatchObject({ ruleId: 'security/hardcoded-secret', reason: 'ok' })
    const parsed = commands('/recheck\r\n/approve public\r/help\n')
    expect(parsed.map((entry) => entry.ok && entry.command.kind)).toEqual(['recheck', 'approve', 'help'])
    expect(okCommand('\uFEFF/recheck')).toEqual({ kind: 'recheck' })
  })

  it('keeps unicode in reasons and paths', () => {
    expect(okCommand('/waive security/insecure-http src/café/ü.ts -- vérifié avec le partenaire ✅')).toMatchObject({
      path: 'src/café/ü.ts',
      reason: 'vérifié avec le partenaire ✅'
    })
  })

  it('reads commands addressed to the App by mention', () => {
    const options = { appSlug: 'integration-review' }
    expect(okCommand('@integration-review recheck', options)).toEqual({ kind: 'recheck' })
    expect(okCommand('@Integration-Review /approve beta', options)).toEqual({ kind: 'approve', stage: 'private-beta' })
    expect(okCommand('@integration-review[bot]: waive security/insecure-http -- ok', options)).toMatchObject({ kind: 'waive' })
    expect(okCommand('@integration-review', options)).toEqual({ kind: 'help' })
    // Someone else, and a mention in the middle of a sentence, are not commands.
    expect(commands('@integration-reviewer recheck', options)).toEqual([])
    expect(commands('thanks @integration-review recheck', options)).toEqual([])
    // Without an app slug a mention is just text.
    expect(commands('@integration-review recheck')).toEqual([])
  })
})

describe('parseCommands: what is not a command', () => {
  it('ignores quoted replies', () => {
    expect(commands('> /waive security/hardcoded-secret -- ok\n>/approve beta\n  > > /recheck')).toEqual([])
    expect(okCommand('> /approve beta\n\n/recheck')).toEqual({ kind: 'recheck' })
  })

  it('ignores fenced code blocks with backticks or tildes, and their content until the matching fence', () => {
    const body = [
      '```',
      '/approve beta',
      '```',
      '~~~ts',
      '/waive security/hardcoded-secret -- x',
      '```', // not a closing fence for ~~~
      '/recheck',
      '~~~~',
      '````md',
      '```',
      '/revoke beta',
      '````',
      '/help'
    ].join('\n')
    expect(commands(body).map((entry) => entry.ok && entry.command.kind)).toEqual(['help'])
  })

  it('treats an unclosed fence as running to the end of the comment', () => {
    expect(commands('```\n/approve beta')).toEqual([])
  })

  it('ignores indented code blocks and HTML comments', () => {
    expect(commands('    /approve beta\n\t/recheck')).toEqual([])
    expect(commands('<!-- /approve beta -->\n<!--\n/recheck\n-->')).toEqual([])
    expect(okCommand('<!--\n/approve beta\n-->\n/recheck')).toEqual({ kind: 'recheck' })
  })

  it('ignores commands in the middle of a line, paths and prose that start with a slash', () => {
    expect(commands('please /recheck')).toEqual([])
    expect(commands('/usr/local/bin is where it lives')).toEqual([])
    expect(commands('/ this is a fraction')).toEqual([])
    expect(commands('/* a comment */')).toEqual([])
    expect(commands('')).toEqual([])
  })
})

describe('parseCommands: malformed commands get a helpful error', () => {
  it('suggests the closest command for a misspelt word', () => {
    const entry = errorOf('/wave security/hardcoded-secret -- ok')
    expect(entry.suggestion).toBe('waive')
    expect(entry.error).toContain('/waive <rule-id>')
    expect(errorOf('/aprove beta').suggestion).toBe('approve')
    expect(errorOf('/rechek').suggestion).toBe('recheck')
    const far = errorOf('/lgtm')
    expect(far.suggestion).toBeUndefined()
    expect(far.error).toContain('/recheck')
  })

  it('requires a reason to waive', () => {
    expect(errorOf('/waive security/hardcoded-secret').error).toMatch(/needs a reason after ` -- `/)
    expect(errorOf('/waive security/hardcoded-secret src/a.ts:3 --   ').error).toMatch(/needs a reason/)
    expect(errorOf('/waive -- because').error).toMatch(/needs a rule id/)
  })

  it('rejects a reason that is too long', () => {
    expect(errorOf(`/waive security/hardcoded-secret -- ${'x'.repeat(1001)}`).error).toMatch(/1001 characters/)
  })

  it('rejects unknown stages and missing stages', () => {
    expect(errorOf('/approve alpha').error).toMatch(/unknown stage "alpha".*`beta`.*`public`/)
    expect(errorOf('/revoke').error).toMatch(/needs a stage/)
  })

  it('rejects paths that leave the repository, bad line numbers and unterminated quotes', () => {
    expect(errorOf('/waive security/insecure-http ../etc/passwd -- x').error).toMatch(/must not contain/)
    expect(errorOf('/waive security/insecure-http src/a.ts:0 -- x').error).toMatch(/line number/)
    expect(errorOf('/waive security/insecure-http `src/a.ts -- x').error).toMatch(/never ends/)
  })

  it('checks rule ids against the known rules and suggests the nearest', () => {
    const options = { ruleIds: RULE_IDS }
    expect(errorOf('/explain security/hardcoded-secrets', options).error).toContain('did you mean `security/hardcoded-secret`')
    expect(errorOf('/waive hardcoded-secret -- x', options).error).toContain('did you mean `security/hardcoded-secret`')
    expect(errorOf('/explain nothing/like-it-at-all', options).error).toMatch(/unknown rule id/)
    expect(okCommand('/explain `security/insecure-http`', options)).toEqual({ kind: 'explain', ruleId: 'security/insecure-http' })
    expect(errorOf('/explain').error).toMatch(/exactly one rule id/)
    expect(errorOf('/explain a b').error).toMatch(/exactly one rule id/)
    expect(errorOf('/explain Not_A*Rule').error).toMatch(/<category>\/<rule-name>/)
  })

  it('rejects arguments to /recheck rather than guessing', () => {
    expect(errorOf('/recheck please').error).toMatch(/takes no arguments/)
    expect(okCommand('/recheck.')).toEqual({ kind: 'recheck' })
  })
})

describe('parseCommands: large input', () => {
  it('caps the commands read from one comment and says so', () => {
    const parsed = commands(Array.from({ length: 30 }, () => '/recheck').join('\n'), { maxCommands: 20 })
    expect(parsed).toHaveLength(21)
    const last = parsed[20]
    expect(last.ok).toBe(false)
    if (!last.ok) expect(last.error).toMatch(/Only 20 commands.*10 more from line 21/)
  })

  // A bound that only a super-linear parse (catastrophic backtracking, a quadratic scan of 64 KB)
  // crosses, never a busy machine: a linear parse takes a few milliseconds.
  const SUPER_LINEAR_MS = 5000

  it('reads a 64 KB comment with thousands of lines in linear time', () => {
    const filler = Array.from(
      { length: 4000 },
      (_, index) => `line ${index} of a long review with a path /src/a.ts:${index} -- and dashes`
    ).join('\n')
    const body = `${filler}\n/waive security/insecure-http ${'a/'.repeat(300)}x.ts:1 -- ${'-- '.repeat(300)}\n/recheck`
    const start = performance.now()
    const parsed = commands(body)
    expect(performance.now() - start).toBeLessThan(SUPER_LINEAR_MS)
    expect(parsed.map((entry) => entry.ok && entry.command.kind)).toEqual(['waive', 'recheck'])
  })

  it('reads 64 KB of misspelt commands quickly, answering only the first ones', () => {
    const body = '/wave security/hardcoded-secret -- x\n'.repeat(1800)
    expect(body.length).toBeGreaterThan(64_000)
    const start = performance.now()
    const parsed = commands(body)
    expect(performance.now() - start).toBeLessThan(SUPER_LINEAR_MS)
    expect(parsed).toHaveLength(21)
    expect(parsed.slice(0, 20).every((entry) => !entry.ok && entry.suggestion === 'waive')).toBe(true)
  })

  it('handles pathological lines without backtracking blow-ups', () => {
    const hostile = [
      `/waive security/insecure-http ${':1'.repeat(30_000)} -- x`,
      `/waive ${'a'.repeat(60_000)}`,
      `/${'w'.repeat(60_000)}`,
      `\`\`\`${'`'.repeat(60_000)}`
    ]
    for (const body of hostile) {
      const start = performance.now()
      const parsed = commands(body)
      expect(performance.now() - start).toBeLessThan(SUPER_LINEAR_MS)
      expect(parsed.length).toBeLessThanOrEqual(1)
    }
  })
})
