// `integration-review rules`: lists every rule with its severity at each stage and its title.
import { parseArgs } from 'node:util'
import { InputError } from '../../input-error.js'
import { renderRuleTable } from '../../report/rule-table.js'
import { ALL_RULES } from '../../rules/all-rules.js'
import type { CliCommand } from '../cli-command.js'

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'List the rules: id, severity at Private Beta and at Public, who they apply to, title',
  usage: 'integration-review rules [--format text|markdown|json]',
  run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' } } })
    if (positionals.length > 0) throw new InputError(`unexpected argument ${positionals[0]}; usage: ${this.usage}`)
    if (values.format === 'markdown') {
      io.stdout(renderRuleTable())
      return 0
    }
    if (values.format === 'json') {
      io.stdout(`${JSON.stringify(ALL_RULES.map(({ id, category, stages, who, title, scope }) => ({ id, category, stages, who, title, scope })), null, 2)}\n`)
      return 0
    }
    if (values.format !== 'text') throw new InputError(`unknown --format "${values.format}"; use text, markdown or json`)
    const rows = ALL_RULES.map((rule) => [rule.id, rule.stages['private-beta'] ?? '-', rule.stages.public ?? rule.stages['private-beta'] ?? '-', rule.who === 'partner' ? 'partner' : '', rule.title])
    const header = ['RULE', 'BETA', 'PUBLIC', 'WHO', 'TITLE']
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
    const format = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')
    io.stdout(`${[format(header), ...rows.map(format)].join('\n')}\n\n${ALL_RULES.length} rules. \`integration-review explain <rule-id>\` prints a rule's documentation.\n`)
    return 0
  }
}
