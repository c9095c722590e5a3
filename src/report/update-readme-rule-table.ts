// `npm run readme:rules`: rewrites README.md's rule table and src/rules/rule-catalog.ts from the rule metadata.
import { readFileSync, writeFileSync } from 'node:fs'
import { ALL_RULES } from '../rules/all-rules.js'
import { renderRuleCatalog } from '../rules/render-rule-catalog.js'
import { renderRuleTable, replaceRuleTable } from './rule-table.js'

function rewrite(url: URL, name: string, update: (before: string) => string): void {
  const before = readFileSync(url, 'utf8')
  const after = update(before)
  if (after !== before) writeFileSync(url, after)
  process.stdout.write(after === before ? `${name} already up to date\n` : `${name} updated\n`)
}

rewrite(new URL('../rules/rule-catalog.ts', import.meta.url), 'src/rules/rule-catalog.ts', () => renderRuleCatalog(ALL_RULES))
rewrite(new URL('../../README.md', import.meta.url), 'README.md rule table', (readme) =>
  replaceRuleTable(readme, renderRuleTable(ALL_RULES))
)
