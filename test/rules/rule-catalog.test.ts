// `src/rules/rule-catalog.ts` is the rule metadata the light CLI commands read without loading the
// rules; it is generated, and this fails when it no longer matches the rules (fix: `npm run readme:rules`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { renderRuleCatalog, ruleCatalogEntries } from '../../src/rules/render-rule-catalog.js'
import { RULE_CATALOG } from '../../src/rules/rule-catalog.js'

describe('rule catalog', () => {
  it('holds the metadata of every rule, in order', () => {
    expect(RULE_CATALOG, 'src/rules/rule-catalog.ts is out of date: run `npm run readme:rules`').toEqual(ruleCatalogEntries(ALL_RULES))
    expect(RULE_CATALOG.map((entry) => entry.id)).toEqual(ALL_RULES.map((rule) => rule.id))
  })

  it('is the generator output byte for byte', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'rules', 'rule-catalog.ts'), 'utf8')
    expect(file, 'src/rules/rule-catalog.ts is out of date: run `npm run readme:rules`').toBe(renderRuleCatalog(ALL_RULES))
  })

  it('imports nothing at run time (only a type), so reading it loads no rule', () => {
    const file = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'rules', 'rule-catalog.ts'), 'utf8')
    const imports = file.split('\n').filter((line) => line.startsWith('import '))
    expect(imports).toEqual(["import type { RuleCatalogEntry } from './rule.js'"])
  })

  it('notices a rule whose metadata changed', () => {
    const changed = ALL_RULES.map((rule, index) => (index === 0 ? { ...rule, title: `${rule.title}!` } : rule))
    expect(ruleCatalogEntries(changed)).not.toEqual(RULE_CATALOG)
  })
})
