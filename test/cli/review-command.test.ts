// `integration-review review`, `rules` and `explain` through the CLI entry point, on temp
// directories and git repositories made here.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { ReviewSchema } from '../../src/review/review-schema.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'

const ROOT = 'packages/destination-actions/src/destinations/tidepool'

const INDEX = `import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import syncProfile from './syncProfile'

const destination: DestinationDefinition<Settings> = {
  name: 'Tidepool',
  slug: 'actions-tidepool',
  mode: 'cloud',
  description: 'Keep Tidepool customer profiles in sync with Segment identify calls.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: { label: 'API Key', description: 'Your Tidepool secret API key.', type: 'password', required: true }
    }
  },
  actions: { syncProfile }
}

export default destination
`

const ACTION = `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { API_BASE } from '../constants'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Sync Profile',
  description: 'Create or update a Tidepool profile.',
  defaultSubscription: 'type = "identify"',
  fields: {
    email: { label: 'Email', description: 'The email address of the profile.', type: 'string', required: true, default: { '@path': '$.traits.email' } }
  },
  perform: (request, { payload }) => {
    return request(\`\${API_BASE}/profiles\`, { method: 'put', json: { email: payload.email } })
  }
}

export default action
`

/** Only the rule under test runs, so other rules' findings cannot change these exit codes. */
const ONLY_PARSE_ERROR = `rules:\n${ALL_RULES.filter((rule) => rule.id !== 'structure/parse-error')
  .map((rule) => `  ${rule.id}: off`)
  .join('\n')}\n`

function write(dir: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ir-review-'))
  write(dir, {
    [`${ROOT}/index.ts`]: INDEX,
    [`${ROOT}/constants.ts`]: "export const API_BASE = 'https://api.tidepool.example/v2'\n",
    [`${ROOT}/syncProfile/index.ts`]: ACTION,
    ...files
  })
  return dir
}

function gitCommitAll(dir: string) {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=T', ...args], { stdio: 'pipe' })
  if (!existsSync(join(dir, '.git'))) git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
}

async function cli(args: string[], cwd = process.cwd(), isTty = false, env?: Record<string, string>) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await runCli(args, { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text), isTty, cwd, env })
  return { code, stdout: stdout.join(''), stderr: stderr.join('') }
}

const BROKEN_ACTION = ACTION.replace('json: { email: payload.email } })', 'json: { email: payload.email } )')

