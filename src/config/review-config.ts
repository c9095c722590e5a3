// The repository's `.github/integration-review.yml`: its zod schema, its defaults, and a parser
// that never throws — an invalid key is reported by name and replaced by its default.
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { DEFAULT_LAYOUTS, IntegrationLayoutSchema } from '../discover/integration-layouts.js'
import { ALL_RULES } from '../rules/all-rules.js'
import { IntegrationStatusSchema, SeveritySchema } from '../rules/rule.js'
import { closestIds } from './closest-ids.js'

export const CONFIG_PATH = '.github/integration-review.yml'

const RuleSettingSchema = z.union([z.literal('off'), SeveritySchema])

const LabelsSchema = z.strictObject({
  blocked: z.string().min(1).default('review: blocked'),
  readyForPrivateBeta: z.string().min(1).default('review: ready for private beta'),
  readyForPublic: z.string().min(1).default('review: ready for public'),
  releasePrivateBeta: z.string().min(1).default('release: private beta'),
  releasePublic: z.string().min(1).default('release: public')
})

const PathLabelSchema = z.strictObject({
  label: z.string().min(1),
  /** picomatch globs, repository-relative. */
  paths: z.array(z.string().min(1)).min(1)
})
export type PathLabel = z.infer<typeof PathLabelSchema>

/** Mirrors the labels Segment's own `compute-labels` workflow puts on pull requests. */
export const DEFAULT_PATH_LABELS: PathLabel[] = [
  { label: 'mode:cloud', paths: ['packages/destination-actions/**'] },
  { label: 'mode:device', paths: ['packages/browser-destinations/**'] },
  { label: 'mode:source', paths: ['sources/**', 'packages/sources/**'] },
  { label: 'actions:core', paths: ['packages/core/**'] }
]

const InternalSchema = z.strictObject({
  /** `org/team-slug` or `team-slug`. */
  teams: z.array(z.string().min(1)).default([]),
  users: z.array(z.string().min(1)).default([]),
  /** GitHub `author_association` values that count as internal. */
  authorAssociations: z.array(z.string().min(1)).default(['OWNER', 'MEMBER', 'COLLABORATOR'])
})

const ReviewersSchema = z.strictObject({
  teams: z.array(z.string().min(1)).default([]),
  users: z.array(z.string().min(1)).default([]),
  allowAuthorToReview: z.boolean().default(false)
})

const CheckRunSchema = z.strictObject({
  /** Conclusion when nothing blocks but warnings remain. */
  warningsConclusion: z.enum(['success', 'neutral']).default('success')
})

const LimitsSchema = z.strictObject({
  maxFiles: z.number().int().positive().default(3000),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024),
  maxTotalBytes: z
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  maxReviewMs: z.number().int().positive().default(120_000)
})

const IntegrationSettingsSchema = z.strictObject({ status: IntegrationStatusSchema })

const ReviewConfigSchema = z.strictObject({
  /** Rule id → `off` or a severity that replaces the rule's own at every stage it gates. */
  rules: z.record(z.string(), RuleSettingSchema).default({}),
  layouts: z.array(IntegrationLayoutSchema).min(1).default(DEFAULT_LAYOUTS),
  /** By slug, folder name or folder path. */
  integrations: z.record(z.string(), IntegrationSettingsSchema).default({}),
  labels: LabelsSchema.default(LabelsSchema.parse({})),
  pathLabels: z.array(PathLabelSchema).default(DEFAULT_PATH_LABELS),
  internal: InternalSchema.default(InternalSchema.parse({})),
  reviewers: ReviewersSchema.default(ReviewersSchema.parse({})),
  checkRun: CheckRunSchema.default(CheckRunSchema.parse({})),
  limits: LimitsSchema.default(LimitsSchema.parse({}))
})
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>

export function defaultReviewConfig(): ReviewConfig {
  return ReviewConfigSchema.parse({})
}

/**
 * The config file's size limit. Real configs are a few kilobytes (every rule listed is under 8 KiB); a larger one is refused before
 * it is parsed (parsing and checking a file of 200,000 keys would hold the event loop for minutes).
 */
export const MAX_CONFIG_BYTES = 32 * 1024
/** Unknown rule ids get suggestions up to this many; past it, only the count of further problems. */
const MAX_CONFIG_ERRORS = 50

/** The error for a config over the size limit (the GitHub loader checks the size before fetching the text). */
export function configTooLarge(bytes: number): ParsedReviewConfig {
  return withErrors(defaultReviewConfig(), [
    {
      problem: `${bytes} bytes is over the ${MAX_CONFIG_BYTES}-byte limit for the config`,
      fallback: 'not read, using the defaults',
      wholeFile: true
    }
  ])
}

/** One thing wrong with a config, apart from what the bot does about it (which depends on who reads it). */
interface ConfigProblem {
  /** What is wrong, naming the key when there is one: "rules.security/foo: unknown rule id". */
  problem: string
  /** What the pull-request flow does instead: "ignored", "using the defaults". */
  fallback: string
  /** About the file as a whole (not YAML, too large), not one key. */
  wholeFile?: boolean
}

