// The repository's `.github/integration-review.yml`: its zod schema, its defaults, and a parser
// that never throws — an invalid key is reported by name and replaced by its default.
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { DEFAULT_LAYOUTS, IntegrationLayoutSchema } from '../discover/integration-layouts.js'
import { ALL_RULES } from '../rules/all-rules.js'
import { IntegrationStatusSchema, SeveritySchema } from '../rules/rule.js'
import { closestIds } from './closest-ids.js'

export const CONFIG_PATH = '.github/integration-review.yml'

export const RuleSettingSchema = z.union([z.literal('off'), SeveritySchema])
export type RuleSetting = z.infer<typeof RuleSettingSchema>

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

export const ReviewConfigSchema = z.strictObject({
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
  return {
    config: defaultReviewConfig(),
    errors: [`${CONFIG_PATH}: ${bytes} bytes is over the ${MAX_CONFIG_BYTES}-byte limit for the config; not read, using the defaults`]
  }
}

export interface ParsedReviewConfig {
  config: ReviewConfig
  /** One line per problem, naming the key: "rules.security/foo: unknown rule id". */
  errors: string[]
}

/**
 * Parses the config file's text. Absent or empty text gives the defaults. Each top-level key
 * that is invalid falls back to its default on its own, so one typo does not switch off the rest.
 * Rule ids are checked against `knownRuleIds` (every rule by default).
 */
export function parseReviewConfig(text: string | undefined, knownRuleIds: readonly string[] = ALL_RULES.map((rule) => rule.id)): ParsedReviewConfig {
  const errors: string[] = []
  if (text === undefined || text.trim() === '') return { config: defaultReviewConfig(), errors }
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_CONFIG_BYTES) return configTooLarge(bytes)
  let raw: unknown
  try {
    raw = parseYaml(text, { maxAliasCount: 100, prettyErrors: false })
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return { config: defaultReviewConfig(), errors: [`${CONFIG_PATH}: not valid YAML (${message}); using the defaults`] }
  }
  if (raw === null || raw === undefined) return { config: defaultReviewConfig(), errors }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: defaultReviewConfig(), errors: [`${CONFIG_PATH}: must be a mapping of keys to values; using the defaults`] }
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
      errors.push(`${key}: unknown key (known keys: ${Object.keys(shape).join(', ')}); ignored`)
      delete input[key]
      continue
    }
    if (PER_ENTRY_KEYS.has(key) && isMapping(input[key])) {
      // One bad rule or integration entry drops that entry only.
      const entrySchema = key === 'rules' ? RuleSettingSchema : IntegrationSettingsSchema
      const entries = { ...(input[key] as Record<string, unknown>) }
      for (const [name, value] of Object.entries(entries)) {
        const result = entrySchema.safeParse(value)
        if (result.success) continue
        for (const issue of result.error.issues) errors.push(`${formatPath([key, name, ...issue.path])}: ${describeIssue(issue, value, key === 'rules' ? 'off, error, warning, info' : undefined)}; ignored`)
        delete entries[name]
      }
      input[key] = entries
      continue
    }
    const result = shape[key as keyof typeof shape].safeParse(input[key])
    if (!result.success) {
      for (const issue of result.error.issues) errors.push(`${formatPath([key, ...issue.path])}: ${describeIssue(issue, undefined, undefined)}; using the default for ${key}`)
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
    errors.push(`rules.${id}: unknown rule id${suggestions.length > 0 ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}; ignored`)
    delete config.rules[id]
  }
  if (unknown > MAX_CONFIG_ERRORS) errors.push(`rules: ${unknown - MAX_CONFIG_ERRORS} more unknown rule ids; ignored`)
  if (errors.length > MAX_CONFIG_ERRORS) return { config, errors: [...errors.slice(0, MAX_CONFIG_ERRORS), `… and ${errors.length - MAX_CONFIG_ERRORS} more problems`] }
  return { config, errors }
}

const PER_ENTRY_KEYS = new Set(['rules', 'integrations'])

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown, allowed: string | undefined): string {
  if (allowed && (issue.code === 'invalid_union' || issue.code === 'invalid_value')) return `${JSON.stringify(value) ?? String(value)} is not one of ${allowed}`
  return issue.message
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('')
}
