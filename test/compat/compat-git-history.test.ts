// Replays a small integration history in a real git repository and checks the compat verdict of
// each commit against its parent, through the engine (git revisions, working tree) and the CLI
// (`review --base <ref>` and `--base-dir`): refactors and optional fields pass, a field made required is flagged.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { COMPAT_RULES } from '../../src/rules/compat/index.js'
import { analyseChange, type RuleFinding } from '../../src/review/analyse-change.js'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'
import type { FileSource } from '../../src/source/file-source.js'
import { GitRevisionFileSource } from '../../src/source/git-revision-file-source.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules', 'compat')
const UPSERT_CONTACT = 'packages/destination-actions/src/destinations/acme-crm/upsertContact/index.ts'
const LAST_NAME_FIELD = `    last_name: {
      label: 'Last Name',
      description: "The contact's last name.",
      type: 'string',
      required: false,
      default: { '@path': '$.traits.last_name' }
    },
`

let repo: string
let baseCopy: string
const commits: Record<'initial' | 'moved' | 'optional' | 'required', string> = { initial: '', moved: '', optional: '', required: '' }
const cliAtOptional: { code: number; stdout: string } = { code: -1, stdout: '' }

function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-C', repo, '-c', 'user.name=Compat Test', '-c', 'user.email=compat@example.com', '-c', 'commit.gpgsign=false', ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }
  ).trim()
}

function commitAll(message: string): string {
  git('add', '-A')
  git('commit', '-q', '-m', message)
  return git('rev-parse', 'HEAD')
}

function editFile(path: string, edit: (text: string) => string): void {
  const full = join(repo, path)
  const before = readFileSync(full, 'utf8')
  const after = edit(before)
  if (after === before) throw new Error(`edit of ${path} changed nothing`)
  writeFileSync(full, after)
}

function compatFindings(base: FileSource, head: FileSource): RuleFinding[] {
  const analysis = analyseChange({ head, base, rules: COMPAT_RULES, pullRequest: { body: undefined, authorIsPartner: true } })
  expect(analysis.ruleFailures).toEqual([])
  return analysis.findings
}

async function cliReview(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const code = await runCli(['review', repo, ...args, '--format', 'json'], {
    stdout: (text) => {
      stdout += text
    },
    stderr: () => undefined,
    isTty: false,
    cwd: repo
  })
  return { code, stdout }
}

function compatOf(stdout: string): Array<{ ruleId: string; severity: string; blocks: string[]; message: string }> {
  const review = JSON.parse(stdout) as { findings: Array<{ ruleId: string; severity: string; blocks: string[]; message: string }> }
  return review.findings.filter((finding) => finding.ruleId.startsWith('compat/'))
}

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'compat-history-'))
  baseCopy = mkdtempSync(join(tmpdir(), 'compat-base-'))
  git('init', '-q')
  // 1. The integration as it ships.
  cpSync(join(FIXTURES, 'field-moved-to-spread-module', 'base'), repo, { recursive: true })
  commits.initial = commitAll('Acme CRM destination')
  // 2. Fields moved into a spread module and reordered: the same definition.
  cpSync(join(FIXTURES, 'field-moved-to-spread-module', 'head'), repo, { recursive: true })
  commits.moved = commitAll('Move contact fields into fields.ts')
  // 3. An optional field added.
  editFile(UPSERT_CONTACT, (text) => text.replace('    lifecycle_stage: {', `${LAST_NAME_FIELD}    lifecycle_stage: {`))
  commits.optional = commitAll('Add optional last name')
  Object.assign(cliAtOptional, await cliReview(['--base', 'HEAD~1']))
  // 4. The optional field made required.
  cpSync(repo, baseCopy, { recursive: true, filter: (source) => !source.includes(`${join(repo, '.git')}`) })
  editFile(UPSERT_CONTACT, (text) => text.replace(LAST_NAME_FIELD, LAST_NAME_FIELD.replace('required: false', 'required: true')))
  commits.required = commitAll('Require last name')
}, 60_000)

afterAll(() => {
  rmSync(repo, { recursive: true, force: true })
  rmSync(baseCopy, { recursive: true, force: true })
})

describe('compat over a git history', () => {
  it('moving fields into a spread module is not a change', () => {
    expect(compatFindings(new GitRevisionFileSource(repo, commits.initial), new GitRevisionFileSource(repo, commits.moved))).toEqual([])
  })

  it('adding an optional field is not flagged', () => {
    expect(compatFindings(new GitRevisionFileSource(repo, commits.moved), new GitRevisionFileSource(repo, commits.optional))).toEqual([])
  })

  it('making the field required is flagged, between two revisions and against the working tree', () => {
    const base = new GitRevisionFileSource(repo, commits.optional)
    for (const head of [new GitRevisionFileSource(repo, commits.required), new DirectoryFileSource(repo)]) {
      const findings = compatFindings(base, head)
      expect(findings.map((finding) => `${finding.ruleId} ${finding.severity} ${finding.key} ${finding.path}`)).toEqual([
        `compat/field-became-required error /actions/upsertContact/fields/last_name ${UPSERT_CONTACT}`
      ])
    }
  })

  it('the whole history at once shows only the required field (a new required field compared with the first commit)', () => {
    const findings = compatFindings(new GitRevisionFileSource(repo, commits.initial), new GitRevisionFileSource(repo, commits.required))
    expect(findings.map((finding) => `${finding.ruleId} ${finding.key}`)).toEqual([
      'compat/new-required-field /actions/upsertContact/fields/last_name'
    ])
  })
})

describe('compat through the CLI', () => {
  it('review --base HEAD~1 reports no compat finding for the optional field', () => {
    expect(cliAtOptional.stdout).not.toBe('')
    expect(compatOf(cliAtOptional.stdout)).toEqual([])
  })

  it('review --base HEAD~1 blocks the field made required', async () => {
    const { code, stdout } = await cliReview(['--base', 'HEAD~1'])
    const compat = compatOf(stdout)
    expect(compat.map((finding) => [finding.ruleId, finding.severity])).toEqual([['compat/field-became-required', 'error']])
    expect(compat[0].blocks).toContain('public')
    expect(compat[0].message).toContain('`last_name`')
    expect(code).toBe(1)
  })

  it('review --base-dir compares with a plain directory the same way', async () => {
    const { stdout } = await cliReview(['--base-dir', baseCopy])
    expect(compatOf(stdout).map((finding) => finding.ruleId)).toEqual(['compat/field-became-required'])
  })
})
