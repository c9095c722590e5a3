import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { anyString, objectContaining } from '../support/asymmetric-matchers.js'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { renderCheckRun } from '../../src/report/check-run-report.js'
import { renderJson } from '../../src/report/json-report.js'
import { renderMarkdown } from '../../src/report/markdown-report.js'
import { renderSarif } from '../../src/report/sarif-report.js'
import { renderText } from '../../src/report/text-report.js'
import { ReviewSchema } from '../../src/review/review-schema.js'
import { ROOT, finding, mixedReview, sampleReview } from './sample-review.js'

const require = createRequire(import.meta.url)

describe('renderJson', () => {
  it('round-trips through the Review schema', () => {
    const review = mixedReview()
    const parsed = ReviewSchema.parse(JSON.parse(renderJson(review)))
    expect(parsed).toEqual(review)
  })
})

describe('renderText', () => {
  it('groups findings by integration and colours only when asked', () => {
    const review = mixedReview()
    const plain = renderText(review, { color: false })
    expect(plain).not.toContain('\u001b[')
    expect(plain).toContain('Acme Mail (packages/destination-actions/src/destinations/acme-mail) — status new, blocked')
    expect(plain).toContain(`${ROOT}/sendEmail/index.ts:14:20  security/no-process-env (blocks Private Beta and Public)`)
    expect(plain).toContain('(waived by reviewer-1: sandbox only)')
    expect(plain).not.toContain('security/log-sensitive-data')
    expect(plain).toContain('  and 1 finding already on the base branch (not counted; --format json lists them)')
    const everything = renderText(review, { color: false, showExisting: true })
    expect(everything).toContain('security/log-sensitive-data (already on the base branch)')
    expect(plain).toMatch(/3 errors, 1 warning, 1 note; 2 blocking\. Blocked\.\n$/)
    expect(renderText(review, { color: false, stage: 'public' })).toMatch(/Blocks Public\.\n$/)
    const unknown = mixedReview()
    unknown.integrations[0] = { ...unknown.integrations[0], status: 'public', statusUnknown: true }
    expect(renderText(unknown, { color: false })).toContain(
      'Acme Mail (packages/destination-actions/src/destinations/acme-mail) — status unknown (judged against Public; set `status` in the config), blocked'
    )
    const coloured = renderText(review, { color: true })
    expect(coloured).toContain('\u001b[31m')
  })

  it('strips terminal control sequences from partner-controlled messages', () => {
    const review = sampleReview([finding({ message: 'evil \u001b[2J\u001b]0;title\u0007 text' })])
    const text = renderText(review, { color: false })
    expect(text).not.toContain('\u001b')
    expect(text).not.toContain('\u0007')
  })
})

