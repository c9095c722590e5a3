import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { ReviewSchema, type Review } from '../../src/review/review-schema.js'
import { reviewBlocks, runReview, type ReviewInput } from '../../src/review/run-review.js'
import { defineRule } from '../../src/rules/rule.js'
import { suppressionAdded } from '../../src/rules/security/suppression-added.js'
import { ACME_FILES, ROOT, TEST_RULES, acmeRepo, compatRule, crashingRule, envRule, fieldDefaultRule } from './review-test-repo.js'

const PARTNER = { body: undefined, authorIsPartner: true }
const KNOWN_IDS = [...ALL_RULES, ...TEST_RULES, compatRule, crashingRule].map((rule) => rule.id)

function configFrom(yaml: string) {
  const parsed = parseReviewConfig(yaml, KNOWN_IDS)
  expect(parsed.errors).toEqual([])
  return parsed
}
const SEND = `${ROOT}/sendEmail/index.ts`

function review(input: Partial<ReviewInput> & Pick<ReviewInput, 'head'>): Review {
  const result = runReview({ config: defaultReviewConfig(), pullRequest: PARTNER, rules: TEST_RULES, ...input })
  ReviewSchema.parse(result)
  return result
}

function byRule(result: Review, ruleId: string) {
  return result.findings.filter((finding) => finding.ruleId === ruleId)
}

