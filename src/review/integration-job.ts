// One integration's share of a review: its models at head and on the base revision, the rules
// over head, and the same rules over the base (what already existed before the change). Jobs are
// independent of each other, so a review runs them in this thread or in worker threads
// (`job-threads.ts`); what a job returns is plain data either way.
import type { IntegrationLocation } from '../discover/discover-integrations.js'
import { extractIntegration, type IntegrationModel } from '../model/extract-integration.js'
import { ParseCache, SourceProgram, type ModelError, type ModelLimits } from '../model/source-program.js'
import type { UnresolvedEntry, JsonObject } from '../model/serialize-metadata.js'
import type { IntegrationStatus, PullRequestInfo, RawFinding, Rule } from '../rules/rule.js'
import { ruleAppliesToKind } from '../rules/rule-applies-to-kind.js'
import type { FileSource } from '../source/file-source.js'
import { filesUnder } from '../source/sorted-paths.js'
import { isCodePath } from '../rules/support/integration-source-files.js'
import type { SegmentSpec } from '../spec/segment-spec.js'
import { timed } from '../phase-timing.js'
import { mergeSharedCauses } from './merge-shared-causes.js'

export interface IntegrationJob {
  location: IntegrationLocation
  /** The integration as the base revision's own discovery found it; absent when it is new. */
  baseLocation?: IntegrationLocation
}

/** What the review keeps of a model once the rules have run: plain data, small. */
interface ModelSummary {
  location: IntegrationLocation
  metadata: JsonObject | null
  unresolved: UnresolvedEntry[]
  errors: ModelError[]
}

export interface AnalysedIntegration {
  location: IntegrationLocation
  head: ModelSummary
  base: ModelSummary | undefined
  status: IntegrationStatus
}

export interface RuleFinding extends RawFinding {
  ruleId: string
  /** The integration folder, or undefined for pull-request-wide findings. */
  integration: string | undefined
}

export interface RuleFailure {
  ruleId: string
  integration: string | undefined
  message: string
}

/** Statuses the config gives, by slug, folder name or folder path (`integrations:` in the config). */
export type ConfiguredStatuses = Readonly<Record<string, { status: IntegrationStatus }>>

/** The same for every job of a review, and plain data, so a worker thread receives it as is. */
export interface JobSettings {
  changedPaths: readonly string[]
  pullRequest: PullRequestInfo
  limits: ModelLimits
  configuredStatuses: ConfiguredStatuses
  /** Run the integration rules over the base revision too, so findings it already had count as existing. */
  compareWithBase: boolean
}

export interface JobContext extends JobSettings {
  head: FileSource
  base: FileSource | undefined
  rules: readonly Rule[]
  spec: SegmentSpec
  /** Shared by the jobs of one thread: a file the same at base and head, or shared code, is parsed once. */
  cache: ParseCache
  /** Asked before each revision of a job; true stops there (the review's time budget). */
  outOfTime: () => boolean
}

export interface IntegrationJobResult {
  /** Absent when the review ran out of time before this job began. */
  analysed?: AnalysedIntegration
  findings: RuleFinding[]
  ruleFailures: RuleFailure[]
  /** What the same rules say about the base revision; absent when not compared. */
  baseFindings?: RuleFinding[]
  /** True when the comparison with the base was wanted but the time budget ran out first. */
  baseSkipped: boolean
  /** Integrations whose status the config does not give and that exist on the base (judged as Public). */
  statusUnknown: string[]
}

/** An integration's status: the configured one, `new` when the base lacks it, else unknown (judged as Public). */
export function integrationStatus(
  configured: ConfiguredStatuses,
  location: IntegrationLocation,
  existsOnBase: boolean,
  model: Pick<IntegrationModel, 'metadata'> | undefined
): { status: IntegrationStatus; unknown: boolean } {
  const slug = typeof model?.metadata?.slug === 'string' ? model.metadata.slug : undefined
  for (const key of [slug, location.folder, location.path]) {
    if (key !== undefined && Object.prototype.hasOwnProperty.call(configured, key))
      return { status: configured[key].status, unknown: false }
  }
  if (!existsOnBase) return { status: 'new', unknown: false }
  return { status: 'public', unknown: true }
}

function summarizeModel(model: IntegrationModel): ModelSummary {
  return { location: model.location, metadata: model.metadata, unresolved: model.unresolved, errors: model.errors }
}

