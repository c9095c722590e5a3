// The review: runs the rules over a change (and over its base, to tell new findings from old),
// then applies config, author trust, inline suppressions and waivers, and computes readiness.
// Pure and synchronous apart from an optional clock for the time budget.
import { integrationOfPath } from '../discover/discover-integrations.js'
import type { ReviewConfig } from '../config/review-config.js'
import { closestIds } from '../config/closest-ids.js'
import { DEFAULT_MODEL_LIMITS, formatBytes } from '../model/source-program.js'
import { ALL_RULES } from '../rules/all-rules.js'
import type { IntegrationStatus, PullRequestInfo, Rule, Severity, Stage } from '../rules/rule.js'
import { normalizeRepoPath, type FileSource } from '../source/file-source.js'
import { analyseChange, changedPathsBetween, type AnalysedIntegration, type RuleFinding } from './analyse-change.js'
import { epochNow } from './job-thread-protocol.js'
import { fingerprintFindings } from './fingerprint.js'
import { timed } from '../phase-timing.js'
import type { Finding, IntegrationReview, Readiness, Review } from './review-schema.js'
import {
  findSuppressionComments,
  isScannableSource,
  partitionSuppressions,
  type SuppressionComment
} from '../rules/support/suppression-comments.js'
import { unanalysedFindings, type UnanalysedFile } from './unanalysed-files.js'

/** A reviewer's decision to accept a finding; matches by rule id, and by path and line when given. */
export interface Waiver {
  ruleId: string
  path?: string
  line?: number
  reason: string
  by: string
  at: string
}

export interface ReviewInput {
  head: FileSource
  base?: FileSource
  changedPaths?: readonly string[]
  config: ReviewConfig
  pullRequest: PullRequestInfo
  waivers?: Waiver[]
  integrationPaths?: readonly string[]
  /** Defaults to every rule. */
  rules?: readonly Rule[]
  /** Errors found while reading the config, carried into the report. */
  configErrors?: readonly string[]
  /** Milliseconds since some origin; defaults to `performance.now`. Only the time budget reads it. */
  clock?: () => number
  /** Files the caller could not load (limits, read errors): each blocks its integration (fail closed). */
  unanalysed?: readonly UnanalysedFile[]
  /**
   * Threads to split the integrations across, this one included (the CLI gives the machine's
   * cores). Used when both revisions are local (a directory, a git commit) and there are enough
   * integrations; the report is the same either way.
   */
  threads?: number
}

const STAGES: readonly Stage[] = ['private-beta', 'public']
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