describe('runReview without a base', () => {
  it('reviews every integration as new: all findings count, readiness from the worst stage', () => {
    const result = review({ head: acmeRepo() })
    expect(result.integrations).toHaveLength(1)
    const [integration] = result.integrations
    expect(integration).toMatchObject({
      path: ROOT,
      slug: 'actions-acme-mail',
      name: 'Acme Mail',
      status: 'new',
      existsOnBase: false,
      readiness: 'blocked'
    })
    const [env] = byRule(result, 'security/no-process-env')
    expect(env).toMatchObject({
      path: SEND,
      line: 14,
      column: 20,
      severity: 'error',
      status: 'new',
      blocks: ['private-beta', 'public'],
      integration: ROOT
    })
    const [field] = byRule(result, 'structure/field-description')
    // warning at Private Beta, error at Public: shown as error, blocks Public only.
    expect(field).toMatchObject({ severity: 'error', blocks: ['public'], line: 11 })
    expect(integration.blocking['private-beta']).toEqual([env.fingerprint])
    expect(integration.blocking.public.sort()).toEqual([env.fingerprint, field.fingerprint].sort())
    expect(reviewBlocks(result)).toBe(true)
  })

  it('is ready for Private Beta when only Public is blocked, and for Public when nothing blocks', () => {
    const noEnv = ACME_FILES[SEND].replace('const region = process.env.ACME_REGION', "const region = 'us'")
    const beta = review({ head: acmeRepo({ [SEND]: noEnv }) })
    expect(beta.integrations[0].readiness).toBe('ready-for-private-beta')
    // A new integration heads for Private Beta: what blocks only Public does not fail the check,
    // but it does block Public.
    expect(reviewBlocks(beta)).toBe(false)
    expect(reviewBlocks(beta, 'public')).toBe(true)
    expect(reviewBlocks(beta, 'private-beta')).toBe(false)
    const withDefault = noEnv.replace(
      "subject: { label: 'Subject', description: 'Email subject.', type: 'string' }",
      "subject: { label: 'Subject', description: 'Email subject.', type: 'string', default: 'Hello' }"
    )
    const ready = review({ head: acmeRepo({ [SEND]: withDefault }) })
    expect(ready.findings).toEqual([])
    expect(ready.integrations[0].readiness).toBe('ready-for-public')
  })

  it('drops partner-only rules to info for internal authors', () => {
    const result = review({ head: acmeRepo(), pullRequest: { body: undefined, authorIsPartner: false } })
    const [env] = byRule(result, 'security/no-process-env')
    expect(env.severity).toBe('info')
    expect(env.blocks).toEqual([])
    expect(result.integrations[0].readiness).toBe('ready-for-private-beta')
  })

  it('applies config: off removes a rule, a severity replaces the rule’s at every stage it gates', () => {
    const { config } = configFrom('rules:\n  security/no-process-env: off\n  structure/field-description: warning\n')
    const result = review({ head: acmeRepo(), config })
    expect(byRule(result, 'security/no-process-env')).toEqual([])
    expect(byRule(result, 'structure/field-description')[0]).toMatchObject({ severity: 'warning', blocks: [] })
    expect(result.integrations[0].readiness).toBe('ready-for-public')
    const stricter = configFrom('rules:\n  structure/field-description: error\n').config
    expect(byRule(review({ head: acmeRepo(), config: stricter }), 'structure/field-description')[0].blocks).toEqual([
      'private-beta',
      'public'
    ])
  })

  it('takes an integration status from config by slug or by folder', () => {
    const bySlug = configFrom('integrations:\n  actions-acme-mail: { status: private-beta }\n').config
    expect(review({ head: acmeRepo(), config: bySlug }).integrations[0].status).toBe('private-beta')
    const byFolder = configFrom('integrations:\n  acme-mail: { status: public }\n').config
    const result = review({ head: acmeRepo({ [SEND]: ACME_FILES[SEND].replace('process.env.ACME_REGION', "'us'") }), config: byFolder })
    expect(result.integrations[0].status).toBe('public')
    // Heading for Public, so what blocks Public fails the review.
    expect(result.integrations[0].readiness).toBe('ready-for-private-beta')
    expect(reviewBlocks(result)).toBe(true)
  })

  it('applies waivers by rule id, and by path and line when they are given', () => {
    const waiver = {
      ruleId: 'security/no-process-env',
      reason: 'region is set by the platform',
      by: 'reviewer-1',
      at: '2026-11-27T10:00:00Z'
    }
    const matched = review({ head: acmeRepo(), waivers: [{ ...waiver, path: SEND, line: 14 }] })
    const [env] = byRule(matched, 'security/no-process-env')
    expect(env.waived).toEqual({ by: 'reviewer-1', reason: 'region is set by the platform', at: '2026-11-27T10:00:00Z' })
    expect(env.blocks).toEqual([])
    expect(matched.integrations[0].readiness).toBe('ready-for-private-beta')
    const wrongLine = review({ head: acmeRepo(), waivers: [{ ...waiver, path: SEND, line: 15 }] })
    expect(byRule(wrongLine, 'security/no-process-env')[0].waived).toBeUndefined()
    const wrongPath = review({ head: acmeRepo(), waivers: [{ ...waiver, path: `${ROOT}/index.ts` }] })
    expect(byRule(wrongPath, 'security/no-process-env')[0].waived).toBeUndefined()
    const anyWhere = review({ head: acmeRepo(), waivers: [waiver] })
    expect(byRule(anyWhere, 'security/no-process-env')[0].waived).toBeDefined()
  })

  it('attributes a pull-request finding inside an integration to it; one outside blocks the whole change', () => {
    const inside = review({ head: acmeRepo({ [`${ROOT}/.env`]: 'ACME_KEY=abc' }) })
    expect(byRule(inside, 'security/sensitive-file')[0].integration).toBe(ROOT)
    const outside = review({
      head: acmeRepo({ 'tools/.env': 'ACME_KEY=abc', [SEND]: ACME_FILES[SEND].replace('process.env.ACME_REGION', "'us'") })
    })
    const [finding] = byRule(outside, 'security/sensitive-file')
    expect(finding.integration).toBeNull()
    expect(outside.integrations[0].readiness).toBe('blocked')
    expect(reviewBlocks(outside)).toBe(true)
  })

  it('reports a crashing rule and still reviews with the others', () => {
    const result = review({ head: acmeRepo(), rules: [...TEST_RULES, crashingRule] })
    expect(result.ruleFailures).toEqual([{ ruleId: 'structure/has-actions', integration: ROOT, message: 'boom' }])
    expect(byRule(result, 'security/no-process-env')).toHaveLength(1)
  })

  it('reviews an empty repository as nothing to review', () => {
    const result = review({ head: acmeRepo(Object.fromEntries(Object.keys(ACME_FILES).map((path) => [path, undefined]))) })
    expect(result.integrations).toEqual([])
    expect(result.findings).toEqual([])
    expect(reviewBlocks(result)).toBe(false)
  })
})

