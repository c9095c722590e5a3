// Changes that used to review nothing (issue 18, point 6): a deleted destination is an error
// finding, and a change to the registry alone reviews what it registers or unregisters.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultReviewConfig, parseReviewConfig } from '../../src/config/review-config.js'
import { renderMarkdown } from '../../src/report/markdown-report.js'
import { reviewBlocks, runReview } from '../../src/review/run-review.js'
import { MemoryFileSource } from '../../src/source/file-source.js'
import { readTree } from '../support/fixture-revision.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules', 'compat')
const DESTINATIONS = 'packages/destination-actions/src/destinations'
const REGISTRY = `${DESTINATIONS}/index.ts`
const PARTNER = { body: undefined, authorIsPartner: true }

function revisions(fixture: string) {
  return {
    head: new MemoryFileSource(readTree(join(FIXTURES, fixture, 'head'))),
    base: new MemoryFileSource(readTree(join(FIXTURES, fixture, 'base')))
  }
}

describe('a deleted destination', () => {
  it('is one blocking error naming how many actions and presets go, shown in the comment', () => {
    const { head, base } = revisions('destination-deleted')
    const review = runReview({ head, base, config: defaultReviewConfig(), pullRequest: PARTNER })
    const removed = review.findings.filter((finding) => finding.ruleId === 'compat/destination-removed')
    expect(removed).toHaveLength(1)
    expect(removed[0]).toMatchObject({ severity: 'error', path: REGISTRY, line: 9, integration: null, blocks: ['private-beta', 'public'] })
    expect(removed[0].message).toContain('Destination `Acme CRM (Actions)` (`acme-crm`) is deleted: its 3 actions and 2 presets go with it')
    expect(reviewBlocks(review)).toBe(true)
    const markdown = renderMarkdown(review)
    expect(markdown).toContain('No integration that remains in the head revision is touched')
    expect(markdown.indexOf('compat/destination-removed')).toBeLessThan(
      markdown.indexOf('<details>') === -1 ? Infinity : markdown.indexOf('<details>')
    )
  })

  it('is a note when the configuration says the destination never launched', () => {
    const { head, base } = revisions('destination-deleted')
    const config = parseReviewConfig('integrations:\n  acme-crm:\n    status: new\n').config
    const review = runReview({ head, base, config, pullRequest: PARTNER })
    expect(review.findings.find((finding) => finding.ruleId === 'compat/destination-removed')).toMatchObject({
      severity: 'info',
      blocks: []
    })
  })

  it('without a registry in head, is about the pull request as a whole', () => {
    const { head, base } = revisions('destination-deleted')
    const files = Object.fromEntries(
      head
        .listFiles()
        .filter((path) => path !== REGISTRY)
        .map((path) => [path, head.readFile(path) as string])
    )
    const review = runReview({ head: new MemoryFileSource(files), base, config: defaultReviewConfig(), pullRequest: PARTNER })
    expect(review.findings.find((finding) => finding.ruleId === 'compat/destination-removed')).toMatchObject({
      path: '',
      integration: null,
      severity: 'error'
    })
  })
})

describe('a change to the destinations registry alone', () => {
  it('reviews the destination it unregisters, and reports the unregistration', () => {
    const { head, base } = revisions('destination-unregistered')
    const review = runReview({ head, base, config: defaultReviewConfig(), pullRequest: PARTNER })
    expect(review.changedPaths).toEqual([REGISTRY])
    expect(review.integrations.map((integration) => integration.path)).toEqual([`${DESTINATIONS}/acme-crm`])
    expect(review.findings.find((finding) => finding.ruleId === 'compat/destination-removed')?.message).toContain('is no longer registered')
  })

  it('reviews the destination it registers', () => {
    const { head: unregistered, base: registered } = revisions('destination-unregistered')
    // The reverse change: the registry gains acme-crm's registration, its folder already there.
    const review = runReview({ head: registered, base: unregistered, config: defaultReviewConfig(), pullRequest: PARTNER })
    expect(review.changedPaths).toEqual([REGISTRY])
    expect(review.integrations.map((integration) => integration.path)).toEqual([`${DESTINATIONS}/acme-crm`])
    expect(review.findings.some((finding) => finding.ruleId === 'compat/destination-removed')).toBe(false)
  })
})

describe('a registry the bot cannot read', () => {
  it('blocks and asks for a human instead of passing or crashing', () => {
    const { head, base } = revisions('destination-unregistered')
    for (const hostile of [
      `${head.readFile(REGISTRY)}\n// ${'x'.repeat(3 * 1024 * 1024)}\n`,
      `${head.readFile(REGISTRY)}\nconst deep = ${'['.repeat(200_000)}\n`
    ]) {
      const files = Object.fromEntries(
        head.listFiles().map((path) => [path, path === REGISTRY ? hostile : (head.readFile(path) as string)])
      )
      const review = runReview({ head: new MemoryFileSource(files), base, config: defaultReviewConfig(), pullRequest: PARTNER })
      const unreadable = review.findings.find((finding) => finding.ruleId === 'compat/destination-removed')
      expect(unreadable).toMatchObject({ path: REGISTRY, severity: 'error', blocks: ['private-beta', 'public'] })
      expect(unreadable?.message).toContain('could not be read')
      expect(reviewBlocks(review)).toBe(true)
    }
  })
})
