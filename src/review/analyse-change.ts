// Runs the rules over a change: the integrations it touches, modelled at head and base.
// Pure and synchronous: file sources in, raw findings out. Config, waivers, fingerprints
// and readiness are applied on top of this by the review.
import {
  integrationOfPath,
  integrationsTouchedBy,
  discoverIntegrations,
  type IntegrationLocation
} from '../discover/discover-integrations.js'
import { DEFAULT_LAYOUTS, type IntegrationLayout } from '../discover/integration-layouts.js'
import { extractIntegration, type IntegrationModel } from '../model/extract-integration.js'
import { loadedModules } from '../model/module-mutations.js'
import { DEFAULT_MODEL_LIMITS, ParseCache, SourceProgram, type ModelLimits } from '../model/source-program.js'
import type { FileSource } from '../source/file-source.js'
import { changedPathsBetween } from '../source/changed-paths.js'
import { filesUnder } from '../source/sorted-paths.js'
import { loadSegmentSpec } from '../spec/segment-spec.js'
import { mergeSharedCauses } from './merge-shared-causes.js'
import type { IntegrationStatus, PullRequestInfo, RawFinding, RemovedIntegration, Rule } from '../rules/rule.js'
import { registryAnchor, registryChanges, type RegistryChange } from '../discover/destination-registry.js'
import { timed } from '../phase-timing.js'
import { ruleAppliesToKind } from '../rules/rule-applies-to-kind.js'

export interface ChangeInput {
  head: FileSource
  /** Absent when reviewing a tree on its own (every integration counts as new and wholly changed). */
  base?: FileSource
  /** Paths the change touches; computed from the two sources when absent. */
  changedPaths?: readonly string[]
  /** Restrict the review to these integration folders. */
  integrationPaths?: readonly string[]
  pullRequest: PullRequestInfo
  rules: readonly Rule[]
  layouts?: IntegrationLayout[]
  limits?: ModelLimits
  /** Status by integration slug (folder name); an integration missing from base is `new`. */
  statusOf?: (integration: IntegrationLocation, existsOnBase: boolean, head: IntegrationModel) => IntegrationStatus
  /** Shared between runs over the same revisions (the review runs the rules on base too). */
  cache?: ParseCache
  /** Asked before each integration; true stops the analysis there (time budget). */
  outOfTime?: () => boolean
  /** Models already extracted, by revision and folder (the review models the base twice otherwise). */
  models?: ModelCache
}

/** Integration models by revision and folder, so runs over the same revisions extract each once. */
export class ModelCache {
  private readonly bySource = new WeakMap<FileSource, Map<string, IntegrationModel>>()

  get(source: FileSource, location: IntegrationLocation, extract: () => IntegrationModel): IntegrationModel {
    let models = this.bySource.get(source)
    if (!models) {
      models = new Map()
      this.bySource.set(source, models)
    }
    let model = models.get(location.path)
    if (!model) {
      model = extract()
      models.set(location.path, model)
    }
    return model
  }
}

export interface RuleFinding extends RawFinding {
  ruleId: string
  /** The integration folder, or undefined for pull-request-wide findings. */
  integration: string | undefined
}

export interface AnalysedIntegration {
  location: IntegrationLocation
  head: IntegrationModel
  base: IntegrationModel | undefined
  status: IntegrationStatus
}

export interface ChangeAnalysis {
  integrations: AnalysedIntegration[]
  findings: RuleFinding[]
  changedPaths: readonly string[]
  /** Rules that threw: reported, never fatal. */
  ruleFailures: Array<{ ruleId: string; integration: string | undefined; message: string }>
  /** Integrations not analysed because `outOfTime` said so. */
  skippedIntegrations: string[]
}

export { changedPathsBetween } from '../source/changed-paths.js'