describe('fingerprints', () => {
  it('survive unrelated edits that move lines, and differ between findings', () => {
    const before = review({ head: acmeRepo() })
    const moved = ACME_FILES[SEND].replace(
      'const action: ActionDefinition<Settings, Payload> = {',
      '// Sends one email per event.\n// See https://docs.acme-mail.example/send\n\nconst action: ActionDefinition<Settings, Payload> = {'
    ).replace('    const region = process.env.ACME_REGION', '        const region   =  process.env.ACME_REGION')
    const after = review({ head: acmeRepo({ [SEND]: moved }) })
    const lines = (result: Review) => result.findings.map((finding) => finding.line)
    expect(lines(after)).not.toEqual(lines(before))
    expect(after.findings.map((finding) => finding.fingerprint).sort()).toEqual(
      before.findings.map((finding) => finding.fingerprint).sort()
    )
    expect(new Set(before.findings.map((finding) => finding.fingerprint)).size).toBe(before.findings.length)
  })

  it('tell apart identical lines by occurrence', () => {
    const twice = ACME_FILES[SEND].replace(
      '    const region = process.env.ACME_REGION',
      '    const region = process.env.ACME_REGION\n    const region = process.env.ACME_REGION'
    )
    const result = review({ head: acmeRepo({ [SEND]: twice }) })
    const env = byRule(result, 'security/no-process-env')
    expect(env).toHaveLength(2)
    expect(env[0].fingerprint).not.toBe(env[1].fingerprint)
  })
})

describe('runReview against a base revision', () => {
  const base = acmeRepo({}, 'base')

  it('marks findings already on the base as existing; they do not block an existing integration', () => {
    const head = acmeRepo({ [`${ROOT}/constants.ts`]: "export const BASE_URL = 'https://api.acme-mail.example/v3'\n" })
    const result = review({ head, base })
    expect(result.changedPaths).toEqual([`${ROOT}/constants.ts`])
    expect(result.integrations[0]).toMatchObject({ existsOnBase: true, status: 'public', readiness: 'ready-for-public' })
    expect(result.findings.map((finding) => [finding.ruleId, finding.status, finding.blocks])).toEqual([
      ['structure/field-description', 'existing', []],
      ['security/no-process-env', 'existing', []]
    ])
    expect(reviewBlocks(result)).toBe(false)
  })

  it('marks a finding the change introduces as new, even when lines moved around it', () => {
    const edited = ACME_FILES[SEND].replace(
      '  perform: (request, { payload }) => {',
      '  // Acme rejects requests without a region.\n  perform: (request, { payload }) => {\n    const debug = process.env.ACME_DEBUG'
    )
    const result = review({ head: acmeRepo({ [SEND]: edited }), base })
    const env = byRule(result, 'security/no-process-env')
    expect(env.map((finding) => [finding.line, finding.status])).toEqual([
      [15, 'new'],
      [16, 'existing']
    ])
    expect(result.integrations[0].readiness).toBe('blocked')
    expect(result.integrations[0].blocking['private-beta']).toEqual([env[0].fingerprint])
  })

  it('counts every finding of an integration the base does not have', () => {
    const result = review({ head: acmeRepo(), base: new MemoryFileSource({ 'README.md': '# integrations' }, 'base') })
    expect(result.integrations[0].existsOnBase).toBe(false)
    expect(result.findings.every((finding) => finding.status === 'new')).toBe(true)
    expect(result.integrations[0].readiness).toBe('blocked')
  })

  it('makes compatibility findings notes while the integration is new, and errors once it is released', () => {
    const head = acmeRepo({
      [SEND]: ACME_FILES[SEND].replace("    subject: { label: 'Subject', description: 'Email subject.', type: 'string' }\n", '')
    })
    const released = review({ head, base, rules: [compatRule] })
    expect(released.findings.map((finding) => [finding.ruleId, finding.severity, finding.blocks])).toEqual([
      ['compat/field-removed', 'error', ['private-beta', 'public']]
    ])
    const config = configFrom('integrations:\n  acme-mail: { status: new }\n').config
    const unreleased = review({ head, base, rules: [compatRule], config })
    expect(unreleased.findings.map((finding) => [finding.severity, finding.blocks])).toEqual([['info', []]])
  })
})

