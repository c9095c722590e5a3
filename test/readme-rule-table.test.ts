// The README's rule table is generated from rule metadata; this fails when it is out of date
// (fix: `npm run readme:rules`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { currentRuleTable, renderRuleTable, replaceRuleTable } from '../src/report/rule-table.js'
import { ALL_RULES } from '../src/rules/all-rules.js'

describe('README rule table', () => {
  it('matches the rule metadata', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
    const current = currentRuleTable(readme)
    expect(current, 'README.md needs a <!-- rules:start --> … <!-- rules:end --> section').toBeDefined()
    expect(current, 'README.md rule table is out of date: run `npm run readme:rules`').toBe(renderRuleTable())
  })

  it('lists every rule once, with its severity at each stage', () => {
    const table = renderRuleTable(ALL_RULES)
    const rows = table.trim().split('\n').slice(2)
    expect(rows).toHaveLength(ALL_RULES.length)
    expect(rows.find((row) => row.startsWith('| `security/suppression-added` |'))).toBe(
      '| `security/suppression-added` | info | info | everyone | A suppression comment added by the pull request suppresses nothing |'
    )
  })

  it('replaces only what is between the markers', () => {
    const readme = '# Title\n\n<!-- rules:start -->\nold table\n<!-- rules:end -->\n\nAfter.\n'
    const updated = replaceRuleTable(readme, '| a |\n')
    expect(updated).toBe('# Title\n\n<!-- rules:start -->\n| a |\n<!-- rules:end -->\n\nAfter.\n')
    expect(currentRuleTable(updated)).toBe('| a |\n')
    expect(() => replaceRuleTable('# no markers\n')).toThrow(/rules:start/)
  })
})