export function analyseChange(input: ChangeInput): ChangeAnalysis {
  const layouts = input.layouts ?? DEFAULT_LAYOUTS
  const changedPaths = input.changedPaths ?? (input.base ? changedPathsBetween(input.head, input.base) : input.head.listFiles())
  const headIntegrations = new Map(
    timed('discover', () => discoverIntegrations(input.head, layouts)).map((location) => [location.path, location])
  )
  const baseIntegrations = input.base
    ? new Map(timed('discover', () => discoverIntegrations(input.base!, layouts)).map((location) => [location.path, location]))
    : new Map<string, IntegrationLocation>()
  // The head's own location: its entry is the one that exists (a source's entry may be any of several files).
  let touched = integrationsTouchedBy(changedPaths, layouts).flatMap((location) => headIntegrations.get(location.path) ?? [])
  if (input.integrationPaths && input.integrationPaths.length > 0) {
    const wanted = new Set(input.integrationPaths)
    touched = [...headIntegrations.values()].filter((location) => wanted.has(location.path))
  }
  const cache = input.cache ?? new ParseCache()
  const models = input.models ?? new ModelCache()
  const limits = input.limits ?? DEFAULT_MODEL_LIMITS
  const registries = input.base ? registryChanges(input.head, input.base, changedPaths, layouts) : []
  if (!(input.integrationPaths && input.integrationPaths.length > 0)) {
    touched = [
      ...touched,
      ...integrationsReachingSharedChanges(input.head, changedPaths, layouts, headIntegrations, touched, cache, limits)
    ]
    // A change to the registry alone reviews the destinations it registers or unregisters.
    const touchedPaths = new Set(touched.map((location) => location.path))
    for (const change of registries) {
      for (const folder of [...change.registered, ...change.unregistered]) {
        const location = headIntegrations.get(folder)
        if (location && !touchedPaths.has(folder)) {
          touched.push(location)
          touchedPaths.add(folder)
        }
      }
    }
  }
  const removedIntegrations = input.base
    ? removedBy(input.base, changedPaths, layouts, headIntegrations, baseIntegrations, registries, (location) => {
        const baseSource = input.base as FileSource
        const base = models.get(baseSource, location, () => extractIntegration(baseSource, location, { cache, limits }))
        return { base, status: input.statusOf?.(location, true, base) ?? 'public' }
      })
    : []
  const spec = loadSegmentSpec()
  const findings: RuleFinding[] = []
  const ruleFailures: ChangeAnalysis['ruleFailures'] = []
  const integrations: AnalysedIntegration[] = []
  const skippedIntegrations: string[] = []

  const run = (rule: Rule, integration: string | undefined, check: () => RawFinding[]) => {
    try {
      for (const finding of mergeSharedCauses(timed(`rule ${rule.id}`, check))) findings.push({ ...finding, ruleId: rule.id, integration })
    } catch (error) {
      ruleFailures.push({ ruleId: rule.id, integration, message: error instanceof Error ? error.message : String(error) })
    }
  }

  for (const location of touched) {
    if (input.outOfTime?.()) {
      skippedIntegrations.push(location.path)
      continue
    }
    const head = models.get(input.head, location, () => timed('model', () => extractIntegration(input.head, location, { cache, limits })))
    const baseLocation = baseIntegrations.get(location.path)
    const baseSource = input.base
    const base =
      baseLocation && baseSource
        ? models.get(baseSource, baseLocation, () => timed('model', () => extractIntegration(baseSource, baseLocation, { cache, limits })))
        : undefined
    const status = input.statusOf?.(location, base !== undefined, head) ?? (base ? 'public' : 'new')
    integrations.push({ location, head, base, status })
    const integrationFiles = filesUnder(input.head.listFiles(), location.path)
    for (const rule of input.rules) {
      if (rule.scope !== 'integration' || !ruleAppliesToKind(rule, location.kind)) continue
      run(rule, location.path, () =>
        rule.check({
          integration: location,
          head,
          base,
          headSource: input.head,
          baseSource: input.base,
          changedPaths,
          integrationFiles,
          parse: (path) => head.program.getFile(path),
          pullRequest: input.pullRequest,
          status,
          spec
        })
      )
    }
  }

  const pullRequestProgram = new SourceProgram(input.head, limits, cache)
  for (const rule of input.rules) {
    if (rule.scope !== 'pull-request') continue
    run(rule, undefined, () =>
      rule.check({
        headSource: input.head,
        baseSource: input.base,
        changedPaths,
        integrations: touched,
        removedIntegrations,
        unreadableRegistries: registries.flatMap((change) => (change.unreadable ? [{ path: change.path, reason: change.unreadable }] : [])),
        parse: (path) => pullRequestProgram.getFile(path),
        pullRequest: input.pullRequest,
        spec
      })
    )
  }
  return { integrations, findings, changedPaths, ruleFailures, skippedIntegrations }
}

