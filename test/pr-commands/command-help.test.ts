import { describe, expect, it } from 'vitest'
import { explainRule, helpText } from '../../src/pr-commands/command-help.js'
import { COMMAND_NAMES, COMMAND_USAGE, parseCommands } from '../../src/pr-commands/parse-commands.js'
import { ALL_RULES } from '../../src/rules/all-rules.js'
import { defineRule, type Rule } from '../../src/rules/rule.js'

const fencedRule: Rule = defineRule({
  id: 'docs/example-rule',
  category: 'docs',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'partner',
  title: 'An example rule',
  docs: { why: 'Partners read this.', fix: 'Do the thing.', bad: 'const md = ```not closed', good: "const md = 'fine'" },
  scope: 'integration',
  check: () => []
})

describe('helpText', () => {
  it('lists every command with its usage, who may use them, and every rule id', () => {
    const text = helpText(ALL_RULES)
    for (const name of COMMAND_NAMES) expect(text).toContain(`| \`${COMMAND_USAGE[name].usage}\` |`)
    expect(text).toContain('cannot waive findings or approve their own pull request')
    for (const rule of ALL_RULES) expect(text).toContain(`\`${rule.id}\``)
  })

  it('its examples are commands the parser accepts', () => {
    const examples = /```\n([\s\S]*?)```/.exec(helpText([]))?.[1] ?? ''
    const parsed = parseCommands(examples, { ruleIds: ['security/hardcoded-secret', 'structure/action-description'] })
    expect(parsed.length).toBe(4)
    expect(parsed.every((entry) => entry.ok)).toBe(true)
  })

  it('answers a topic: a command, or a rule', () => {
    expect(helpText(ALL_RULES, 'waive')).toMatch(/^`\/waive <rule-id>.*Reviewers only/s)
    expect(helpText(ALL_RULES, '/recheck')).toContain('Anyone who can comment')
    expect(helpText([fencedRule], 'docs/example-rule')).toContain('### `docs/example-rule`')
  })
})

describe('explainRule', () => {
  it('gives the title, stages, audience, why, fix and both examples, fencing code safely', () => {
    const text = explainRule(fencedRule)
    expect(text).toContain('### `docs/example-rule` — An example rule')
    expect(text).toContain('warning for Private Beta, error for Public · applies to partner pull requests')
    expect(text).toContain('**Why it matters.** Partners read this.')
    expect(text).toContain('**How to fix it.** Do the thing.')
    // The bad example holds a triple backtick, so its fence is longer.
    expect(text).toContain('````ts\nconst md = ```not closed\n````')
    expect(text).toContain("```ts\nconst md = 'fine'\n```")
  })
})
