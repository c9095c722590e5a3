import { describe, expect, it } from 'vitest'
import { closestIds } from '../../src/config/closest-ids.js'
import { DEFAULT_PATH_LABELS, defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'

const KNOWN = ['security/no-process-env', 'security/hardcoded-secret', 'structure/has-actions', 'docs/docs-page']

describe('parseReviewConfig', () => {
  it('gives the documented defaults for an absent or empty file', () => {
    for (const text of [undefined, '', '  \n', '# only a comment\n']) {
      const { config, errors } = parseReviewConfig(text, KNOWN)
      expect(errors).toEqual([])
      expect(config).toEqual(defaultReviewConfig())
    }
    const config = defaultReviewConfig()
    expect(config.labels).toEqual({
      blocked: 'review: blocked',
      readyForPrivateBeta: 'review: ready for private beta',
      readyForPublic: 'review: ready for public',
      releasePrivateBeta: 'release: private beta',
      releasePublic: 'release: public'
    })
    expect(config.pathLabels).toEqual(DEFAULT_PATH_LABELS)
    expect(config.pathLabels.map((entry) => entry.label)).toEqual(['mode:cloud', 'mode:device', 'mode:source', 'actions:core'])
    expect(config.internal.authorAssociations).toEqual(['OWNER', 'MEMBER', 'COLLABORATOR'])
    expect(config.reviewers.allowAuthorToReview).toBe(false)
    expect(config.checkRun.warningsConclusion).toBe('success')
    expect(config.limits).toMatchObject({ maxFiles: 3000, maxFileBytes: 2 * 1024 * 1024, maxTotalBytes: 50 * 1024 * 1024 })
    expect(config.layouts.map((layout) => layout.kind)).toEqual([
      'cloud-destination',
      'browser-destination',
      'cloud-source',
      'cloud-source'
    ])
  })

  it('reads a full, valid config and keeps the defaults of what it does not set', () => {
    const { config, errors } = parseReviewConfig(
      `
rules:
  security/no-process-env: warning
  docs/docs-page: off
integrations:
  acme-crm: { status: public }
labels:
  blocked: 'needs work'
internal:
  teams: [segmentio/integrations]
  users: [octocat]
reviewers:
  users: [reviewer-1]
checkRun:
  warningsConclusion: neutral
limits:
  maxFiles: 10
layouts:
  - kind: source
    root: packages/sources/*
    entry: index.ts
`,
      KNOWN
    )
    expect(errors).toEqual([])
    expect(config.rules).toEqual({ 'security/no-process-env': 'warning', 'docs/docs-page': 'off' })
    expect(config.integrations['acme-crm'].status).toBe('public')
    expect(config.labels.blocked).toBe('needs work')
    expect(config.labels.readyForPublic).toBe('review: ready for public')
    expect(config.internal).toEqual({
      teams: ['segmentio/integrations'],
      users: ['octocat'],
      authorAssociations: ['OWNER', 'MEMBER', 'COLLABORATOR']
    })
    expect(config.checkRun.warningsConclusion).toBe('neutral')
    expect(config.limits.maxFiles).toBe(10)
    expect(config.limits.maxTotalBytes).toBe(50 * 1024 * 1024)
    expect(config.layouts).toEqual([{ kind: 'source', root: 'packages/sources/*', entry: 'index.ts' }])
  })

  it('names an unknown rule id, suggests the closest, and drops only that entry', () => {
    const { config, errors } = parseReviewConfig('rules:\n  security/no-proces-env: off\n  structure/has-actions: warning\n', KNOWN)
    expect(errors).toEqual(['rules.security/no-proces-env: unknown rule id (did you mean security/no-process-env?); ignored'])
    expect(config.rules).toEqual({ 'structure/has-actions': 'warning' })
  })

  it('reads a key whose entries are all commented out as absent', () => {
    const { config, errors } = parseReviewConfig('rules:\n  # security/no-process-env: off\nlimits:\n', KNOWN)
    expect(errors).toEqual([])
    expect(config).toEqual(defaultReviewConfig())
  })

  it('checks rule ids against every rule by default', () => {
    const { config, errors } = parseReviewConfig('rules:\n  structure/parse-error: warning\n  security/foo: off\n')
    expect(config.rules).toEqual({ 'structure/parse-error': 'warning' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^rules\.security\/foo: unknown rule id/)
  })

  it('names a bad severity and keeps the valid rule entries', () => {
    const { config, errors } = parseReviewConfig('rules:\n  structure/has-actions: fatal\n  docs/docs-page: off\n', KNOWN)
    expect(errors).toEqual(['rules.structure/has-actions: "fatal" is not one of off, error, warning, info; ignored'])
    expect(config.rules).toEqual({ 'docs/docs-page': 'off' })
  })

  it('falls back to the default of an invalid key and keeps the others', () => {
    const { config, errors } = parseReviewConfig(
      'limits:\n  maxFiles: -5\nlabels:\n  blocked: stop\ncheckRun:\n  warningsConclusion: failure\n',
      KNOWN
    )
    expect(errors).toHaveLength(2)
    expect(errors[0]).toMatch(/^limits\.maxFiles: .*using the default for limits$/)
    expect(errors[1]).toMatch(/^checkRun\.warningsConclusion: .*using the default for checkRun$/)
    expect(config.limits.maxFiles).toBe(3000)
    expect(config.checkRun.warningsConclusion).toBe('success')
    expect(config.labels.blocked).toBe('stop')
  })

  it('reports unknown keys, bad integration statuses and bad layouts by path', () => {
    const { config, errors } = parseReviewConfig(
      'rulez: {}\nintegrations:\n  acme: { status: beta }\n  zeta: { status: new }\nlayouts:\n  - kind: cloud-destination\n    root: packages/**\n    entry: index.ts\n',
      KNOWN
    )
    expect(errors[0]).toMatch(/^rulez: unknown key/)
    expect(errors.some((error) => error.startsWith('integrations.acme.status: '))).toBe(true)
    expect(errors.some((error) => error.startsWith('layouts[0].root: must contain exactly one "*"'))).toBe(true)
    expect(config.integrations).toEqual({ zeta: { status: 'new' } })
    expect(config.layouts).toEqual(defaultReviewConfig().layouts)
  })

  it('survives malformed YAML, a scalar document and YAML bombs with one clear error', () => {
    const broken = parseReviewConfig('rules: [unclosed\n', KNOWN)
    expect(broken.errors).toHaveLength(1)
    expect(broken.errors[0]).toMatch(/^\.github\/integration-review\.yml: not valid YAML/)
    expect(broken.config).toEqual(defaultReviewConfig())
    const scalar = parseReviewConfig('just text', KNOWN)
    expect(scalar.errors).toEqual(['.github/integration-review.yml: must be a mapping of keys to values; using the defaults'])
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 12 },
        (_, index) =>
          `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [*${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}, *${String.fromCharCode(97 + index)}]`
      )
    ].join('\n')
    const started = Date.now()
    const result = parseReviewConfig(bomb, KNOWN)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(result.errors.length).toBeGreaterThan(0)
    expect(result.config).toEqual(defaultReviewConfig())
  })
})

