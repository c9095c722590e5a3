// Where integrations live in a repository. The defaults are the layouts of Segment's
// integrations repository; config can replace them.
import { z } from 'zod'
import { SOURCE_LAYOUTS } from './source-layouts.js'

export const IntegrationKindSchema = z.enum(['cloud-destination', 'browser-destination', 'source', 'cloud-source'])
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
  /** The definition's entry file, relative to the integration folder; a list is tried in order. */
  entry: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /**
   * When no listed entry exists: the first file of the folder (or its `src/`) declaring a function
   * of this name is the entry (a cloud source's `onRequest`).
   */
  handler: z
    .string()
    .regex(/^[A-Za-z_$][\w$]*$/)
    .optional()
})
export type IntegrationLayout = z.infer<typeof IntegrationLayoutSchema>

export const DEFAULT_LAYOUTS: IntegrationLayout[] = [
  { kind: 'cloud-destination', root: 'packages/destination-actions/src/destinations/*', entry: 'index.ts' },
  { kind: 'browser-destination', root: 'packages/browser-destinations/destinations/*', entry: 'src/index.ts' },
  ...SOURCE_LAYOUTS
]
