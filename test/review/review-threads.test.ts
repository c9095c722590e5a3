// A review split across worker threads prints the same report as one run in a single thread:
// same findings, order, lines, fingerprints and statuses, with and without a base revision. And
// what a worker could not read still blocks, as it would in this thread.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseReviewConfig } from '../../src/config/review-config.js'
import { renderJson } from '../../src/report/json-report.js'
import { reviewBlocks, runReview, type ReviewInput } from '../../src/review/run-review.js'
import { analyseChange, type ChangeInput } from '../../src/review/analyse-change.js'
import { epochNow } from '../../src/review/job-thread-protocol.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { DirectoryFileSource } from '../../src/source/directory-file-source.js'
import type { FileSource } from '../../src/source/file-source.js'

const MODEL_REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo')
const DESTINATIONS = 'packages/destination-actions/src/destinations'
/** More changed integrations than a worker needs to start (six each). */
const CHANGED_FOLDERS = ['acme-crm', 'beacon-audiences', 'cyclo-mail', 'plain-events', 'pulse-analytics', 'quirk-crm', 'relay-webhooks']

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'review-threads-'))
})
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

function review(input: Omit<ReviewInput, 'config' | 'pullRequest'>, threads: number): string {
  const { config } = parseReviewConfig(undefined)
  return renderJson(runReview({ ...input, config, pullRequest: { body: undefined, authorIsPartner: true }, threads }))
}

/** The analysis with every job run by worker threads (this thread only waits), and without threads. */
function analysedBothWays(input: Omit<ChangeInput, 'rules' | 'pullRequest'>) {
  const common = { rules: ALL_RULES, pullRequest: { body: undefined, authorIsPartner: true }, compareWithBase: input.base !== undefined }
  const inThreads = analyseChange({ ...input, ...common, threads: { count: 3, deadline: epochNow() + 60_000, workersOnly: true } })
  const here = analyseChange({ ...input, ...common })
  return { inThreads, here }
}

describe('integration jobs in worker threads', () => {
  it('give the same analysis as in this thread', () => {
    const { inThreads, here } = analysedBothWays({ head: new DirectoryFileSource(MODEL_REPO) })
    expect(here.integrations.length).toBeGreaterThanOrEqual(12)
    expect(inThreads).toEqual(here)
  }, 60_000)

  it('compare with the base revision as this thread does', () => {
    const base = join(work, 'workers-base')
    const changed = join(work, 'workers-changed')
    cpSync(MODEL_REPO, base, { recursive: true })
    cpSync(MODEL_REPO, changed, { recursive: true })
    for (const folder of CHANGED_FOLDERS) {
      const entry = join(changed, DESTINATIONS, folder, 'index.ts')
      writeFileSync(entry, `${readFileSync(entry, 'utf8')}\nconst token = 'sk_live_51HxQkLJf0Ab9cDeFgHiJkLmNo'\nexport { token }\n`)
    }
    const { inThreads, here } = analysedBothWays({ head: new DirectoryFileSource(changed), base: new DirectoryFileSource(base) })
    expect(here.integrations.map((analysed) => analysed.location.path)).toEqual(
      CHANGED_FOLDERS.map((folder) => `${DESTINATIONS}/${folder}`)
    )
    expect(here.baseFindings.length).toBeGreaterThan(0)
    expect(inThreads).toEqual(here)
  }, 60_000)

  it('report the files they could not read', () => {
    const repo = join(work, 'links-in-workers')
    cpSync(MODEL_REPO, repo, { recursive: true })
    const outside = join(work, 'outside-workers.ts')
    writeFileSync(outside, 'export const value = 1\n')
    const linked = `${DESTINATIONS}/acme-crm/linked.ts`
    symlinkSync(outside, join(repo, linked))
    const listing = new DirectoryFileSource(repo).listFiles().filter((path) => path !== linked)
    const head = new DirectoryFileSource(repo, [...listing, linked].sort())
    const { inThreads, here } = analysedBothWays({ head })
    expect(inThreads.unreadableInThreads).toEqual([{ path: linked, reason: 'reached through a symbolic link, not followed' }])
    expect(here.unreadableInThreads).toEqual([])
    expect(head.unreadableFiles()).toEqual([{ path: linked, reason: 'reached through a symbolic link, not followed' }])
  }, 60_000)

  it('fall back to this thread when no worker can open the revision', () => {
    const real = new DirectoryFileSource(MODEL_REPO)
    // The same files here, but a directory the workers cannot open: each worker says so and takes no job.
    const head: FileSource = {
      description: real.description,
      listFiles: () => real.listFiles(),
      readFile: (path) => real.readFile(path),
      reopenable: () => ({ kind: 'directory', root: join(work, 'no-such-directory'), listing: real.listFiles() })
    }
    const { inThreads, here } = analysedBothWays({ head })
    expect(inThreads).toEqual(here)
  }, 60_000)
})

