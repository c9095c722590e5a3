// The text of `/help` and `/explain`, generated from the command grammar and the rule metadata,
// never written twice.
import type { Rule, RuleDocumentation, Stage } from '../rules/rule.js'
import { COMMAND_NAMES, COMMAND_USAGE, type CommandName } from './parse-commands.js'

const STAGE_TEXT: Record<Stage, string> = { 'private-beta': 'Private Beta', public: 'Public' }

/** The command list, and the rules grouped by category in a folded block. */
export function helpText(rules: readonly Rule[], topic?: string): string {
  const topicWord = topic?.replace(/^\//, '').toLowerCase()
  if (topicWord && (COMMAND_NAMES as readonly string[]).includes(topicWord)) {
    const { usage, summary } = COMMAND_USAGE[topicWord as CommandName]
    return `\`${usage}\` — ${summary}.\n\n${whoMayText(topicWord as CommandName)}`
  }
  const rule = topicWord ? rules.find((candidate) => candidate.id === topicWord) : undefined
  if (rule) return explainRule(rule)

  const lines = [
    '**integration-review commands** — write each on a line of its own in a comment on the pull request (not in a quote or a code block):',
    '',
    '| Command | What it does |',
    '|---|---|',
    ...COMMAND_NAMES.map((name) => `| \`${COMMAND_USAGE[name].usage}\` | ${COMMAND_USAGE[name].summary} |`),
    '',
    'Anyone who can comment may use `/recheck`, `/explain` and `/help`. `/waive`, `/unwaive`, `/approve` and `/revoke` are for reviewers: people with write, maintain or admin permission on the repository, or the teams and users named under `reviewers` in `.github/integration-review.yml`. The author of a pull request cannot waive findings or approve their own pull request.',
    '',
    'Examples:',
    '```',
    '/waive security/hardcoded-secret packages/destination-actions/src/destinations/acme/index.ts:12 -- public client id, confirmed with Acme',
    '/unwaive security/hardcoded-secret',
    '/approve beta',
    '/explain structure/action-description',
    '```'
  ]
  if (rules.length > 0) {
    lines.push('', `<details><summary>The ${rules.length} rules</summary>`, '')
    const byCategory = new Map<string, Rule[]>()
    for (const candidate of rules) byCategory.set(candidate.category, [...(byCategory.get(candidate.category) ?? []), candidate])
    for (const [category, members] of byCategory) {
      lines.push(`**${category}**: ${members.map((member) => `\`${member.id}\``).join(', ')}`, '')
    }
    lines.push('</details>')
  }
  return lines.join('\n')
}

function whoMayText(name: CommandName): string {
  if (name === 'recheck' || name === 'explain' || name === 'help') return 'Anyone who can comment on the pull request may use it.'
  return 'Reviewers only: write, maintain or admin permission on the repository, or a team or user named under `reviewers` in the config; not the author of the pull request.'
}

/** A rule's documentation: what it checks, at which stages, why it matters, how to fix, with examples. */
export function explainRule(rule: RuleDocumentation): string {
  const stages = (Object.entries(rule.stages) as Array<[Stage, string]>)
    .map(([stage, severity]) => `${severity} for ${STAGE_TEXT[stage]}`)
    .join(', ')
  return [
    `### \`${rule.id}\` — ${rule.title}`,
    '',
    `Category: ${rule.category} · ${stages || 'no stage'} · applies to ${rule.who === 'partner' ? 'partner pull requests' : 'everyone'}`,
    '',
    `**Why it matters.** ${rule.docs.why}`,
    '',
    `**How to fix it.** ${rule.docs.fix}`,
    '',
    'Flagged:',
    codeBlock(rule.docs.bad),
    '',
    'Fixed:',
    codeBlock(rule.docs.good)
  ].join('\n')
}

/** A TypeScript code block whose fence is longer than any backtick run inside it. */
function codeBlock(code: string): string {
  let longest = 0
  for (const match of code.matchAll(/`+/g)) longest = Math.max(longest, match[0].length)
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}ts\n${code.replace(/\s+$/, '')}\n${fence}`
}