describe('inline suppressions', () => {
  const suppression = '    // integration-review-disable-next-line security/no-process-env -- region is injected by the Acme runtime\n'
  const suppressed = ACME_FILES[SEND].replace(
    '    const region = process.env.ACME_REGION',
    `${suppression}    const region = process.env.ACME_REGION`
  )
  const rules = [...TEST_RULES, suppressionAdded]

  it('are honoured when the base already has the same comment in the same file', () => {
    const base = acmeRepo({ [SEND]: suppressed }, 'base')
    const head = acmeRepo({ [SEND]: suppressed.replace("method: 'post'", "method: 'POST'") })
    const result = review({ head, base, rules })
    const [env] = byRule(result, 'security/no-process-env')
    expect(env.suppressed).toBe(true)
    expect(env.blocks).toEqual([])
    expect(byRule(result, 'security/suppression-added')).toEqual([])
    expect(result.suppressionErrors).toEqual([])
  })

  it('suppress nothing when the pull request adds them, and are reported', () => {
    const addedWithNewCode = ACME_FILES[SEND].replace(
      '  perform: (request, { payload }) => {\n',
      `  perform: (request, { payload }) => {\n${suppression.replace('region is injected', 'debug flag is injected')}    const debug = process.env.ACME_DEBUG\n`
    )
    const result = review({ head: acmeRepo({ [SEND]: addedWithNewCode }), base: acmeRepo({}, 'base'), rules })
    const env = byRule(result, 'security/no-process-env')
    expect(env.map((finding) => [finding.line, finding.status, finding.suppressed, finding.blocks])).toEqual([
      [15, 'new', undefined, ['private-beta', 'public']],
      [16, 'existing', undefined, []]
    ])
    const [added] = byRule(result, 'security/suppression-added')
    expect(added).toMatchObject({ path: SEND, line: 14, severity: 'info', integration: ROOT, status: 'new' })
    expect(added.message).toContain('suppresses nothing')
    expect(result.integrations[0].readiness).toBe('blocked')
  })

  it('without a base revision, none is honoured', () => {
    const result = review({ head: acmeRepo({ [SEND]: suppressed }), rules })
    expect(byRule(result, 'security/no-process-env')[0]).toMatchObject({ line: 15, blocks: ['private-beta', 'public'] })
    expect(byRule(result, 'security/no-process-env')[0].suppressed).toBeUndefined()
    expect(byRule(result, 'security/suppression-added').map((finding) => finding.line)).toEqual([14])
  })

  it('copied onto another line do not bring a second suppression into force', () => {
    const copied = suppressed.replace(
      '  perform: (request, { payload }) => {\n',
      `  perform: (request, { payload }) => {\n${suppression}    const debug = process.env.ACME_DEBUG\n`
    )
    const result = review({ head: acmeRepo({ [SEND]: copied }), base: acmeRepo({ [SEND]: suppressed }, 'base'), rules })
    const env = byRule(result, 'security/no-process-env')
    expect(env.map((finding) => [finding.line, Boolean(finding.suppressed)])).toEqual([
      [15, true],
      [17, false]
    ])
    expect(byRule(result, 'security/suppression-added').map((finding) => finding.line)).toEqual([16])
  })

  it('naming an unknown rule id or giving no reason are reported clearly', () => {
    const bad = ACME_FILES[SEND].replace(
      '    const region = process.env.ACME_REGION',
      '    // integration-review-disable-next-line security/no-proces-env -- typo\n    // integration-review-disable-next-line security/no-process-env\n    const region = process.env.ACME_REGION'
    )
    const result = review({ head: acmeRepo({ [SEND]: bad }), rules })
    expect(result.suppressionErrors).toHaveLength(2)
    expect(result.suppressionErrors[0]).toMatch(
      new RegExp(
        `^${SEND}:14: suppression comment names unknown rule id "security/no-proces-env" \\(did you mean security/no-process-env\\b`
      )
    )
    expect(result.suppressionErrors[1]).toBe(
      `${SEND}:15: suppression comment has no reason; add " -- <why this is safe>" or it suppresses nothing`
    )
  })
})

