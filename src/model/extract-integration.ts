// The static extractor: from one revision's files to the model of one integration,
// in the shape of Segment's public destination metadata. Code is parsed, never run.
import type { IntegrationLocation } from '../discover/discover-integrations.js'
import type { FileSource } from '../source/file-source.js'
import { MetadataSerializer, type JsonObject, type LocationIndex, type UnresolvedEntry } from './serialize-metadata.js'
import { DEFAULT_MODEL_LIMITS, ParseCache, SourceProgram, type ModelError, type ModelLimits } from './source-program.js'
import { StaticEvaluator } from './static-evaluator.js'
import { loadedModules, markModuleMutations, runLoadTimeInitialisers } from './module-mutations.js'
import { checkInitialiserReads } from './module-initialisers.js'
import { withHybridActions } from './hybrid-actions.js'
import { Unresolved, type StaticValue } from './static-values.js'
import { extractCloudSource } from './source/extract-cloud-source.js'
import type { SourceModel } from './source/extract-source.js'

export interface IntegrationModel {
  location: IntegrationLocation
  /** Segment's public metadata shape; unknown values are {"$unresolved": why}. */
  metadata: JsonObject | null
  /** The evaluated definition, functions included, for rules that need more than metadata. */
  definition: StaticValue
  unresolved: UnresolvedEntry[]
  errors: ModelError[]
  /** Where each node of the metadata was written, by JSON pointer. */
  locations: LocationIndex
  program: SourceProgram
  evaluator: StaticEvaluator
  /** A cloud source's model (its `metadata` is this model as JSON); absent for destinations. */
  source?: SourceModel
}

export interface ExtractOptions {
  limits?: ModelLimits
  cache?: ParseCache
  aliases?: Record<string, string>
}

export function extractIntegration(source: FileSource, location: IntegrationLocation, options: ExtractOptions = {}): IntegrationModel {
  const program = new SourceProgram(source, options.limits ?? DEFAULT_MODEL_LIMITS, options.cache ?? new ParseCache(), options.aliases)
  const evaluator = new StaticEvaluator(program)
  const serializer = new MetadataSerializer()
  let definition: StaticValue
  let metadata: JsonObject | null = null
  if (location.kind === 'cloud-source' && program.hasFile(location.entryPath))
    return extractCloudSource(source, location, program, evaluator)
  if (!program.hasFile(location.entryPath)) {
    program.errors.push({ path: location.entryPath, message: 'the entry file of the integration does not exist' })
    definition = undefined
  } else {
    definition = guarded(program, location, () => {
      // Top-level code of every loaded module runs before the definition is read: account for its writes first.
      const files = loadedModules(program, location.entryPath)
      const initialisers = runLoadTimeInitialisers(files, evaluator)
      for (const file of files) markModuleMutations(file, evaluator, initialisers.get(file.path))
      for (const file of files) checkInitialiserReads(initialisers.get(file.path) ?? [], evaluator, file)
      const own = evaluateDefinitionExport(evaluator, location.entryPath)
      return location.kind === 'cloud-destination' ? withHybridActions(own, program, evaluator, location.folder) : own
    })
    metadata = guarded(program, location, () => serializer.serializeDestination(definition, location.folder)) ?? null
  }
  return {
    location,
    metadata,
    definition,
    unresolved: serializer.unresolved,
    errors: program.errors,
    locations: serializer.locations,
    program,
    evaluator
  }
}

/** A crash in the extractor on hostile input must not take the review down: it becomes an error entry. */
function guarded<T>(program: SourceProgram, location: IntegrationLocation, run: () => T): T | undefined {
  try {
    return run()
  } catch (error) {
    const message =
      error instanceof RangeError ? 'input too deeply nested to analyse' : error instanceof Error ? error.message : String(error)
    program.errors.push({ path: location.entryPath, message: `the model could not be extracted: ${message}` })
    return undefined
  }
}

/** Segment's loader takes `module.destination || module.default`. */
function evaluateDefinitionExport(evaluator: StaticEvaluator, entryPath: string): StaticValue {
  const named = evaluator.evaluateExportIfPresent(entryPath, 'destination')
  if (named !== undefined && !(named instanceof Unresolved && named.reason.startsWith('circular'))) {
    // A present but falsy `destination` export falls through to the default export, as `||` does.
    if (!(named === null || named === false || named === 0 || named === '')) return named
  }
  return evaluator.evaluateExport(entryPath, 'default')
}