export function runReview(input: ReviewInput): Review {
  const { config } = input
  const clock = input.clock ?? (() => performance.now())
  const started = clock()
  const outOfTime = () => clock() - started > config.limits.maxReviewMs
  const allRules = input.rules ?? ALL_RULES
  const rules = allRules.filter((rule) => config.rules[rule.id] !== 'off')
  const rulesById = new Map(allRules.map((rule) => [rule.id, rule]))
  const skipped: string[] = []
  const unanalysed: UnanalysedFile[] = [...(input.unanalysed ?? [])]

  const changedPaths = reviewedPaths(input, config, skipped, unanalysed)
  const limits = { ...DEFAULT_MODEL_LIMITS, maxFileBytes: config.limits.maxFileBytes }
  // Threads only on the review's own clock: a worker cannot ask a clock given by the caller (tests).
  const threads = input.threads !== undefined && input.threads > 1 && !input.clock ? input.threads : 1

  const headAnalysis = analyseChange({
    head: input.head,
    base: input.base,
    changedPaths,
    integrationPaths: input.integrationPaths,
    pullRequest: input.pullRequest,
    rules,
    layouts: config.layouts,
    limits,
    configuredStatuses: config.integrations,
    // What the same rules say about the base as an unchanged revision already exists.
    compareWithBase: input.base !== undefined,
    outOfTime,
    threads: threads > 1 ? { count: threads, deadline: epochNow() - clock() + started + config.limits.maxReviewMs } : undefined
  })
  for (const path of headAnalysis.skippedIntegrations) {
    skipped.push(`${path}: not reviewed, the review ran past its time limit of ${config.limits.maxReviewMs} ms`)
    unanalysed.push({
      path: null,
      reason: `\`${path}\` was not reviewed at all: the review ran past its time limit of ${config.limits.maxReviewMs} ms`
    })
  }
  for (const path of headAnalysis.uncomparedIntegrations)
    skipped.push(`${path}: not compared with the base revision (time limit), so all its findings count as new`)
  const unknownStatus = new Set(headAnalysis.statusUnknown)

  // Findings about the change itself (a changed action without a test, a compatibility break, the
  // pull request as a whole) cannot occur on the base, so they stay new.
  const existingFingerprints = new Set<string>()
  if (input.base && headAnalysis.baseFindings.length > 0)
    for (const fingerprint of fingerprintFindings(headAnalysis.baseFindings, input.base)) existingFingerprints.add(fingerprint)

  const integrationByPath = new Map(headAnalysis.integrations.map((analysed) => [analysed.location.path, analysed]))
  const attributed = headAnalysis.findings.map((finding) => attribute(finding, integrationByPath, config))
  const fingerprints = timed('fingerprints', () => fingerprintFindings(attributed, input.head))
  const suppressions = new SuppressionIndex(input.head, input.base)
  const waivers = input.waivers ?? []

  const findings: Finding[] = []
  attributed.forEach((raw, index) => {
    const rule = rulesById.get(raw.ruleId)
    if (!rule) return
    const integration = raw.integration === undefined ? undefined : integrationByPath.get(raw.integration)
    const severities = stageSeverities(rule, raw.severity, config, input.pullRequest, integration?.status)
    const severity = highest(severities)
    const fingerprint = fingerprints[index]
    const status = existingFingerprints.has(fingerprint) ? 'existing' : 'new'
    const waiver = waivers.find((candidate) => waiverMatches(candidate, raw))
    const suppressed = suppressions.covers(raw.path, raw.line, raw.ruleId)
    const counts = status === 'new' || (integration !== undefined && integration.base === undefined)
    const blocks = counts && !waiver && !suppressed ? STAGES.filter((stage) => severities[stage] === 'error') : []
    if (blocks.includes('private-beta') && !blocks.includes('public')) blocks.push('public')
    findings.push({
      ruleId: raw.ruleId,
      severity,
      message: raw.message,
      integration: raw.integration ?? null,
      path: raw.path,
      line: Math.max(1, Math.trunc(raw.line) || 1),
      column: Math.max(1, Math.trunc(raw.column ?? 1) || 1),
      fingerprint,
      status,
      blocks,
      ...(waiver ? { waived: { by: waiver.by, reason: waiver.reason, at: waiver.at } } : {}),
      ...(suppressed ? { suppressed: true } : {})
    })
  })
  // Fail closed: what was not analysed blocks the integration it belongs to (or the whole change).
  for (const model of headAnalysis.integrations) {
    for (const error of model.head.errors)
      if (error.message.startsWith('file not analysed'))
        unanalysed.push({ path: error.path, reason: error.message.replace(/^file not analysed: /, '') })
  }
  // Asked last: the source learns what it could not read while the review reads it (in every thread).
  const unreadable = new Map(
    [...(input.head.unreadableFiles?.() ?? []), ...headAnalysis.unreadableInThreads].map((file) => [file.path, file])
  )
  unanalysed.push(...unreadable.values())
  const reviewedIntegrations = new Set([...integrationByPath.keys(), ...headAnalysis.skippedIntegrations])
  for (const raw of unanalysedFindings(unanalysed, reviewedIntegrations, changedPaths, config.layouts)) {
    const waiver = waivers.find((candidate) => waiverMatches(candidate, raw))
    findings.push({
      ...raw,
      severity: 'error',
      column: 1,
      status: 'new',
      blocks: waiver ? [] : [...STAGES],
      ...(waiver ? { waived: { by: waiver.by, reason: waiver.reason, at: waiver.at } } : {})
    })
  }
  findings.sort(compareFindings)

  const hints = statusHints(input.pullRequest)
  const integrations = headAnalysis.integrations.map((analysed) => {
    const reviewed = integrationReview(analysed, findings)
    return unknownStatus.has(analysed.location.path)
      ? { ...reviewed, statusUnknown: true, ...(hints.length > 0 ? { statusHints: hints } : {}) }
      : reviewed
  })
  return {
    integrations,
    findings,
    changedPaths: [...changedPaths],
    skipped: [...skipped, ...modelSkips(headAnalysis.integrations)],
    ruleFailures: headAnalysis.ruleFailures.map((failure) => ({ ...failure, integration: failure.integration ?? null })),
    configErrors: [...(input.configErrors ?? [])],
    suppressionErrors: timed('suppression comments', () =>
      suppressions.problems(changedPaths, new Set(ALL_RULES.map((rule) => rule.id).concat(allRules.map((rule) => rule.id))))
    )
  }
}

const PRIVATE_BETA = /private[\s_-]*beta/i

/**
 * What the pull request says about the status, for people: a title or a label mentioning Private
 * Beta. Only shown as a hint; the title and labels are the author's words, not configuration.
 */