/**
 * Integrations of the base revision the change takes away: a folder deleted (its entry file is
 * gone from head), or a registration dropped from the registry while the folder stays.
 */
function removedBy(
  base: FileSource,
  changedPaths: readonly string[],
  layouts: IntegrationLayout[],
  headIntegrations: Map<string, IntegrationLocation>,
  baseIntegrations: Map<string, IntegrationLocation>,
  registries: readonly RegistryChange[],
  model: (location: IntegrationLocation) => { base: IntegrationModel; status: IntegrationStatus }
): RemovedIntegration[] {
  const removed: RemovedIntegration[] = []
  const anchorOf = (folderPath: string): RemovedIntegration['anchor'] => {
    const registry = registries.find((change) => folderPath.startsWith(`${change.path.slice(0, change.path.lastIndexOf('/'))}/`))
    if (!registry || registry.head.length === 0) return undefined
    return { path: registry.path, line: registryAnchor(registry.head, registry.base, folderPath.slice(folderPath.lastIndexOf('/') + 1)) }
  }
  const unregistered = new Set(registries.flatMap((change) => change.unregistered))
  const candidates = new Map<string, IntegrationLocation>()
  for (const location of integrationsTouchedBy(changedPaths, layouts)) candidates.set(location.path, location)
  for (const folder of unregistered) {
    const location = baseIntegrations.get(folder)
    if (location) candidates.set(folder, location)
  }
  for (const location of [...candidates.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const baseLocation = baseIntegrations.get(location.path)
    if (!baseLocation || !base.readFile(baseLocation.entryPath)) continue
    const deleted = !headIntegrations.has(location.path)
    if (!deleted && !unregistered.has(location.path)) continue
    const anchor = anchorOf(location.path)
    removed.push({
      location: baseLocation,
      ...model(baseLocation),
      how: deleted ? 'deleted' : 'unregistered',
      ...(anchor ? { anchor } : {})
    })
  }
  return removed
}

/**
 * A change to shared code outside every integration folder (a fields module in
 * `packages/actions-shared`, a helper in `src/lib`) changes each integration that loads it:
 * those are reviewed too, so a field made required there is not missed.
 */
function integrationsReachingSharedChanges(
  head: FileSource,
  changedPaths: readonly string[],
  layouts: IntegrationLayout[],
  headIntegrations: Map<string, IntegrationLocation>,
  alreadyTouched: readonly IntegrationLocation[],
  cache: ParseCache,
  limits: ModelLimits
): IntegrationLocation[] {
  const shared = new Set(changedPaths.filter((path) => !integrationOfPath(path, layouts) && /\.(ts|tsx|js|mjs|cjs|json)$/.test(path)))
  if (shared.size === 0) return []
  const touchedPaths = new Set(alreadyTouched.map((location) => location.path))
  const reaching: IntegrationLocation[] = []
  for (const location of headIntegrations.values()) {
    if (touchedPaths.has(location.path)) continue
    const program = new SourceProgram(head, limits, cache)
    if (loadedModules(program, location.entryPath).some((file) => shared.has(file.path))) reaching.push(location)
  }
  return reaching
}
