// The JSON form of a model, as `integration-review model` prints it and the JSON report embeds it.
import { z } from 'zod'
import { IntegrationKindSchema } from '../discover/integration-layouts.js'
import type { IntegrationModel } from './extract-integration.js'

export const UnresolvedEntrySchema = z.object({
  pointer: z.string(),
  reason: z.string(),
  path: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional()
})

export const ModelErrorSchema = z.object({
  path: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string()
})

export const IntegrationModelJsonSchema = z.object({
  path: z.string(),
  kind: IntegrationKindSchema,
  metadata: z.record(z.string(), z.unknown()).nullable(),
  unresolved: z.array(UnresolvedEntrySchema),
  errors: z.array(ModelErrorSchema)
})
export type IntegrationModelJson = z.infer<typeof IntegrationModelJsonSchema>

export function toModelJson(model: IntegrationModel): IntegrationModelJson {
  return {
    path: model.location.path,
    kind: model.location.kind,
    // A JSON round trip drops undefined members exactly as Segment's generator output does.
    metadata: model.metadata === null ? null : (JSON.parse(JSON.stringify(model.metadata)) as Record<string, unknown>),
    unresolved: model.unresolved,
    errors: model.errors
  }
}
