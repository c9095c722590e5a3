// The README's rule table, generated from rule metadata (never written twice).
import { RULE_CATALOG } from '../rules/rule-catalog.js'
import type { RuleMeta, Severity } from '../rules/rule.js'

const RULE_TABLE_START = '<!-- rules:start -->'
const RULE_TABLE_END = '<!-- rules:end -->'

function stageText(severity: Severity | undefined): string {
  return severity ?? '—'
}

export function renderRuleTable(rules: ReadonlyArray<Pick<RuleMeta, 'id' | 'stages' | 'who' | 'title'>> = RULE_CATALOG): string {
  const lines = ['| Rule | Private Beta | Public | Who | What |', '|---|---|---|---|---|']
  for (const rule of rules) {
    const publicSeverity = rule.stages.public ?? rule.stages['private-beta']
    lines.push(
      `| \`${rule.id}\` | ${stageText(rule.stages['private-beta'])} | ${stageText(publicSeverity)} | ${rule.who} | ${rule.title.replace(/\|/g, '\\|')} |`
    )
  }
  return `${lines.join('\n')}\n`
}

/** README text with the section between the markers replaced by the generated table. */
export function replaceRuleTable(readme: string, table: string = renderRuleTable()): string {
  const start = readme.indexOf(RULE_TABLE_START)
  const end = readme.indexOf(RULE_TABLE_END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${RULE_TABLE_START} … ${RULE_TABLE_END} section`)
  return `${readme.slice(0, start + RULE_TABLE_START.length)}\n${table}${readme.slice(end)}`
}

/** The table currently between the markers. */
export function currentRuleTable(readme: string): string | undefined {
  const start = readme.indexOf(RULE_TABLE_START)
  const end = readme.indexOf(RULE_TABLE_END)
  if (start < 0 || end < start) return undefined
  return readme.slice(start + RULE_TABLE_START.length + 1, end)
}