describe('a review across threads', () => {
  it('reports the same as in one thread, for a whole tree', () => {
    const head = () => new DirectoryFileSource(MODEL_REPO)
    const single = review({ head: head() }, 1)
    const threaded = review({ head: head() }, 3)
    expect(JSON.parse(threaded)).toEqual(JSON.parse(single))
    expect(threaded).toBe(single)
    const report = JSON.parse(single) as { integrations: unknown[]; findings: unknown[] }
    // Enough integrations that the workers take some of them (six jobs per worker at least).
    expect(report.integrations.length).toBeGreaterThanOrEqual(12)
    expect(report.findings.length).toBeGreaterThan(10)
  }, 60_000)

  it('reports the same as in one thread against a base, findings the base had counting as existing', () => {
    const base = join(work, 'base')
    const changed = join(work, 'changed')
    cpSync(MODEL_REPO, base, { recursive: true })
    cpSync(MODEL_REPO, changed, { recursive: true })
    // Change several destinations, so the change touches more integrations than one thread takes.
    for (const folder of CHANGED_FOLDERS) {
      const entry = join(changed, DESTINATIONS, folder, 'index.ts')
      writeFileSync(entry, `${readFileSync(entry, 'utf8')}\nconst token = 'sk_live_51HxQkLJf0Ab9cDeFgHiJkLmNo'\nexport { token }\n`)
    }
    const single = review({ head: new DirectoryFileSource(changed), base: new DirectoryFileSource(base) }, 1)
    const threaded = review({ head: new DirectoryFileSource(changed), base: new DirectoryFileSource(base) }, 2)
    expect(threaded).toBe(single)
    const report = JSON.parse(single) as { findings: Array<{ status: string; ruleId: string }> }
    expect(report.findings.some((finding) => finding.status === 'existing')).toBe(true)
    expect(
      report.findings.filter((finding) => finding.status === 'new' && finding.ruleId.startsWith('security/hardcoded-secret')).length
    ).toBe(7)
  }, 60_000)

  it('leaves what the time budget cut unreviewed and blocking, in workers as here', () => {
    const { config } = parseReviewConfig('limits:\n  maxReviewMs: 1\n')
    const reviewed = (threads: number) =>
      runReview({ head: new DirectoryFileSource(MODEL_REPO), config, pullRequest: { body: undefined, authorIsPartner: true }, threads })
    const single = reviewed(1)
    const threaded = reviewed(3)
    // A budget of 1 ms ends before most integrations begin; which ones depends on the clock, the rule does not.
    for (const review of [single, threaded]) {
      const cut = review.skipped.filter((line) => line.includes('not reviewed, the review ran past its time limit'))
      expect(cut.length).toBeGreaterThan(0)
      expect(review.integrations.length + cut.length).toBeGreaterThanOrEqual(12)
      // One finding about the pull request as a whole names what was not reviewed, and blocks.
      const notReviewed = review.findings.filter((finding) => finding.ruleId === 'review/not-analysed' && finding.integration === null)
      expect(notReviewed).toHaveLength(1)
      expect(notReviewed[0].message).toContain('was not reviewed at all')
      expect(notReviewed[0].blocks).toEqual(['private-beta', 'public'])
      expect(reviewBlocks(review)).toBe(true)
    }
  }, 60_000)

  it('blocks on a file a worker could not read', () => {
    const repo = join(work, 'links')
    cpSync(MODEL_REPO, repo, { recursive: true })
    const outside = join(work, 'outside.ts')
    writeFileSync(outside, "export const secret = 'not for review'\n")
    const linked = CHANGED_FOLDERS.map((folder) => `${DESTINATIONS}/${folder}/linked.ts`)
    for (const path of linked) symlinkSync(outside, join(repo, path))
    // A listing made before the links appeared (as a tree can change while it is reviewed): each
    // link is found by the thread that reads it, which may be a worker.
    const listing = new DirectoryFileSource(repo).listFiles().filter((path) => !linked.includes(path))
    const withLinks = [...listing, ...linked].sort()
    const report = JSON.parse(review({ head: new DirectoryFileSource(repo, withLinks) }, 3)) as {
      findings: Array<{ ruleId: string; path: string; blocks: string[] }>
    }
    const notAnalysed = report.findings.filter((finding) => finding.ruleId === 'review/not-analysed').map((finding) => finding.path)
    expect(notAnalysed.sort()).toEqual([...linked].sort())
  }, 60_000)
})
