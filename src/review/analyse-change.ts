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
import { loadSegmentSpec } from '../spec/segment-spec.js'
import type { IntegrationStatus, PullRequestInfo, RemovedIntegration, Rule } from '../rules/rule.js'
import { registryAnchor, registryChanges, type RegistryChange } from '../discover/destination-registry.js'
import { timed } from '../phase-timing.js'
import {
  integrationStatus,
  runRule,
  type AnalysedIntegration,
  type ConfiguredStatuses,
  type JobContext,
  type JobSettings,
  type RuleFailure,
  type RuleFinding
} from './integration-job.js'
import { runJobs, type JobThreads } from './job-threads.js'

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
  /** Statuses the config gives; an integration it does not name is `new` when missing from base, else unknown (judged as Public). */
  configuredStatuses?: ConfiguredStatuses
  /** Also run the integration rules over the base revision, so findings it already had count as existing. */
  compareWithBase?: boolean
  /** Shared between runs over the same revisions. */
  cache?: ParseCache
  /** Asked before each integration; true stops the analysis there (time budget). */
  outOfTime?: () => boolean
  /**
   * Split the integrations across this many threads (this one included) when there are enough of
   * them and both revisions can be opened by another thread; 1 (the default) runs everything here.
   */
  threads?: JobThreads
}

export type { AnalysedIntegration, RuleFinding } from './integration-job.js'

export interface ChangeAnalysis {
  integrations: AnalysedIntegration[]
  findings: RuleFinding[]
  /** What the integration rules say about the base revision, when `compareWithBase` asked for it. */
  baseFindings: RuleFinding[]
  changedPaths: readonly string[]
  /** Rules that threw: reported, never fatal. */
  ruleFailures: RuleFailure[]
  /** Integrations not analysed because `outOfTime` said so. */
  skippedIntegrations: string[]
  /** Integrations analysed at head but not compared with the base revision (time budget). */
  uncomparedIntegrations: string[]
  /** Integrations judged as Public because the config gives no status and they exist on the base. */
  statusUnknown: string[]
  /** Files of the head revision that worker threads could not read (this thread's source reports its own). */
  unreadableInThreads: Array<{ path: string; reason: string }>
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
  const limits = input.limits ?? DEFAULT_MODEL_LIMITS
  const configuredStatuses = input.configuredStatuses ?? {}
  const outOfTime = input.outOfTime ?? (() => false)
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
  const statusUnknown: string[] = []
  const removedIntegrations = input.base
    ? removedBy(input.base, changedPaths, layouts, headIntegrations, baseIntegrations, registries, (location) => {
        const base = extractIntegration(input.base as FileSource, location, { cache, limits })
        const status = integrationStatus(configuredStatuses, location, true, base)
        if (status.unknown) statusUnknown.push(location.path)
        return { base, status: status.status }
      })
    : []
  const spec = loadSegmentSpec()
  const analysis: ChangeAnalysis = {
    integrations: [],
    findings: [],
    baseFindings: [],
    changedPaths,
    ruleFailures: [],
    skippedIntegrations: [],
    uncomparedIntegrations: [],
    statusUnknown,
    unreadableInThreads: []
  }

  const settings: JobSettings = {
    changedPaths,
    pullRequest: input.pullRequest,
    limits,
    configuredStatuses,
    compareWithBase: input.compareWithBase ?? false
  }
  const context: JobContext = { ...settings, head: input.head, base: input.base, rules: input.rules, spec, cache, outOfTime }
  const jobs = touched.map((location) => ({ location, baseLocation: baseIntegrations.get(location.path) }))
  const results = runJobs(jobs, context, input.threads)
  analysis.unreadableInThreads.push(...results.unreadableInThreads)
  results.results.forEach((result, index) => {
    const location = jobs[index].location
    analysis.statusUnknown.push(...result.statusUnknown)
    if (!result.analysed) {
      analysis.skippedIntegrations.push(location.path)
      return
    }
    analysis.integrations.push(result.analysed)
    analysis.findings.push(...result.findings)
    analysis.ruleFailures.push(...result.ruleFailures)
    if (result.baseFindings) analysis.baseFindings.push(...result.baseFindings)
    if (result.baseSkipped) analysis.uncomparedIntegrations.push(location.path)
  })

  const pullRequestProgram = new SourceProgram(input.head, limits, cache)
  for (const rule of input.rules) {
    if (rule.scope !== 'pull-request') continue
    runRule(rule, undefined, analysis.findings, analysis.ruleFailures, () =>
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
  return analysis
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
