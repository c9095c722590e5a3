// `npm run fixtures:index`: writes test/fixtures/rules/INDEX.md, the rule fixtures by rule.
// test/rules/rule-fixture-index.test.ts fails when the file is out of date.
import { writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { RULE_CATALOG } from '../../src/rules/rule-catalog.js'
import { FIXTURE_INDEX_PATH, renderFixtureIndex } from './rule-fixtures.js'

writeFileSync(FIXTURE_INDEX_PATH, renderFixtureIndex(RULE_CATALOG.map((entry) => entry.id)))
console.log(`wrote ${relative(process.cwd(), FIXTURE_INDEX_PATH)}`)
