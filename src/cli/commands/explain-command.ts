// `integration-review explain <rule-id>`: prints a rule's documentation from its metadata.
import { closestIds } from '../../config/closest-ids.js'
import { InputError } from '../../input-error.js'
import { NOT_ANALYSED_EXPLANATION } from '../../review/not-analysed-explanation.js'
import type { RuleDocumentation } from '../../rules/rule.js'
import { RULE_CATALOG } from '../../rules/rule-catalog.js'
import type { CliCommand } from '../cli-command.js'
import { COMMAND_INFO } from '../command-list.js'

export const explainCommand: CliCommand = {
  ...COMMAND_INFO.explain,
  run(args, io) {
    if (args.length !== 1 || args[0].startsWith('-')) throw new InputError(`expected one rule id; usage: ${this.usage}`)
    const id = args[0]
    const explained: readonly RuleDocumentation[] = [...RULE_CATALOG, NOT_ANALYSED_EXPLANATION]
    const rule = explained.find((entry) => entry.id === id)
    if (!rule) {
      const suggestions = closestIds(
        id,
        explained.map((candidate) => candidate.id)
      )
      throw new InputError(
        `unknown rule id "${id}"${suggestions.length > 0 ? `; closest: ${suggestions.join(', ')}` : ''}; \`integration-review rules\` lists them all`
      )
    }
    io.stdout(explainRule(rule))
    return 0
  }
}

export function explainRule(rule: RuleDocumentation): string {
  const stages = [
    rule.stages['private-beta'] ? `${rule.stages['private-beta']} for Private Beta` : undefined,
    (rule.stages.public ?? rule.stages['private-beta']) ? `${rule.stages.public ?? rule.stages['private-beta']} for Public` : undefined
  ].filter(Boolean)
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')
  return [
    `${rule.id} — ${rule.title}`,
    '',
    `Severity: ${stages.join(', ')}${rule.who === 'partner' ? ' (pull requests from partners; info for the owning organisation)' : ''}`,
    '',
    'Why it matters:',
    `  ${rule.docs.why}`,
    '',
    'How to fix:',
    `  ${rule.docs.fix}`,
    '',
    'Bad:',
    indent(rule.docs.bad),
    '',
    'Good:',
    indent(rule.docs.good),
    ''
  ].join('\n')
}