describe('renderMarkdown', () => {
  it('puts the readiness table first, then blocking findings with links, warnings, and a collapsed rest', () => {
    const markdown = renderMarkdown(mixedReview(), { repositoryUrl: 'https://github.com/acme/integrations', headSha: 'abc123' })
    const order = [
      '| Integration | Status | Readiness',
      '**2 findings to fix**',
      '### ⛔ Blocking (2)',
      '<details>\n<summary>⚠️ Warnings to answer (1)',
      '</details>',
      '<summary>ℹ️ Notes'
    ].map((text) => markdown.indexOf(text))
    expect(order.every((position) => position >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(markdown).toContain(
      '| Acme Mail (`packages/destination-actions/src/destinations/acme-mail`) | new, heading for Private Beta | ⛔ blocked | 1 | 2 |'
    )
    expect(markdown).toContain(
      `[\`sendEmail/index.ts:14\`](https://github.com/acme/integrations/blob/abc123/${ROOT}/sendEmail/index.ts#L14)`
    )
    const details = markdown.slice(markdown.indexOf('<details>'))
    expect(details).toContain('structure/unresolved-definition')
    expect(details).toContain('security/log-sensitive-data')
    expect(details).toContain('waived by reviewer-1: sandbox only')
  })

  it('neutralises HTML and mentions in partner-controlled text', () => {
    const markdown = renderMarkdown(sampleReview([finding({ message: '<img src=x onerror=alert(1)> cc @octocat | done' })]))
    expect(markdown).not.toContain('<img')
    expect(markdown).toContain('&lt;img')
    expect(markdown).not.toContain('@octocat')
    // Code spans are shown literally by GitHub: kept as written.
    const code = renderMarkdown(sampleReview([finding({ message: 'Write `/waive <rule-id> -- <reason>` or ping @team; stray ` <b>' })]))
    expect(code).toContain('Write `/waive <rule-id> -- <reason>` or ping @\u200bteam; stray \\` &lt;b&gt;')
  })

  it('is never longer than maxLength, cuts with a note and keeps <details> balanced', () => {
    // Blocking findings are never grouped away, so enough of them must be cut at maxLength.
    const many = Array.from({ length: 3000 }, (_, index) =>
      finding({
        ruleId: `structure/rule-${index % 1000}`,
        blocks: index % 2 ? ['public'] : [],
        severity: index % 2 ? 'error' : 'info',
        line: index + 1,
        message: `Finding number ${index} ${'x'.repeat(80)}`
      })
    )
    const review = sampleReview(many)
    for (const maxLength of [65536, 20000, 5000, 1200]) {
      const markdown = renderMarkdown(review, { maxLength })
      expect(markdown.length).toBeLessThanOrEqual(maxLength)
      expect(markdown).toContain('This comment was cut')
      expect(markdown.match(/<details>/g)?.length ?? 0).toBe(markdown.match(/<\/details>/g)?.length ?? 0)
      expect(markdown.startsWith('## Integration review')).toBe(true)
    }
    expect(renderMarkdown(review, { maxLength: 50 }).length).toBeLessThanOrEqual(50)
    const small = renderMarkdown(mixedReview())
    expect(small).not.toContain('This comment was cut')
  })

  it('caps the list of review problems so findings still show', () => {
    const review = sampleReview([finding()], {
      skipped: Array.from(
        { length: 500 },
        (_, index) => `${ROOT}/generated/file-${index}.ts: file not analysed: 3.0 MB exceeds the 2.0 MB limit`
      ),
      configErrors: ['rules.security/foo: unknown rule id; ignored']
    })
    const markdown = renderMarkdown(review, { maxLength: 10000 })
    expect(markdown).toContain('Config: rules.security/foo: unknown rule id; ignored')
    expect(markdown).toContain('… and 491 more (the JSON report lists them all)')
    expect(markdown).toContain('security/no-process-env')
    expect(markdown).not.toContain('This comment was cut')
  })

  it('says so when nothing is touched', () => {
    const review = ReviewSchema.parse({ ...sampleReview([]), integrations: [] })
    expect(renderMarkdown(review)).toContain('No integration is touched by this pull request.')
  })
})

describe('renderCheckRun', () => {
  it('fails when something blocks, annotating open findings only', () => {
    const output = renderCheckRun(mixedReview(), defaultReviewConfig())
    expect(output.conclusion).toBe('failure')
    expect(output.title).toBe('Blocked: 2 findings to fix, 1 warning')
    expect(output.annotations.map((annotation) => [annotation.title, annotation.annotation_level, annotation.start_line])).toEqual([
      ['security/no-process-env', 'failure', 14],
      ['structure/field-description', 'failure', 11],
      ['security/unencoded-path-segment', 'warning', 15],
      ['structure/unresolved-definition', 'notice', 1]
    ])
    expect(output.summary.length).toBeLessThanOrEqual(65535)
  })

  it('does not annotate findings without a file, suppressed or pre-existing ones', () => {
    const review = sampleReview([
      finding({ ruleId: 'docs/pr-testing-section', severity: 'warning', integration: null, path: '', line: 1, blocks: [] }),
      finding({ suppressed: true, blocks: [] }),
      finding({ status: 'existing', blocks: [] }),
      finding({ line: 30 })
    ])
    expect(renderCheckRun(review, defaultReviewConfig()).annotations.map((annotation) => annotation.start_line)).toEqual([30])
    const sarif = renderSarif(review) as {
      runs: Array<{
        results: Array<{
          suppressions?: Array<{ kind: string }>
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>
        }>
      }>
    }
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('.')
    expect(sarif.runs[0].results[1].suppressions).toEqual([objectContaining({ kind: 'inSource' })])
  })

  it('uses warningsConclusion when only warnings remain, success when nothing is open', () => {
    const warningOnly = sampleReview([finding({ severity: 'warning', blocks: [] })])
    expect(renderCheckRun(warningOnly, defaultReviewConfig()).conclusion).toBe('success')
    const neutral = parseReviewConfig('checkRun:\n  warningsConclusion: neutral\n').config
    expect(renderCheckRun(warningOnly, neutral).conclusion).toBe('neutral')
    expect(renderCheckRun(warningOnly, neutral).title).toBe('Ready for Public; 1 warning')
    const clean = sampleReview([])
    expect(renderCheckRun(clean, neutral)).toMatchObject({ conclusion: 'success', title: 'Ready for Public', annotations: [] })
    // A new integration only heads for Private Beta: a Public-only blocker does not fail the check.
    const publicOnly = sampleReview([finding({ blocks: ['public'] })])
    expect(renderCheckRun(publicOnly, defaultReviewConfig())).toMatchObject({
      conclusion: 'success',
      title: 'Ready for Private Beta; 1 finding to fix before Public'
    })
  })
})

describe('renderSarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
    const official = z.looseObject({ $schema: z.string(), id: z.string() }).parse(JSON.parse(readFileSync(schemaPath, 'utf8')))
    // The official schema is draft-04 (`id`, not `$id`); Ajv 8 reads it once that keyword is renamed.
    const schema: Record<string, unknown> = { ...official, $id: official.id }
    delete schema.$schema
    delete schema.id
    // The schema's language pattern is not valid in Unicode mode (a stray `]`); JSON Schema does not ask for it.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
    // The schema's formats, checked for real (Ajv 8 knows none of them without ajv-formats and warns on each).
    ajv.addFormat('uri', (value: string) => URL.canParse(value))
    ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///'))
    ajv.addFormat(
      'date-time',
      (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value))
    )
    const validate = ajv.compile(schema)
    const odd = sampleReview([
      finding({ ruleId: 'docs/pr-testing-section', severity: 'warning', integration: null, path: '', blocks: [] }),
      finding({ suppressed: true, blocks: [], path: `${ROOT}/with space/index.ts` })
    ])
    const troubled = sampleReview([finding()], {
      skipped: ['3 changed files not reviewed: the limit is 3000 files'],
      configErrors: ['rules.security/foo: unknown rule id; ignored'],
      suppressionErrors: ['a.ts:3: suppression comment has no reason'],
      ruleFailures: [{ ruleId: 'structure/has-actions', integration: ROOT, message: 'boom' }]
    })
    const notifications = (
      renderSarif(troubled) as {
        runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }> }>
      }
    ).runs[0].invocations[0]
    expect(notifications.executionSuccessful).toBe(false)
    expect(notifications.toolExecutionNotifications).toHaveLength(4)
    for (const review of [mixedReview(), odd, sampleReview([]), troubled]) {
      const valid = validate(renderSarif(review))
      expect(validate.errors ?? []).toEqual([])
      expect(valid).toBe(true)
    }
    // The schema really checks: a broken log fails.
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false)
  })

  it('carries fingerprints, baseline state, levels and suppressions', () => {
    const sarif = renderSarif(mixedReview()) as { runs: Array<{ results: Array<Record<string, unknown>> }> }
    const results = sarif.runs[0].results
    expect(results).toHaveLength(6)
    expect(results[0]).toMatchObject({
      ruleId: 'security/no-process-env',
      level: 'error',
      baselineState: 'new',
      partialFingerprints: { 'integrationReview/v1': anyString() }
    })
    expect(results[2]).toMatchObject({ level: 'warning' })
    expect(results[3]).toMatchObject({ level: 'note' })
    expect(results[4]).toMatchObject({ baselineState: 'unchanged' })
    expect(results[5]).toMatchObject({ suppressions: [{ kind: 'external', status: 'accepted' }] })
  })
})

describe('renderMarkdown with several integrations', () => {
  it('puts each integration’s findings under its name', () => {
    const other = 'packages/destination-actions/src/destinations/zeta-sms'
    const base = sampleReview([
      finding(),
      finding({ integration: other, path: `${other}/index.ts`, line: 3 }),
      finding({ integration: null, path: '.env', line: 1 })
    ])
    const review = ReviewSchema.parse({
      ...base,
      findings: [...base.findings].sort((a, b) => (a.integration ?? '').localeCompare(b.integration ?? '')),
      integrations: [...base.integrations, { ...base.integrations[0], path: other, slug: 'actions-zeta-sms', name: 'Zeta SMS' }]
    })
    const markdown = renderMarkdown(review)
    const blocking = markdown.slice(markdown.indexOf('### ⛔ Blocking'))
    const order = ['**The pull request as a whole**', '**Acme Mail**', '**Zeta SMS**'].map((title) => blocking.indexOf(title))
    expect(order.every((position) => position >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(renderMarkdown(mixedReview())).not.toContain('**Acme Mail')
  })
})