describe('closestIds', () => {
  const ids = [
    'spec/fql-valid',
    'spec/fql-pitfall',
    'security/hardcoded-secret',
    'security/hardcoded-secret-generic',
    'structure/parse-error'
  ]
  it('suggests near misses, partial ids and the same name in another category', () => {
    expect(closestIds('structure/parse-eror', ids)).toEqual(['structure/parse-error'])
    expect(closestIds('spec/fql', ids)).toEqual(['spec/fql-valid', 'spec/fql-pitfall'])
    expect(closestIds('hardcoded-secret', ids)).toEqual(['security/hardcoded-secret', 'security/hardcoded-secret-generic'])
    expect(closestIds('docs/parse-error', ids)).toEqual(['structure/parse-error'])
    expect(closestIds('foo/bar', ids)).toEqual([])
  })
})

describe('the config size limit', () => {
  it('refuses a config over the limit before parsing it, with a clear error, and uses the defaults', () => {
    const text = `rules:\n${Array.from({ length: 200_000 }, (_, index) => `  security/rule-${index}: off`).join('\n')}\n`
    const parsed = parseReviewConfig(text)
    expect(parsed.errors).toEqual([
      expect.stringMatching(/bytes is over the 32768-byte limit for the config; not read, using the defaults/)
    ])
    expect(parsed.config).toEqual(defaultReviewConfig())
  })

  it('names the first unknown rule ids and counts the rest', () => {
    const text = `rules:\n${Array.from({ length: 500 }, (_, index) => `  nope/rule-${index}: off`).join('\n')}\n`
    const parsed = parseReviewConfig(text)
    expect(parsed.errors.length).toBeLessThanOrEqual(51)
    expect(parsed.errors.at(-1)).toMatch(/more/)
  })
})