describe('limits', () => {
  it('skips changed files past maxFiles and says so', () => {
    const config = configFrom('limits:\n  maxFiles: 2\n').config
    const result = review({ head: acmeRepo(), base: new MemoryFileSource({}, 'empty base'), config })
    expect(result.changedPaths).toHaveLength(2)
    expect(result.skipped).toEqual(['1 of 3 changed files not reviewed: the limit is 2 files'])
    // Explicit changed paths are held to the limit too.
    const explicit = review({ head: acmeRepo(), changedPaths: Object.keys(ACME_FILES), config })
    expect(explicit.skipped).toEqual(['1 of 3 changed files not reviewed: the limit is 2 files'])
  })

  it('skips changed files past maxTotalBytes and says so', () => {
    const config = configFrom('limits:\n  maxTotalBytes: 300\n').config
    const result = review({ head: acmeRepo(), changedPaths: Object.keys(ACME_FILES).sort(), config })
    expect(result.changedPaths).toEqual([`${ROOT}/constants.ts`])
    expect(result.skipped).toEqual(['2 changed files not reviewed: together the changed files exceed the limit of 300 B'])
  })

  it('reviews a whole tree without a base regardless of maxFiles (the user chose it)', () => {
    const config = configFrom('limits:\n  maxFiles: 1\n').config
    const result = review({ head: acmeRepo({ 'README.md': '# integrations\n' }), config })
    expect(result.changedPaths).toHaveLength(4)
    expect(result.skipped).toEqual([])
    const narrowed = review({ head: acmeRepo({ 'README.md': '# integrations\n' }), config, integrationPaths: [ROOT] })
    expect(narrowed.changedPaths).toEqual(Object.keys(ACME_FILES).sort())
  })

  it('does not analyse files over maxFileBytes and says so', () => {
    const config = configFrom('limits:\n  maxFileBytes: 600\n').config
    const result = review({ head: acmeRepo(), config })
    expect(result.skipped.some((message) => message.startsWith(`${ROOT}/index.ts: file not analysed`))).toBe(true)
  })

  it("reads each reviewed integration's code files in one go before modelling it, within maxFileBytes", () => {
    const other = 'packages/destination-actions/src/destinations/other'
    class PrefetchingSource extends MemoryFileSource {
      readonly prefetched: Array<{ paths: readonly string[]; maxBytes: number }> = []
      prefetch(paths: readonly string[], maxBytes: number): void {
        this.prefetched.push({ paths, maxBytes })
      }
    }
    const files: Record<string, string> = {
      ...ACME_FILES,
      [`${other}/index.ts`]: "export default { name: 'Other', mode: 'cloud', actions: {} }\n"
    }
    files[`${ROOT}/README.md`] = '# Acme\n'
    files[`${ROOT}/types.d.ts`] = 'export type X = string\n'
    const head = new PrefetchingSource(files)
    const config = configFrom('limits:\n  maxFileBytes: 4096\n').config
    const withPrefetch = review({ head, config, integrationPaths: [ROOT] })
    expect(head.prefetched).toEqual([
      {
        paths: Object.keys(ACME_FILES)
          .filter((path) => /\.(ts|js)$/.test(path) && !path.endsWith('.d.ts'))
          .sort(),
        maxBytes: 4096
      }
    ])
    // Prefetching only reads ahead: the review is the same without it.
    const plain = review({ head: new MemoryFileSource(files), config, integrationPaths: [ROOT] })
    expect(withPrefetch.findings).toEqual(plain.findings)
  })

  it('does not analyse files over maxFileBytes in a working tree either (read with one open, the size first)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-limit-'))
    for (const [path, text] of Object.entries(ACME_FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
    const config = configFrom('limits:\n  maxFileBytes: 600\n').config
    const result = review({ head: new DirectoryFileSource(dir), config })
    const bytes = Buffer.byteLength(ACME_FILES[`${ROOT}/index.ts`])
    expect(bytes).toBeGreaterThan(600)
    expect(result.skipped).toContain(`${ROOT}/index.ts: file not analysed: ${bytes} B exceeds the 600 B limit`)
  })

  it('stops at the time budget and lists what it did not review', () => {
    let now = 0
    const config = configFrom('limits:\n  maxReviewMs: 1000\n').config
    const result = review({ head: acmeRepo(), config, clock: () => (now += 5000) })
    expect(result.integrations).toEqual([])
    expect(result.skipped).toEqual([`${ROOT}: not reviewed, the review ran past its time limit of 1000 ms`])
  })

  it('only the integrations asked for are reviewed', () => {
    const other = 'packages/destination-actions/src/destinations/other'
    const head = acmeRepo({ [`${other}/index.ts`]: "export default { name: 'Other', mode: 'cloud', actions: {} }\n" })
    expect(review({ head }).integrations.map((integration) => integration.path)).toEqual([ROOT, other])
    expect(review({ head, integrationPaths: [other] }).integrations.map((integration) => integration.path)).toEqual([other])
  })
})

