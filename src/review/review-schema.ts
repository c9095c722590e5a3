// The Review: what one run of the engine concludes, as zod schemas (the JSON report's contract).
import { z } from 'zod'
import { IntegrationKindSchema } from '../discover/integration-layouts.js'
import { ModelErrorSchema, UnresolvedEntrySchema } from '../model/model-json.js'
import { IntegrationStatusSchema, SeveritySchema, StageSchema } from '../rules/rule.js'

const WaiverRecordSchema = z.object({ by: z.string(), reason: z.string(), at: z.string() })

const FindingSchema = z.object({
  ruleId: z.string(),
  /** The highest severity the finding has at any stage it gates, after config and author trust. */
  severity: SeveritySchema,
  message: z.string(),
  /** The integration folder, or null for a finding about the pull request as a whole. */
  integration: z.string().nullable(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  /** Stable across unrelated edits that move lines; identifies the finding between revisions. */
  fingerprint: z.string(),
  /** `existing` when the same finding occurs on the base revision. */
  status: z.enum(['new', 'existing']),
  /** The stages this finding holds back (empty when it is waived, suppressed, pre-existing or not an error). */
  blocks: z.array(StageSchema),
  waived: WaiverRecordSchema.optional(),
  /** True when an inline suppression comment that already exists on the base revision covers it. */
  suppressed: z.boolean().optional()
})
export type Finding = z.infer<typeof FindingSchema>

const ReadinessSchema = z.enum(['blocked', 'ready-for-private-beta', 'ready-for-public'])
export type Readiness = z.infer<typeof ReadinessSchema>

const IntegrationReviewSchema = z.object({
  path: z.string(),
  kind: IntegrationKindSchema,
  slug: z.string(),
  name: z.string(),
  status: IntegrationStatusSchema,
  /**
   * True when the integration exists on base but no `status` is configured for it: the review
   * then judges it against the strictest stage (Public) and says so.
   */
  statusUnknown: z.boolean().optional(),
  /** What the pull request suggests about the status (its title or a label says Private Beta): shown, never used to judge. */
  statusHints: z.array(z.string()).optional(),
  /** Whether the integration exists on the base revision (then only new findings gate it). */
  existsOnBase: z.boolean(),
  readiness: ReadinessSchema,
  /** Fingerprints of the findings that hold back each stage. */
  blocking: z.object({ 'private-beta': z.array(z.string()), public: z.array(z.string()) }),
  unresolved: z.array(UnresolvedEntrySchema),
  errors: z.array(ModelErrorSchema)
})
export type IntegrationReview = z.infer<typeof IntegrationReviewSchema>

const RuleFailureSchema = z.object({ ruleId: z.string(), integration: z.string().nullable(), message: z.string() })

export const ReviewSchema = z.object({
  integrations: z.array(IntegrationReviewSchema),
  findings: z.array(FindingSchema),
  changedPaths: z.array(z.string()),
  /** What the limits made the review skip, in words for the report. */
  skipped: z.array(z.string()),
  /** Rules that crashed: reported, never fatal. */
  ruleFailures: z.array(RuleFailureSchema),
  configErrors: z.array(z.string()),
  /** Suppression comments the review could not honour as written (unknown rule id, no reason). */
  suppressionErrors: z.array(z.string())
})
export type Review = z.infer<typeof ReviewSchema>