describe('integration-review review', () => {
  it('prints where the time went on stderr with --timing or TIMING=1, and the same report on stdout', async () => {
    const dir = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION })
    const plain = await cli(['review', dir, '--format', 'json'])
    const flagged = await cli(['review', dir, '--format', 'json', '--timing'])
    const fromEnv = await cli(['review', dir, '--format', 'json'], process.cwd(), false, { TIMING: '1' })
    const off = await cli(['review', dir, '--format', 'json'], process.cwd(), false, { TIMING: '0' })
    expect(plain.stderr).toBe('')
    expect(off.stderr).toBe('')
    for (const timed of [flagged, fromEnv]) {
      expect(timed.code).toBe(plain.code)
      expect(timed.stdout).toBe(plain.stdout)
      expect(timed.stderr).toContain('Phase or rule')
      expect(timed.stderr).toMatch(/^parse +\| +[\d.]+ \|/m)
      expect(timed.stderr).toMatch(/^rule [a-z]+\/[a-z-]+ +\|/m)
      expect(timed.stderr).toContain('total measured:')
    }
  })

  it('prints as many timing rows as TIMING says above the default 20, or all of them with TIMING=all (as ESLint does)', async () => {
    const dir = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION })
    const rows = (stderr: string) => stderr.split('\n').filter((line) => /^\S.* \| +[\d.]+ \| /.test(line)).length
    const thirty = await cli(['review', dir, '--format', 'json'], process.cwd(), false, { TIMING: '30' })
    expect(rows(thirty.stderr)).toBe(30)
    expect(thirty.stderr).toMatch(/^\(\d+ more, [\d.]+ ms together\)$/m)
    const all = await cli(['review', dir, '--format', 'json'], process.cwd(), false, { TIMING: 'all' })
    expect(rows(all.stderr)).toBeGreaterThan(20)
    expect(all.stderr).not.toContain('more, ')
    const flagged = await cli(['review', dir, '--format', 'json', '--timing'])
    expect(rows(flagged.stderr)).toBe(20)
  })

  it('exits 1 when a finding blocks, 0 when nothing does', async () => {
    const broken = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION, 'review.yml': ONLY_PARSE_ERROR })
    const failing = await cli(['review', broken, '--config', join(broken, 'review.yml')])
    expect(failing.stderr).toBe('')
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('Tidepool (packages/destination-actions/src/destinations/tidepool) — status new, blocked')
    expect(failing.stdout).toContain(`${ROOT}/syncProfile/index.ts:14:`)
    expect(failing.stdout).toContain('structure/parse-error')

    const clean = tempRepo({ 'review.yml': ONLY_PARSE_ERROR })
    const passing = await cli(['review', clean, '--config', join(clean, 'review.yml')])
    expect(passing.code).toBe(0)
    expect(passing.stdout).toContain('ready for Public')
    expect(passing.stdout).toContain('Nothing blocks Public.')
    expect(passing.stdout).not.toContain('\u001b[')
    // Colour only on a terminal.
    const coloured = await cli(['review', broken, '--config', join(broken, 'review.yml')], process.cwd(), true)
    expect(coloured.stdout).toContain('\u001b[31m')
  })

  it('gates on Public by default and on Private Beta with --stage private-beta', async () => {
    const onlyDescriptions = `rules:\n${ALL_RULES.filter((rule) => rule.id !== 'structure/field-description')
      .map((rule) => `  ${rule.id}: off`)
      .join('\n')}\n`
    const dir = tempRepo({
      [`${ROOT}/syncProfile/index.ts`]: ACTION.replace("description: 'The email address of the profile.', ", ''),
      'review.yml': onlyDescriptions
    })
    const publicGate = await cli(['review', dir, '--config', join(dir, 'review.yml'), '--format', 'json'])
    const review = ReviewSchema.parse(JSON.parse(publicGate.stdout))
    expect(review.findings.map((finding) => [finding.ruleId, finding.blocks])).toEqual([['structure/field-description', ['public']]])
    expect(review.integrations[0].readiness).toBe('ready-for-private-beta')
    expect(publicGate.code).toBe(1)
    const betaGate = await cli(['review', dir, '--config', join(dir, 'review.yml'), '--stage', 'private-beta'])
    expect(betaGate.code).toBe(0)
    expect(betaGate.stdout).toContain('Nothing blocks Private Beta.')
  })

  it('prints json, markdown and sarif', async () => {
    const dir = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION, 'review.yml': ONLY_PARSE_ERROR })
    const json = await cli(['review', dir, '--format', 'json', '--config', join(dir, 'review.yml')])
    const review = ReviewSchema.parse(JSON.parse(json.stdout))
    expect(review.findings.map((finding) => [finding.ruleId, finding.path, finding.line])).toEqual([
      ['structure/parse-error', `${ROOT}/syncProfile/index.ts`, 14]
    ])
    expect(review.integrations[0].readiness).toBe('blocked')
    const markdown = await cli(['review', dir, '--format', 'markdown', '--config', join(dir, 'review.yml')])
    expect(markdown.stdout.startsWith('## Integration review')).toBe(true)
    const sarif = await cli(['review', dir, '--format', 'sarif', '--config', join(dir, 'review.yml')])
    expect(JSON.parse(sarif.stdout)).toMatchObject({ version: '2.1.0', runs: [{ results: [{ ruleId: 'structure/parse-error' }] }] })
    expect([json.code, markdown.code, sarif.code]).toEqual([1, 1, 1])
  })

  it('against a git base, only new findings block an existing integration', async () => {
    const dir = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION, '.github/integration-review.yml': ONLY_PARSE_ERROR })
    gitCommitAll(dir)
    // An unrelated edit: the pre-existing parse error does not block.
    write(dir, { [`${ROOT}/constants.ts`]: "export const API_BASE = 'https://api.tidepool.example/v3'\n" })
    const unrelated = await cli(['review', dir, '--base', 'main', '--format', 'json'])
    expect(unrelated.code).toBe(0)
    const before = ReviewSchema.parse(JSON.parse(unrelated.stdout))
    expect(before.changedPaths).toEqual([`${ROOT}/constants.ts`])
    expect(before.findings.map((finding) => [finding.status, finding.blocks])).toEqual([['existing', []]])
    // Git decides what changed: an untracked file counts, an ignored one does not.
    write(dir, { '.gitignore': 'local/\n' })
    gitCommitAll(dir)
    write(dir, {
      [`${ROOT}/constants.ts`]: "export const API_BASE = 'https://api.tidepool.example/v4'\n",
      'local/notes.txt': 'scratch',
      [`${ROOT}/README.md`]: '# Tidepool\n'
    })
    const untracked = ReviewSchema.parse(JSON.parse((await cli(['review', dir, '--base', 'main', '--format', 'json'])).stdout))
    expect(untracked.changedPaths).toEqual([`${ROOT}/README.md`, `${ROOT}/constants.ts`])
    // The change breaks another file: that one is new and blocks.
    write(dir, { [`${ROOT}/constants.ts`]: "export const API_BASE = 'https://api.tidepool.example/v3'\nexport const TIMEOUT = (\n" })
    const breaking = await cli(['review', dir, '--base', 'main', '--format', 'json'])
    expect(breaking.code).toBe(1)
    const after = ReviewSchema.parse(JSON.parse(breaking.stdout))
    expect(after.findings.map((finding) => [finding.path.split('/').pop(), finding.status])).toEqual([
      ['constants.ts', 'new'],
      ['index.ts', 'existing']
    ])
  })

  it('reads the config from the base revision, so a change cannot switch its own checks off', async () => {
    const dir = tempRepo({ '.github/integration-review.yml': ONLY_PARSE_ERROR })
    gitCommitAll(dir)
    write(dir, {
      [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION,
      '.github/integration-review.yml': `${ONLY_PARSE_ERROR}  structure/parse-error: off\n`
    })
    const result = await cli(['review', dir, '--base', 'main'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('structure/parse-error')
    // Without a base, the working tree's config is the one there is.
    const local = await cli(['review', dir])
    expect(local.stdout).not.toContain('structure/parse-error')
  })

  it('compares with a plain directory given by --base-dir', async () => {
    const base = tempRepo({})
    const head = tempRepo({ [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION, 'review.yml': ONLY_PARSE_ERROR })
    const result = await cli(['review', head, '--base-dir', base, '--config', join(head, 'review.yml'), '--format', 'json'])
    const review = ReviewSchema.parse(JSON.parse(result.stdout))
    expect(review.changedPaths).toEqual(['review.yml', `${ROOT}/syncProfile/index.ts`].sort())
    expect(review.integrations[0]).toMatchObject({ existsOnBase: true, readiness: 'blocked' })
    expect(result.code).toBe(1)
  })

  it('reports an invalid repository config by key and carries on with the defaults', async () => {
    const dir = tempRepo({ '.github/integration-review.yml': 'rules:\n  structure/parse-eror: off\nlimits:\n  maxFiles: many\n' })
    const result = await cli(['review', dir, '--format', 'json'])
    expect(result.stderr).toContain('rules.structure/parse-eror: unknown rule id (did you mean structure/parse-error?)')
    expect(result.stderr).toContain('limits.maxFiles:')
    const review = ReviewSchema.parse(JSON.parse(result.stdout))
    expect(review.configErrors).toHaveLength(2)
  })

  it('restricts the review to --integration paths and rejects unknown ones', async () => {
    const dir = tempRepo({
      'packages/destination-actions/src/destinations/other/index.ts': INDEX.replace(/Tidepool/g, 'Other')
        .replace("import syncProfile from './syncProfile'\n", '')
        .replace('actions: { syncProfile }', 'actions: {}'),
      'review.yml': ONLY_PARSE_ERROR
    })
    const result = await cli(['review', dir, '--integration', `${ROOT}/index.ts`, '--format', 'json', '--config', join(dir, 'review.yml')])
    expect(ReviewSchema.parse(JSON.parse(result.stdout)).integrations.map((integration) => integration.slug)).toEqual(['actions-tidepool'])
    const missing = await cli(['review', dir, '--integration', 'packages/destination-actions/src/destinations/nope'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(
      `integration-review review: no integration at packages/destination-actions/src/destinations/nope in directory ${dir}\n`
    )
  })

  it('treats an empty repository as nothing to review', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-empty-'))
    const result = await cli(['review', dir])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('No integration is touched by this change.')
  })

  it('exits 2 with one line and no stack trace on usage and input errors', async () => {
    const dir = tempRepo({ 'bad.yml': 'rules: [\n', 'body.md': '## Testing\n- [x] tested' })
    gitCommitAll(dir)
    const cases: Array<[string[], RegExp]> = [
      [['review'], /expected one repository directory/],
      [['review', join(dir, 'missing')], /not a directory: /],
      [['review', dir, '--base', 'no-such-branch'], /git revision not found in .*: no-such-branch/],
      [['review', dir, '--base=--output=/tmp/x'], /invalid git revision: --output=\/tmp\/x/],
      [['review', dir, '--base', 'main', '--base-dir', dir], /either --base or --base-dir/],
      [['review', dir, '--format', 'html'], /unknown --format "html"/],
      [['review', dir, '--author', 'robot'], /--author must be "internal" or "partner"/],
      [['review', dir, '--stage', 'beta'], /--stage must be "private-beta" or "public"/],
      [['review', dir, '--config', join(dir, 'bad.yml')], /invalid config .*bad\.yml: .*not valid YAML/],
      [['review', dir, '--config', join(dir, 'none.yml')], /--config: no such file/],
      [['review', dir, '--pr-body', join(dir, 'none.md')], /--pr-body: no such file/],
      [['review', dir, '--colour'], /^integration-review review: unknown option --colour; usage: /],
      [['review', mkdtempSync(join(tmpdir(), 'ir-nogit-')), '--base', 'main'], /--base needs a git repository/],
      [['explain', 'security/no-proces-env'], /unknown rule id "security\/no-proces-env"/],
      [['explain'], /expected one rule id/],
      [['rules', 'extra'], /unexpected argument extra/]
    ]
    for (const [args, message] of cases) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(message)
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    const withBody = await cli(['review', dir, '--pr-body', join(dir, 'body.md'), '--author', 'internal'])
    expect([0, 1]).toContain(withBody.code)
  })
})

describe('integration-review rules and explain', () => {
  it('lists every rule with its stages', async () => {
    const result = await cli(['rules'])
    expect(result.code).toBe(0)
    for (const rule of ALL_RULES) expect(result.stdout).toContain(rule.id)
    expect(result.stdout).toMatch(/^RULE\s+BETA\s+PUBLIC\s+WHO\s+TITLE/)
    expect(result.stdout).toMatch(/structure\/parse-error\s+error\s+error\s+A file of the integration does not parse/)
    const json = JSON.parse((await cli(['rules', '--format', 'json'])).stdout) as Array<{ id: string }>
    expect(json.map((rule) => rule.id)).toEqual(ALL_RULES.map((rule) => rule.id))
  })

  it('explains a rule from its metadata, and suggests ids for an unknown one', async () => {
    const result = await cli(['explain', 'security/suppression-added'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('security/suppression-added — A suppression comment added by the pull request suppresses nothing')
    expect(result.stdout).toContain('Severity: info for Private Beta, info for Public')
    expect(result.stdout).toContain('Why it matters:')
    expect(result.stdout).toContain('    // integration-review-disable-next-line security/no-process-env')
    const failClosed = await cli(['explain', 'review/not-analysed'])
    expect(failClosed.code).toBe(0)
    expect(failClosed.stdout).toContain('review/not-analysed — Every file of a touched integration was analysed')
    expect(failClosed.stdout).toContain('/waive review/not-analysed -- <what was checked>')
    const unknown = await cli(['explain', 'structure/parse-eror'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('closest: structure/parse-error')
  })
})

describe('integration-review review on a subfolder of a git repository', () => {
  it('reads the base revision of that subfolder', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'ir-outer-'))
    const dir = join(outer, 'integrations')
    mkdirSync(dir)
    write(dir, {
      [`${ROOT}/index.ts`]: INDEX,
      [`${ROOT}/constants.ts`]: "export const API_BASE = 'https://api.tidepool.example/v2'\n",
      [`${ROOT}/syncProfile/index.ts`]: ACTION,
      'review.yml': ONLY_PARSE_ERROR
    })
    gitCommitAll(outer)
    write(dir, { [`${ROOT}/syncProfile/index.ts`]: BROKEN_ACTION })
    const result = await cli(['review', dir, '--base', 'main', '--format', 'json', '--config', join(dir, 'review.yml')])
    const review = ReviewSchema.parse(JSON.parse(result.stdout))
    expect(review.changedPaths).toEqual([`${ROOT}/syncProfile/index.ts`])
    expect(review.findings.map((finding) => [finding.ruleId, finding.status])).toEqual([['structure/parse-error', 'new']])
    expect(result.code).toBe(1)
  })
})

describe('symbolic links in the working tree', () => {
  it('a symlinked .github/integration-review.yml pointing outside the repository is not read or echoed', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ir-outside-'))
    writeFileSync(join(outside, 'secrets.yml'), 'rules:\n  outside/private-key-name: off\n')
    const repo = tempRepo({})
    mkdirSync(join(repo, '.github'), { recursive: true })
    symlinkSync(join(outside, 'secrets.yml'), join(repo, '.github', 'integration-review.yml'))
    const result = await cli(['review', repo])
    expect(result.stdout).not.toContain('outside/private-key-name')
    expect(result.stderr).not.toContain('outside/private-key-name')
  })

  it('a symlinked file inside an integration is not followed, and it blocks the integration (fail closed)', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ir-outside-'))
    writeFileSync(join(outside, 'helper.ts'), 'export const x = 1\n')
    const only = `rules:\n${ALL_RULES.map((rule) => `  ${rule.id}: off`).join('\n')}\n`
    const clean = tempRepo({ 'review.yml': only })
    expect((await cli(['review', clean, '--config', join(clean, 'review.yml')])).code).toBe(0)
    const linked = tempRepo({ 'review.yml': only })
    symlinkSync(join(outside, 'helper.ts'), join(linked, ROOT, 'syncProfile', 'helper.ts'))
    const result = await cli(['review', linked, '--config', join(linked, 'review.yml')])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('review/not-analysed')
    expect(result.stdout).toContain(`${ROOT}/syncProfile/helper.ts`)
    expect(result.stdout).toContain('symbolic link')
  })
})
