// structure/setting-default-type: a boolean or number setting whose `default` is another JS type.
import { defineRule, type RawFinding } from '../rule.js'
import { describeField, findingAt, isUnresolvedJson, settingsOf } from '../support/destination-entries.js'

export const settingDefaultType = defineRule({
  id: 'structure/setting-default-type',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Setting defaults match the setting type',
  docs: {
    why: "Segment's `validate` warns when a boolean or number setting has a default of another type: the UI pre-fills a value the setting cannot hold, and code comparing `settings.x === true` silently misbehaves.",
    fix: "Write the default as a value of the setting's type: `default: false`, not `'false'`; `default: 30`, not `'30'`.",
    bad: "sandbox: {\n  label: 'Sandbox Mode',\n  description: 'Send data to the sandbox environment.',\n  type: 'boolean',\n  default: 'false'\n}",
    good: "sandbox: {\n  label: 'Sandbox Mode',\n  description: 'Send data to the sandbox environment.',\n  type: 'boolean',\n  default: false\n}"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const entry of settingsOf(context)) {
      const { type, default: defaultValue } = entry.field
      if (type !== 'boolean' && type !== 'number') continue
      if (defaultValue === undefined || defaultValue === null || isUnresolvedJson(defaultValue)) continue
      if (typeof defaultValue === type) continue
      findings.push(
        findingAt(
          context,
          entry.pointer,
          `The ${describeField(entry)} is of type ${type} but its \`default\` is ${JSON.stringify(defaultValue)} (${Array.isArray(defaultValue) ? 'an array' : typeof defaultValue}). Write the default as a ${type}${type === 'boolean' ? ' (`true` or `false`, without quotes)' : ' without quotes'}.`,
          undefined,
          'default'
        )
      )
    }
    return findings
  }
})