export function runIntegrationJob(context: JobContext, job: IntegrationJob): IntegrationJobResult {
  const result: IntegrationJobResult = { findings: [], ruleFailures: [], baseSkipped: false, statusUnknown: [] }
  if (context.outOfTime()) return result
  const { location, baseLocation } = job
  // The integration's own files are parsed for this job alone (head and base share them); code
  // outside its folder is shared with the other jobs of the thread.
  const inside = [`${location.path}/`, ...(baseLocation ? [`${baseLocation.path}/`] : [])]
  const cache = new ParseCache({ cache: context.cache, keeps: (path) => !inside.some((prefix) => path.startsWith(prefix)) })
  // Every code file of the integration is read and parsed (the model reaches what it loads,
  // structure/parse-error the rest). Reading them all, then parsing them all, before the model
  // runs measured cheaper than doing both file by file as each is reached (see parseAhead).
  const integrationFiles = filesUnder(context.head.listFiles(), location.path)
  const codeFiles = integrationFiles.filter(isCodePath)
  context.head.prefetch?.(codeFiles, context.limits.maxFileBytes)
  parseAhead(context.head, codeFiles, cache, context.limits)
  if (context.compareWithBase && baseLocation && context.base)
    context.base.prefetch?.(filesUnder(context.base.listFiles(), baseLocation.path).filter(isCodePath), context.limits.maxFileBytes)
  const extract = (source: FileSource, at: IntegrationLocation) =>
    timed('model', () => extractIntegration(source, at, { cache, limits: context.limits }))
  const head = extract(context.head, location)
  const base = baseLocation && context.base ? extract(context.base, baseLocation) : undefined
  const headStatus = integrationStatus(context.configuredStatuses, location, base !== undefined, head)
  if (headStatus.unknown) result.statusUnknown.push(location.path)
  result.analysed = { location, head: summarizeModel(head), base: base && summarizeModel(base), status: headStatus.status }
  for (const rule of context.rules) {
    if (rule.scope !== 'integration' || !ruleAppliesToKind(rule, location.kind)) continue
    runRule(rule, location.path, result.findings, result.ruleFailures, () =>
      rule.check({
        integration: location,
        head,
        base,
        headSource: context.head,
        baseSource: context.base,
        changedPaths: context.changedPaths,
        integrationFiles,
        parse: (path) => head.program.getFile(path),
        pullRequest: context.pullRequest,
        status: headStatus.status,
        spec: context.spec
      })
    )
  }

  if (!context.compareWithBase || !base || !baseLocation || !context.base) return result
  if (context.outOfTime()) {
    result.baseSkipped = true
    return result
  }
  // The base as an unchanged revision of its own: findings about the change itself (a changed
  // action without a test, a compatibility break, the pull request's body) cannot occur there.
  const baseSource = context.base
  const baseStatus = integrationStatus(context.configuredStatuses, baseLocation, true, base)
  if (baseStatus.unknown) result.statusUnknown.push(baseLocation.path)
  const baseFiles = filesUnder(baseSource.listFiles(), baseLocation.path)
  const baseFindings: RuleFinding[] = []
  for (const rule of context.rules) {
    if (rule.scope !== 'integration' || !ruleAppliesToKind(rule, baseLocation.kind)) continue
    // Failures on the base are not the change's: its findings simply count as new.
    runRule(rule, baseLocation.path, baseFindings, [], () =>
      rule.check({
        integration: baseLocation,
        head: base,
        base,
        headSource: baseSource,
        baseSource,
        changedPaths: [],
        integrationFiles: baseFiles,
        parse: (path) => base.program.getFile(path),
        pullRequest: { ...context.pullRequest, body: undefined },
        status: baseStatus.status,
        spec: context.spec
      })
    )
  }
  result.baseFindings = baseFindings
  return result
}

/**
 * Parses files into the job's cache, so the model and the rules find them parsed. The program
 * here is a throwaway: the model's own program reads the same texts and trees from the caches and
 * records their errors itself (sizes over the limit, unreadable files, syntax errors).
 */
function parseAhead(source: FileSource, paths: readonly string[], cache: ParseCache, limits: ModelLimits): void {
  const program = new SourceProgram(source, limits, cache)
  for (const path of paths) program.getFile(path)
}

/** Runs one rule; a rule that throws is reported, never fatal. */
export function runRule(
  rule: Rule,
  integration: string | undefined,
  findings: RuleFinding[],
  failures: RuleFailure[],
  check: () => RawFinding[]
): void {
  try {
    for (const finding of mergeSharedCauses(timed(`rule ${rule.id}`, check))) findings.push({ ...finding, ruleId: rule.id, integration })
  } catch (error) {
    failures.push({ ruleId: rule.id, integration, message: error instanceof Error ? error.message : String(error) })
  }
}
