// The Segment Spec as data (copied from the shared research, `source` URLs kept), typed at the boundary.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

const SemanticEventSchema = z.looseObject({ name: z.string() })

const SegmentSpecSchema = z.looseObject({
  about: z.looseObject({}),
  naming: z.looseObject({ titleCaseExceptionsSeenInSpec: z.array(z.string()) }),
  messageTypes: z.record(z.string(), z.unknown()),
  reservedTraits: z.record(z.string(), z.unknown()),
  reservedProperties: z.record(z.string(), z.unknown()),
  semanticEvents: z.looseObject({
    categories: z.array(z.looseObject({ events: z.array(SemanticEventSchema) }))
  }),
  fqlSubscriptions: z.looseObject({})
})
export type SegmentSpec = z.infer<typeof SegmentSpecSchema>

let loaded: SegmentSpec | undefined

/** The bundled Spec data, parsed once. */
export function loadSegmentSpec(): SegmentSpec {
  if (!loaded) {
    const text = readFileSync(new URL('./segment-spec.json', import.meta.url), 'utf8')
    loaded = SegmentSpecSchema.parse(JSON.parse(text))
  }
  return loaded
}
