// `integration-review rules`: lists every rule with its severity at each stage and its title.
import { parseArgs } from 'node:util'
import { InputError } from '../../input-error.js'
import { renderRuleTable } from '../../report/rule-table.js'
import { RULE_CATALOG } from '../../rules/rule-catalog.js'
import type { CliCommand } from '../cli-command.js'
import { COMMAND_INFO } from '../command-list.js'

export const rulesCommand: CliCommand = {
  ...COMMAND_INFO.rules,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string', default: 'text' } }
    })
    if (positionals.length > 0) throw new InputError(`unexpected argument ${positionals[0]}; usage: ${this.usage}`)
    if (values.format === 'markdown') {
      io.stdout(renderRuleTable())
      return 0
    }
    if (values.format === 'json') {
      io.stdout(
        `${JSON.stringify(
          RULE_CATALOG.map(({ id, category, stages, who, title, scope }) => ({ id, category, stages, who, title, scope })),
          null,
          2
        )}\n`
      )
      return 0
    }
    if (values.format !== 'text') throw new InputError(`unknown --format "${values.format}"; use text, markdown or json`)
    const rows = RULE_CATALOG.map((rule) => [
      rule.id,
      rule.stages['private-beta'] ?? '-',
      rule.stages.public ?? rule.stages['private-beta'] ?? '-',
      rule.who === 'partner' ? 'partner' : '',
      rule.title
    ])
    const header = ['RULE', 'BETA', 'PUBLIC', 'WHO', 'TITLE']
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
    const format = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')
    io.stdout(
      `${[format(header), ...rows.map(format)].join('\n')}\n\n${RULE_CATALOG.length} rules. \`integration-review explain <rule-id>\` prints a rule's documentation.\n`
    )
    return 0
  }
}
