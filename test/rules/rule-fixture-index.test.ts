// Rule fixtures are findable by rule: test/fixtures/rules/INDEX.md lists, for every rule of the
// catalog, the fixtures that violate it and those that pass it. This fails when the index is out
// of date (fix: `npm run fixtures:index`) and when a rule lacks either kind of fixture.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { RULE_CATALOG } from '../../src/rules/rule-catalog.js'
import { FIXTURE_INDEX_PATH, fixturesByRule, renderFixtureIndex } from '../support/rule-fixtures.js'

const RULE_IDS = ALL_RULES.map((rule) => rule.id)

describe('rule fixtures by rule', () => {
  it('INDEX.md is the generator output byte for byte', () => {
    // The script reads the generated catalog (no rule loaded); it must hold the same ids as the rules.
    expect(RULE_CATALOG.map((entry) => entry.id)).toEqual(RULE_IDS)
    expect(readFileSync(FIXTURE_INDEX_PATH, 'utf8'), 'test/fixtures/rules/INDEX.md is out of date: run `npm run fixtures:index`').toBe(
      renderFixtureIndex(RULE_IDS)
    )
  })

  it('every rule has a fixture that violates it and one that passes it', () => {
    const missing: string[] = []
    for (const [id, fixtures] of fixturesByRule(RULE_IDS)) {
      if (fixtures.violating.length === 0) missing.push(`${id}: no fixture expects a finding of it (// expect: ${id})`)
      if (fixtures.passing.length === 0) missing.push(`${id}: no fixture runs it and expects no finding of it`)
    }
    expect(missing).toEqual([])
  })

  it('tells a violating fixture from a passing one by its annotations', () => {
    const byRule = fixturesByRule(RULE_IDS)
    // structure/no-actions expects structure/has-actions; structure/clean-destination runs it and expects nothing.
    expect(byRule.get('structure/has-actions')?.violating).toContain('structure/no-actions')
    expect(byRule.get('structure/has-actions')?.passing).toContain('structure/clean-destination')
    expect(byRule.get('structure/has-actions')?.passing).not.toContain('structure/no-actions')
  })
})
