// `batch_keys` decides how events are grouped into batches; changing its default changes
// batching for the customers relying on it.
import { defineRule, type RawFinding } from '../rule.js'
import { bothRevisions, commonFields, containsUnresolved, fieldGroups, findingAt, jsonEqual, showValue } from './metadata-diff.js'

export const BATCH_KEYS_FIELD = 'batch_keys'

export const batchKeysChanged = defineRule({
  id: 'compat/batch-keys-changed',
  category: 'compat',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: '`batch_keys` default changed',
  docs: {
    why:
      '`batch_keys` (a hidden field) lists the payload keys events are grouped by before `performBatch`. Changing its default changes how ' +
      'batches are formed — and so how many requests are sent and what each one holds — for customers who never touched it.',
    fix: 'Keep the default. If the grouping must change, discuss it with Segment and roll it out behind a feature flag.',
    bad: "batch_keys: { ..., default: ['audience_id', 'region'] } // was ['audience_id']",
    good: "batch_keys: { ..., default: ['audience_id'] }"
  },
  scope: 'integration',
  check(context) {
    const revisions = bothRevisions(context)
    if (!revisions) return []
    const findings: RawFinding[] = []
    for (const group of fieldGroups(revisions.base, revisions.head)) {
      if (group.kind !== 'field') continue
      for (const pair of commonFields(group)) {
        if (pair.key !== BATCH_KEYS_FIELD) continue
        const before = pair.base.default
        const after = pair.head.default
        if (containsUnresolved(before) || containsUnresolved(after) || jsonEqual(before ?? null, after ?? null)) continue
        findings.push(
          findingAt(
            context,
            pair.pointer,
            `${pair.pointer}/default`,
            `The \`batch_keys\` default of ${group.owner} changed from ${showValue(before)} to ${showValue(after)}. ` +
              'This regroups the batches sent by `performBatch` for customers who never set it. Keep the old default, or agree the change with Segment and put it behind a feature flag.',
            'warning'
          )
        )
      }
    }
    return findings
  }
})
