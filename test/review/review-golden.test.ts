// The whole review of every fixture repository, with every rule, compared with a recorded JSON
// report: a change to the engine's plumbing (walks, caches, parse sharing) must not change a single
// finding, line, column or fingerprint. A change that means to alter findings regenerates the
// golden file on purpose, and the diff of that file is the review of the change:
//
//   UPDATE_GOLDEN=1 npx vitest run test/review/review-golden.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_PATH, parseReviewConfig } from '../../src/config/review-config.js'
import { renderJson } from '../../src/report/json-report.js'
import { runReview } from '../../src/review/run-review.js'
import type { FileSource } from '../../src/source/file-source.js'
import { fixtureRevision } from '../support/fixture-revision.js'
import { fixtureCases as ruleFixtureCases, fixtureOptions } from '../support/rule-fixtures.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures')
const GOLDEN = join(FIXTURES, 'review-golden.json')

interface FixtureCase {
  name: string
  head: string
  base?: string
  prBody?: string
  author: 'partner' | 'internal'
}

function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [{ name: 'model-repo', head: join(FIXTURES, 'model-repo'), author: 'partner' }]
  for (const fixture of ruleFixtureCases()) {
    const options = fixtureOptions(fixture)
    cases.push({
      name: `${fixture.category}/${fixture.name}`,
      head: join(fixture.dir, 'head'),
      base: existsSync(join(fixture.dir, 'base')) ? join(fixture.dir, 'base') : undefined,
      prBody: options.prBody,
      author: options.author ?? 'partner'
    })
  }
  return cases
}

/** The complete JSON report of one fixture, reviewed as the CLI does (with its base when it has one). */
function reviewFixture(fixture: FixtureCase): unknown {
  const head = fixtureRevision(fixture.head, 'head')
  const base: FileSource | undefined = fixture.base ? fixtureRevision(fixture.base, 'base') : undefined
  const parsed = parseReviewConfig((base ?? head).readFile(CONFIG_PATH))
  const review = runReview({
    head,
    base,
    config: parsed.config,
    configErrors: parsed.errors,
    pullRequest: { body: fixture.prBody, authorIsPartner: fixture.author === 'partner' },
    // A fixed clock: the time budget never cuts a golden review short.
    clock: () => 0
  })
  return JSON.parse(renderJson(review))
}

describe('review golden reports', () => {
  const cases = fixtureCases()
  const actual = Object.fromEntries(cases.map((fixture) => [fixture.name, reviewFixture(fixture)]))

  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 1)}\n`)
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>

  it('covers the same fixture repositories as the golden file', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(golden).sort())
  })

  for (const fixture of cases) {
    it(`${fixture.name}: the JSON report equals the recorded one`, () => {
      expect(actual[fixture.name]).toEqual(golden[fixture.name])
    })
  }
})
