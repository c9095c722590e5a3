// One generic test for every rule fixture: the findings must equal the fixture's inline
// expectations exactly — no missing finding, no extra one.
//
// A fixture is a folder under test/fixtures/rules/<category>/<case>/ with
//   head/          the revision under review (a miniature integrations repository)
//   base/          optional: the base revision (compat rules, suppressions)
//   fixture.json   optional: { "rules": ["<id or category/*>"], "author": "partner"|"internal",
//                  "prBody": "...", "status": "new"|"private-beta"|"public",
//                  "expect": [{ "ruleId", "path", "line" }] for files that cannot hold comments }
// Expectations in head files: a line ending in `// expect: <rule-id>[, <rule-id>...]` expects a
// finding of that rule on that line; a line that is only `// expect-next-line: <rule-id>` expects
// it on the next line.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { analyseChange } from '../../src/review/analyse-change.js'
import type { IntegrationStatus } from '../../src/rules/rule.js'
import { fixtureRevision } from '../support/fixture-revision.js'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules')

interface FixtureOptions {
  rules?: string[]
  author?: 'partner' | 'internal'
  prBody?: string
  status?: IntegrationStatus
  expect?: Array<{ ruleId: string; path: string; line: number }>
}

function expectationsIn(files: Record<string, string>): string[] {
  const expected: string[] = []
  for (const [path, text] of Object.entries(files)) {
    text.split('\n').forEach((line, index) => {
      const next = /^\s*\/\/\s*expect-next-line:\s*(.+)$/.exec(line)
      if (next) {
        for (const id of next[1].split(',')) expected.push(`${id.trim()} ${path}:${index + 2}`)
        return
      }
      const inline = /(?:\/\/|\/\*|#)\s*expect:\s*([\w/,\s-]+?)\s*(?:\*\/)?\s*$/.exec(line)
      if (inline) for (const id of inline[1].split(',')) expected.push(`${id.trim()} ${path}:${index + 1}`)
    })
  }
  return expected
}

function fixtureCases(): Array<{ category: string; name: string; dir: string }> {
  if (!existsSync(FIXTURES)) return []
  const cases: Array<{ category: string; name: string; dir: string }> = []
  for (const category of readdirSync(FIXTURES)) {
    for (const name of readdirSync(join(FIXTURES, category))) cases.push({ category, name, dir: join(FIXTURES, category, name) })
  }
  return cases
}

describe('rule fixtures', () => {
  for (const fixture of fixtureCases()) {
    it(`${fixture.category}/${fixture.name}`, () => {
      const optionsPath = join(fixture.dir, 'fixture.json')
      const options: FixtureOptions = existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, 'utf8')) : {}
      const selectors = options.rules ?? [`${fixture.category}/*`]
      const rules = ALL_RULES.filter((rule) =>
        selectors.some((selector) => (selector.endsWith('/*') ? rule.id.startsWith(selector.slice(0, -1)) : rule.id === selector))
      )
      expect(rules.length, `fixture selects no rule: ${selectors.join(', ')}`).toBeGreaterThan(0)
      const head = fixtureRevision(join(fixture.dir, 'head'))
      const base = existsSync(join(fixture.dir, 'base')) ? fixtureRevision(join(fixture.dir, 'base')) : undefined
      const analysis = analyseChange({
        head,
        base,
        rules,
        pullRequest: { body: options.prBody, authorIsPartner: (options.author ?? 'partner') === 'partner' },
        statusOf: options.status ? () => options.status as IntegrationStatus : undefined
      })
      expect(analysis.ruleFailures).toEqual([])
      const actual = analysis.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`).sort()
      const files = Object.fromEntries(head.listFiles().map((path) => [path, head.readFile(path) ?? '']))
      const expected = [
        ...expectationsIn(files),
        ...(options.expect ?? []).map((entry) => `${entry.ruleId} ${entry.path}:${entry.line}`)
      ].sort()
      expect(actual).toEqual(expected)
    })
  }
})
