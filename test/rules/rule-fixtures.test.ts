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
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { analyseChange } from '../../src/review/analyse-change.js'
import { fixtureRevision } from '../support/fixture-revision.js'
import { everyIntegrationAs } from '../support/configured-statuses.js'
import { expectedFindings, fixtureCases, fixtureOptions, selectedRuleIds } from '../support/rule-fixtures.js'

const RULE_IDS = ALL_RULES.map((rule) => rule.id)

describe('rule fixtures', () => {
  for (const fixture of fixtureCases()) {
    it(`${fixture.category}/${fixture.name}`, () => {
      const options = fixtureOptions(fixture)
      const selected = new Set(selectedRuleIds(fixture, options, RULE_IDS))
      const rules = ALL_RULES.filter((rule) => selected.has(rule.id))
      expect(rules.length, `fixture selects no rule: ${(options.rules ?? [`${fixture.category}/*`]).join(', ')}`).toBeGreaterThan(0)
      const head = fixtureRevision(join(fixture.dir, 'head'))
      const base = existsSync(join(fixture.dir, 'base')) ? fixtureRevision(join(fixture.dir, 'base')) : undefined
      const analysis = analyseChange({
        head,
        base,
        rules,
        pullRequest: { body: options.prBody, authorIsPartner: (options.author ?? 'partner') === 'partner' },
        configuredStatuses: everyIntegrationAs(options.status, head, base)
      })
      expect(analysis.ruleFailures).toEqual([])
      const actual = analysis.findings.map((finding) => `${finding.ruleId} ${finding.path}:${finding.line}`).sort()
      const files = Object.fromEntries(head.listFiles().map((path) => [path, head.readFile(path) ?? '']))
      const expected = expectedFindings(files, options).sort()
      expect(actual).toEqual(expected)
    })
  }
})
