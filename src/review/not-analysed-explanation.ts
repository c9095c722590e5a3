// The fail-closed finding's id and its documentation, in a module of its own so that the CLI's
// `explain` loads it without the review engine.
import type { RuleDocumentation } from '../rules/rule.js'

/** The id waivers and reports use for the fail-closed finding; not a rule of the catalog (it cannot be switched off). */
export const NOT_ANALYSED_RULE_ID = 'review/not-analysed'

/**
 * The fail-closed finding documented the way a rule is, for `/explain review/not-analysed` and
 * `integration-review explain review/not-analysed` (it is not in the catalog: it cannot be turned off).
 */
export const NOT_ANALYSED_EXPLANATION = {
  id: NOT_ANALYSED_RULE_ID,
  category: 'review',
  title: 'Every file of a touched integration was analysed',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  docs: {
    why: "A file the review could not read is a file nobody has checked: over `limits.maxFileBytes`, past `limits.maxFiles` or `limits.maxTotalBytes`, holding NUL bytes, unreadable, a symbolic link, cut from GitHub's listing, or in an integration the time limit (`limits.maxReviewMs`) cut off. Passing it would let anything through, so the finding blocks the integration until a person has looked.",
    fix: 'Keep integration code as source text within the limits: split a very large file, do not commit generated bundles, binaries or links. If the files are fine as they are, a reviewer reads them and waives the finding with what was checked: `/waive review/not-analysed -- <what was checked>`. A review cut off by the time limit can be retried with `/recheck`.',
    bad: '// packages/destination-actions/src/destinations/acme/generated/schema.ts\n// 2.4 MB of generated code: over the 2 MB per-file limit, so never analysed',
    good: '// packages/destination-actions/src/destinations/acme/generated/schema.ts\n// the generator emits only the types the actions use: 180 KB, analysed like any other file'
  }
} as const satisfies RuleDocumentation