describe('rule ids', () => {
  it('test rules mirror catalog ids so config and suppressions resolve them', () => {
    expect([envRule.id, fieldDefaultRule.id]).toEqual(['security/no-process-env', 'structure/field-description'])
  })
})

describe('findings about the pull request itself', () => {
  it('are never pre-existing, even when they sit on a file of the base', () => {
    const bodyRule = defineRule({
      id: 'docs/pr-testing-section',
      category: 'docs',
      stages: { 'private-beta': 'warning' },
      who: 'everyone',
      title: 'Testing section',
      docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
      scope: 'integration',
      check: (context) =>
        context.pullRequest.body !== undefined && !/- \[x\]/.test(context.pullRequest.body)
          ? [{ path: context.integration.entryPath, line: 1, key: 'body', message: 'no ticked box' }]
          : []
    })
    const head = acmeRepo({ [`${ROOT}/constants.ts`]: "export const BASE_URL = 'https://api.acme-mail.example/v3'\n" })
    const result = review({
      head,
      base: acmeRepo({}, 'base'),
      rules: [bodyRule],
      pullRequest: { body: '## Testing\n- [ ] unit tests', authorIsPartner: true }
    })
    expect(result.findings.map((finding) => [finding.ruleId, finding.status])).toEqual([['docs/pr-testing-section', 'new']])
  })
})

describe('what the change is responsible for', () => {
  it('is new even where the base had the same gap: change-driven rules and pull-request rules', () => {
    const touchedWithoutTest = defineRule({
      id: 'tests/action-tests-present',
      category: 'tests',
      stages: { 'private-beta': 'error' },
      who: 'everyone',
      title: 'Changed file without a test',
      docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
      scope: 'integration',
      check: (context) =>
        context.changedPaths
          .filter((path) => path === SEND)
          .map((path) => ({ path, line: 1, key: 'sendEmail', message: 'sendEmail changed without a test' }))
    })
    const head = acmeRepo({
      [SEND]: ACME_FILES[SEND].replace("'Send an email to a user.'", "'Send one email to a user.'"),
      [`${ROOT}/.env`]: 'ACME_KEY=abc\n'
    })
    const base = acmeRepo({ [`${ROOT}/.env`]: 'ACME_KEY=old\n' }, 'base')
    const result = review({ head, base, rules: [...TEST_RULES, touchedWithoutTest] })
    expect(result.findings.map((finding) => [finding.ruleId, finding.status])).toEqual([
      ['security/sensitive-file', 'new'],
      ['tests/action-tests-present', 'new'],
      ['structure/field-description', 'existing'],
      ['security/no-process-env', 'existing']
    ])
    expect(result.integrations[0].readiness).toBe('blocked')
  })
})
