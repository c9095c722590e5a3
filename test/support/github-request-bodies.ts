// The request bodies the fake GitHub APIs accept, as zod schemas: the fakes read what the bot
// sends through these, so a body GitHub would reject (a check run without a name, a label list
// that is not strings) gets GitHub's 422 instead of turning into a half-filled record.
import { z } from 'zod'

const CheckRunOutputBody = z.object({
  title: z.string(),
  summary: z.string(),
  annotations: z.array(z.record(z.string(), z.unknown())).optional()
})

/** `PATCH /repos/{owner}/{repo}/check-runs/{id}`: every field optional. */
export const CheckRunUpdateBody = z.object({
  name: z.string().optional(),
  status: z.string().optional(),
  conclusion: z.string().optional(),
  external_id: z.string().optional(),
  output: CheckRunOutputBody.optional()
})
export type CheckRunUpdateBody = z.infer<typeof CheckRunUpdateBody>

/** `POST /repos/{owner}/{repo}/check-runs`: `name` and `head_sha` are required. */
export const CheckRunCreateBody = CheckRunUpdateBody.extend({ name: z.string(), head_sha: z.string() })

/** `POST /repos/{owner}/{repo}/issues/{number}/comments` and `PATCH …/issues/comments/{id}`. */
export const CommentBody = z.object({ body: z.string() })

/** `POST /repos/{owner}/{repo}/issues/comments/{id}/reactions`. */
export const ReactionBody = z.object({ content: z.string() })

/** `POST /repos/{owner}/{repo}/labels`. */
export const LabelCreateBody = z.object({ name: z.string(), color: z.string().optional() })

/** `POST /repos/{owner}/{repo}/issues/{number}/labels`. */
export const IssueLabelsBody = z.object({ labels: z.array(z.string()) })

/** Parses a body with `schema`; `undefined` when it does not fit (the fake then answers 422). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T | undefined {
  const result = schema.safeParse(body ?? {})
  return result.success ? result.data : undefined
}

export const VALIDATION_FAILED = { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' }
