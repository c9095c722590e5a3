// A secret setting or field that stops being `password` is shown in clear text from then on.
import { defineRule, type RawFinding } from '../rule.js'
import { bothRevisions, capitalize, commonFields, describeField, fieldGroups, findingAt } from './metadata-diff.js'

export const settingWeakened = defineRule({
  id: 'compat/setting-weakened',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Password setting changed to a clear-text type',
  docs: {
    why:
      "`type: password` masks the stored value in the Segment app. Changing it to another type shows every customer's secret " +
      'in clear text to anyone who can open the destination. The reverse (a setting becoming `password`) only masks it: a note.',
    fix: "Keep secrets (API keys, tokens, passwords) as `type: 'password'`.",
    bad: "apiKey: { label: 'API Key', type: 'string', required: true } // was type: 'password'",
    good: "apiKey: { label: 'API Key', type: 'password', required: true }"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      for (const pair of commonFields(group)) {
        const before = pair.base.type
        const after = pair.head.type
        if (typeof before !== 'string' || typeof after !== 'string' || before === after) continue
        const what = capitalize(describeField(group, pair.key))
        if (before === 'password') {
          findings.push(
            findingAt(
              context,
              pair.pointer,
              `${pair.pointer}/type`,
              `${what} changed from \`password\` to \`${after}\`: ${group.kind.includes('setting') ? 'the secret every customer stored in it' : 'the secret customers mapped into it'} would be shown in clear text in the Segment app. ` +
                `Keep \`type: 'password'\` for \`${pair.key}\`.`,
              'error'
            )
          )
        } else if (after === 'password') {
          findings.push(
            findingAt(
              context,
              pair.pointer,
              `${pair.pointer}/type`,
              `${what} changed from \`${before}\` to \`password\`: stored values are masked from now on. Nothing to fix; noted for reviewers.`,
              'info'
            )
          )
        }
      }
    }
    return findings
  }
})
