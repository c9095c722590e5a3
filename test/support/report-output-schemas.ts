// The parts of the bot's JSON outputs the tests read back (a SARIF log, the Action's `readiness`
// output), as zod schemas: a test parses what was written instead of trusting its shape.
import { z } from 'zod'

/** A SARIF log, down to the rule id of each result. */
export const SarifLogShape = z.object({
  version: z.string(),
  runs: z.array(z.object({ results: z.array(z.object({ ruleId: z.string() })) }))
})

/** The Action's `readiness` output: per integration path, what `readinessOf` writes. */
export const ReadinessOutputShape = z.record(
  z.string(),
  z.object({
    slug: z.string(),
    name: z.string(),
    kind: z.string(),
    status: z.string(),
    readiness: z.string(),
    blocking: z.object({ 'private-beta': z.number(), public: z.number() })
  })
)
