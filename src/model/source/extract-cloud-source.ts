// The integration model of a cloud source: the source model, guarded so hostile input becomes an
// error entry instead of a crash.
import type { IntegrationLocation } from '../../discover/discover-integrations.js'
import type { FileSource } from '../../source/file-source.js'
import type { IntegrationModel } from '../extract-integration.js'
import { LocationIndex } from '../serialize-metadata.js'
import type { SourceProgram } from '../source-program.js'
import type { StaticEvaluator } from '../static-evaluator.js'
import { extractSource } from './extract-source.js'
import { sourceMetadata } from './source-metadata.js'

export function extractCloudSource(
  source: FileSource,
  location: IntegrationLocation,
  program: SourceProgram,
  evaluator: StaticEvaluator
): IntegrationModel {
  const base = { location, definition: undefined, errors: program.errors, locations: new LocationIndex(), program, evaluator }
  try {
    const model = extractSource(program, evaluator, location, source.listFiles())
    const { metadata, unresolved } = sourceMetadata(model, location)
    return { ...base, metadata, unresolved, source: model }
  } catch (error) {
    const message =
      error instanceof RangeError ? 'input too deeply nested to analyse' : error instanceof Error ? error.message : String(error)
    program.errors.push({ path: location.entryPath, message: `the source model could not be extracted: ${message}` })
    return { ...base, metadata: null, unresolved: [] }
  }
}