export interface ParsedReviewConfig {
  config: ReviewConfig
  /** One line per problem, naming the key and the fallback: "rules.security/foo: unknown rule id; ignored". */
  errors: string[]
  /** The same problems without the fallback or the default path, for a front door that names its own file and stops. */
  problems: ConfigProblem[]
}

function withErrors(config: ReviewConfig, problems: ConfigProblem[]): ParsedReviewConfig {
  const errors = problems.map(
    ({ problem, fallback, wholeFile }) => `${wholeFile ? `${CONFIG_PATH}: ` : ''}${problem}${fallback ? `; ${fallback}` : ''}`
  )
  return { config, errors, problems }
}

/**
 * Parses the config file's text. Absent or empty text gives the defaults. Each top-level key
 * that is invalid falls back to its default on its own, so one typo does not switch off the rest.
 * Rule ids are checked against `knownRuleIds` (every rule by default).
 */
export function parseReviewConfig(
  text: string | undefined,
  knownRuleIds: readonly string[] = ALL_RULES.map((rule) => rule.id)
): ParsedReviewConfig {
  const problems: ConfigProblem[] = []
  if (text === undefined || text.trim() === '') return withErrors(defaultReviewConfig(), problems)
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_CONFIG_BYTES) return configTooLarge(bytes)
  let raw: unknown
  try {
    raw = parseYaml(text, { maxAliasCount: 100, prettyErrors: false })
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return withErrors(defaultReviewConfig(), [{ problem: `not valid YAML (${message})`, fallback: 'using the defaults', wholeFile: true }])
  }
  if (raw === null || raw === undefined) return withErrors(defaultReviewConfig(), problems)
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return withErrors(defaultReviewConfig(), [
      { problem: 'must be a mapping of keys to values', fallback: 'using the defaults', wholeFile: true }
    ])
  }
  const input = { ...(raw as Record<string, unknown>) }
  const shape = ReviewConfigSchema.shape
  for (const key of Object.keys(input)) {
    // `rules:` with every entry commented out reads as null: the same as leaving the key out.
    if (input[key] === null && key in shape) {
      delete input[key]
      continue
    }
    if (!(key in shape)) {
      problems.push({ problem: `${key}: unknown key (known keys: ${Object.keys(shape).join(', ')})`, fallback: 'ignored' })
      delete input[key]
      continue
    }
    if (PER_ENTRY_KEYS.has(key) && isMapping(input[key])) {
      // One bad rule or integration entry drops that entry only.
      const entrySchema = key === 'rules' ? RuleSettingSchema : IntegrationSettingsSchema
      const entries = { ...input[key] }
      for (const [name, value] of Object.entries(entries)) {
        const result = entrySchema.safeParse(value)
        if (result.success) continue
        for (const issue of result.error.issues) {
          problems.push({
            problem: `${formatPath([key, name, ...issue.path])}: ${describeIssue(issue, value, key === 'rules' ? 'off, error, warning, info' : undefined)}`,
            fallback: 'ignored'
          })
        }
        delete entries[name]
      }
      input[key] = entries
      continue
    }
    const result = shape[key as keyof typeof shape].safeParse(input[key])
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({
          problem: `${formatPath([key, ...issue.path])}: ${describeIssue(issue, undefined, undefined)}`,
          fallback: `using the default for ${key}`
        })
      delete input[key]
    }
  }
  const config = ReviewConfigSchema.parse(input)
  const known = new Set(knownRuleIds)
  let unknown = 0
  for (const id of Object.keys(config.rules)) {
    if (known.has(id)) continue
    if (++unknown > MAX_CONFIG_ERRORS) {
      delete config.rules[id]
      continue
    }
    const suggestions = closestIds(id, knownRuleIds)
    problems.push({
      problem: `rules.${id}: unknown rule id${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}`,
      fallback: 'ignored'
    })
    delete config.rules[id]
  }
  if (unknown > MAX_CONFIG_ERRORS)
    problems.push({ problem: `rules: ${unknown - MAX_CONFIG_ERRORS} more unknown rule ids`, fallback: 'ignored' })
  if (problems.length > MAX_CONFIG_ERRORS)
    return withErrors(config, [
      ...problems.slice(0, MAX_CONFIG_ERRORS),
      { problem: `… and ${problems.length - MAX_CONFIG_ERRORS} more problems`, fallback: '' }
    ])
  return withErrors(config, problems)
}

const PER_ENTRY_KEYS = new Set(['rules', 'integrations'])

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown, allowed: string | undefined): string {
  if (allowed && (issue.code === 'invalid_union' || issue.code === 'invalid_value'))
    return `${JSON.stringify(value) ?? String(value)} is not one of ${allowed}`
  return issue.message
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('')
}