export function statusHints(pullRequest: PullRequestInfo): string[] {
  const hints: string[] = []
  if (pullRequest.title !== undefined && PRIVATE_BETA.test(pullRequest.title.slice(0, 1000))) hints.push('the title mentions Private Beta')
  for (const label of pullRequest.labels ?? []) {
    if (PRIVATE_BETA.test(label.slice(0, 200))) hints.push(`the label \`${label.slice(0, 50).replace(/`/g, "'")}\` mentions Private Beta`)
  }
  return hints.slice(0, 3)
}

/**
 * Whether the review holds the change back: at `stage` when given (the CLI: by default anything
 * that blocks Public), else at the stage each integration is heading for (the check run).
 */
export function reviewBlocks(review: Review, stage?: Stage): boolean {
  if (stage) return review.findings.some((finding) => finding.blocks.includes(stage))
  if (review.integrations.some((integration) => !meetsTarget(integration))) return true
  // A finding about the pull request as a whole that blocks even Private Beta holds everything back.
  return review.findings.some((finding) => finding.integration === null && finding.blocks.includes('private-beta'))
}

/** A new integration is heading for Private Beta; one in Private Beta or Public must hold for Public. */
export function targetStage(integration: Pick<IntegrationReview, 'status'>): Stage {
  return integration.status === 'new' ? 'private-beta' : 'public'
}

function meetsTarget(integration: IntegrationReview): boolean {
  return integration.blocking[targetStage(integration)].length === 0
}

/** Severity of a finding at each stage its rule gates, after the finding's, the config's and author trust's say. */
function stageSeverities(
  rule: Rule,
  findingSeverity: Severity | undefined,
  config: ReviewConfig,
  pullRequest: PullRequestInfo,
  status: IntegrationStatus | undefined
): Partial<Record<Stage, Severity>> {
  const severities: Partial<Record<Stage, Severity>> = { ...rule.stages }
  // A rule that gates Private Beta gates Public too.
  if (severities.public === undefined && severities['private-beta'] !== undefined) severities.public = severities['private-beta']
  if (Object.keys(severities).length === 0) severities['private-beta'] = severities.public = 'info'
  const replace = (severity: Severity) => {
    for (const stage of STAGES) if (severities[stage] !== undefined) severities[stage] = severity
  }
  if (findingSeverity) replace(findingSeverity)
  const configured = config.rules[rule.id]
  if (configured && configured !== 'off') replace(configured)
  if (rule.who === 'partner' && !pullRequest.authorIsPartner) replace('info')
  // Compatibility only matters once customers can use the integration.
  if (rule.category === 'compat' && status === 'new') replace('info')
  return severities
}

function highest(severities: Partial<Record<Stage, Severity>>): Severity {
  let best: Severity = 'info'
  for (const stage of STAGES) {
    const severity = severities[stage]
    if (severity && SEVERITY_RANK[severity] > SEVERITY_RANK[best]) best = severity
  }
  return best
}

function waiverMatches(waiver: Waiver, finding: Pick<RuleFinding, 'ruleId' | 'path' | 'line'>): boolean {
  if (waiver.ruleId !== finding.ruleId) return false
  if (waiver.path !== undefined && normalizeRepoPath(waiver.path) !== finding.path) return false
  if (waiver.line !== undefined && waiver.line !== finding.line) return false
  return true
}

/** A pull-request-wide finding on a file inside a reviewed integration belongs to that integration. */
function attribute(finding: RuleFinding, integrations: Map<string, AnalysedIntegration>, config: ReviewConfig): RuleFinding {
  if (finding.integration !== undefined) return finding
  const location = integrationOfPath(finding.path, config.layouts)
  return location && integrations.has(location.path) ? { ...finding, integration: location.path } : finding
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.integration ?? '').localeCompare(b.integration ?? '') ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.path.localeCompare(b.path) ||
    a.line - b.line ||
    a.column - b.column ||
    a.ruleId.localeCompare(b.ruleId)
  )
}

function integrationReview(analysed: AnalysedIntegration, findings: readonly Finding[]): IntegrationReview {
  const { location, head } = analysed
  const relevant = findings.filter((finding) => finding.integration === location.path || finding.integration === null)
  const blocking = {
    'private-beta': relevant.filter((finding) => finding.blocks.includes('private-beta')).map((finding) => finding.fingerprint),
    public: relevant.filter((finding) => finding.blocks.includes('public')).map((finding) => finding.fingerprint)
  }
  const readiness: Readiness =
    blocking['private-beta'].length > 0 ? 'blocked' : blocking.public.length > 0 ? 'ready-for-private-beta' : 'ready-for-public'
  const metadata = head.metadata
  return {
    path: location.path,
    kind: location.kind,
    slug: typeof metadata?.slug === 'string' ? metadata.slug : location.folder,
    name: typeof metadata?.name === 'string' ? metadata.name : location.folder,
    status: analysed.status,
    existsOnBase: analysed.base !== undefined,
    readiness,
    blocking,
    unresolved: head.unresolved,
    errors: head.errors
  }
}

