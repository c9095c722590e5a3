// Where integrations live in a repository. The defaults are the layouts of Segment's
// integrations repository; config can replace them.
import { z } from 'zod'

export const IntegrationKindSchema = z.enum(['cloud-destination', 'browser-destination', 'source'])
export type IntegrationKind = z.infer<typeof IntegrationKindSchema>

export const IntegrationLayoutSchema = z.object({
  kind: IntegrationKindSchema,
  /** Glob of the integration folders; exactly one `*` segment, which is the integration's slug. */
  root: z
    .string()
    .min(1)
    .refine((root) => root.split('/').filter((segment) => segment === '*').length === 1 && !root.includes('**'), {
      message: 'must contain exactly one "*" path segment (the integration folder) and no "**"'
    }),
  /** The definition's entry file, relative to the integration folder. */
  entry: z.string().min(1)
})
export type IntegrationLayout = z.infer<typeof IntegrationLayoutSchema>

export const DEFAULT_LAYOUTS: IntegrationLayout[] = [
  { kind: 'cloud-destination', root: 'packages/destination-actions/src/destinations/*', entry: 'index.ts' },
  { kind: 'browser-destination', root: 'packages/browser-destinations/destinations/*', entry: 'src/index.ts' }
]