/**
 * The paths the review treats as changed. A change (explicit paths, or a base to compare with) is
 * held to the file-count and size limits. A tree reviewed on its own, as the CLI does without a
 * base, is the user's own choice: all of it, or the files of the integrations asked for.
 */
function reviewedPaths(input: ReviewInput, config: ReviewConfig, skipped: string[], unanalysed: UnanalysedFile[]): string[] {
  if (input.changedPaths) return limitChangedPaths([...input.changedPaths], input.head, config, skipped, unanalysed)
  if (input.base) return limitChangedPaths(changedPathsBetween(input.head, input.base), input.head, config, skipped, unanalysed)
  const files = input.head.listFiles()
  if (!input.integrationPaths || input.integrationPaths.length === 0) return [...files]
  const prefixes = input.integrationPaths.map((path) => `${normalizeRepoPath(path)}/`)
  return files.filter((path) => prefixes.some((prefix) => path.startsWith(prefix)))
}

/** Drops changed paths past the file-count and total-size limits, saying so. */
function limitChangedPaths(
  paths: string[],
  head: FileSource,
  config: ReviewConfig,
  skipped: string[],
  unanalysed: UnanalysedFile[]
): string[] {
  const { maxFiles, maxTotalBytes } = config.limits
  let kept = paths
  if (kept.length > maxFiles) {
    skipped.push(`${kept.length - maxFiles} of ${kept.length} changed files not reviewed: the limit is ${maxFiles} files`)
    for (const path of kept.slice(maxFiles)) unanalysed.push({ path, reason: `past the limit of ${maxFiles} changed files`, changed: true })
    kept = kept.slice(0, maxFiles)
  }
  let total = 0
  for (let index = 0; index < kept.length; index++) {
    total += head.fileSize?.(kept[index]) ?? 0
    if (total > maxTotalBytes) {
      skipped.push(
        `${kept.length - index} changed files not reviewed: together the changed files exceed the limit of ${formatBytes(maxTotalBytes)}`
      )
      for (const path of kept.slice(index))
        unanalysed.push({ path, reason: `past the limit of ${formatBytes(maxTotalBytes)} for all changed files`, changed: true })
      return kept.slice(0, index)
    }
  }
  return kept
}

/** Files the model left out because of the size limit. */
function modelSkips(integrations: readonly AnalysedIntegration[]): string[] {
  const skips: string[] = []
  for (const analysed of integrations) {
    for (const error of analysed.head.errors)
      if (error.message.startsWith('file not analysed')) skips.push(`${error.path}: ${error.message}`)
  }
  return skips
}

/** The suppression comments of the head revision, split into those the base already had and new ones. */
class SuppressionIndex {
  private readonly byPath = new Map<string, { existing: SuppressionComment[]; added: SuppressionComment[] }>()

  constructor(
    private readonly head: FileSource,
    private readonly base: FileSource | undefined
  ) {}

  private of(path: string) {
    let entry = this.byPath.get(path)
    if (!entry) {
      const headText = isScannableSource(path) ? this.head.readFile(path) : undefined
      entry = headText === undefined ? { existing: [], added: [] } : partitionSuppressions(path, headText, this.base?.readFile(path))
      this.byPath.set(path, entry)
    }
    return entry
  }

  covers(path: string, line: number, ruleId: string): boolean {
    return this.of(path).existing.some(
      (comment) => comment.line === line - 1 && comment.reason !== undefined && comment.ruleIds.includes(ruleId)
    )
  }

  /** Suppressions in changed files that name no known rule or give no reason. */
  problems(changedPaths: readonly string[], knownIds: Set<string>): string[] {
    const problems: string[] = []
    for (const path of changedPaths) {
      if (!isScannableSource(path)) continue
      const text = this.head.readFile(path)
      if (text === undefined) continue
      for (const comment of findSuppressionComments(path, text)) {
        const where = `${path}:${comment.line}`
        if (comment.ruleIds.length === 0)
          problems.push(
            `${where}: suppression comment names no rule id; write "// integration-review-disable-next-line <rule-id> -- <reason>"`
          )
        for (const id of comment.ruleIds) {
          if (knownIds.has(id)) continue
          const suggestions = closestIds(id, [...knownIds])
          problems.push(
            `${where}: suppression comment names unknown rule id "${id}"${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}`
          )
        }
        if (comment.reason === undefined)
          problems.push(`${where}: suppression comment has no reason; add " -- <why this is safe>" or it suppresses nothing`)
      }
    }
    return problems
  }
}
