// What a rule is: metadata as data plus one pure function. The README's rule table,
// `integration-review rules` and `/explain` are all generated from this metadata.
import { z } from 'zod'
import type { IntegrationLocation } from '../discover/discover-integrations.js'
import type { IntegrationModel } from '../model/extract-integration.js'
import type { ParsedFile } from '../model/source-program.js'
import type { FileSource } from '../source/file-source.js'
import type { SegmentSpec } from '../spec/segment-spec.js'

export const SeveritySchema = z.enum(['error', 'warning', 'info'])
export type Severity = z.infer<typeof SeveritySchema>

export const StageSchema = z.enum(['private-beta', 'public'])
export type Stage = z.infer<typeof StageSchema>

type RuleCategory = 'structure' | 'spec' | 'security' | 'docs' | 'tests' | 'compat' | 'sources'

export const IntegrationStatusSchema = z.enum(['new', 'private-beta', 'public'])
export type IntegrationStatus = z.infer<typeof IntegrationStatusSchema>

interface RuleDocs {
  /** Why it matters, for the person who must act. */
  why: string
  /** How to fix it. */
  fix: string
  /** A short code example that violates the rule. */
  bad: string
  /** The same example fixed. */
  good: string
}

export interface RuleMeta {
  /** `<category>/<name>`, stable forever: configs, waivers and suppressions name it. */
  id: string
  category: RuleCategory
  /**
   * Severity at each release stage the rule gates (the README's rule table lists them). `{ 'private-beta': 'error' }`
   * gates Private Beta and therefore Public too; `{ 'private-beta': 'warning', public: 'error' }`
   * warns before beta and blocks Public; `{ public: 'warning' }` matters only for Public.
   */
  stages: Partial<Record<Stage, Severity>>
  /** `partner`: applies only to pull requests from outside the owning organisation (else info). */
  who: 'everyone' | 'partner'
  title: string
  docs: RuleDocs
}

/**
 * One cause that several findings of a rule share (a line that reads three internal context
 * names, one condition repeated on one line): the engine merges the findings of one rule in one
 * file whose `key`s are equal into a single finding, at the first one's place, with the names
 * listed. A rule opts in by setting `cause` on its findings; nothing else is needed.
 */
interface FindingCause {
  /** Equal keys (within one rule and one file) mean one defect. Put the line in it to merge per line. */
  key: string
  /** What this one finding is about, as the partner knows it (a context name, a setting key). */
  name: string
  /**
   * The merged finding's message, where `{names}` stands for the names as a list of code spans
   * (`a`, `b` and `c`). Without it, the first finding's message is kept and the names are appended.
   */
  merged?: string
}

/** What a rule reports; the engine adds the rule id, severity, integration and fingerprint. */
export interface RawFinding {
  message: string
  path: string
  line: number
  column?: number
  /** Overrides the rule's severity for this finding (e.g. error for required, warning otherwise). */
  severity?: Severity
  /**
   * The route by which the rule reached the finding (a JSON pointer such as
   * `/actions/send/fields/email`, or a symbol name): context for the rule only. A finding's
   * identity (its fingerprint) is the code it points at, never this route.
   */
  key?: string
  /** Set when the finding shares its cause with others of the same rule: the engine merges them. */
  cause?: FindingCause
}

export interface PullRequestInfo {
  body: string | undefined
  /** The pull request's title and labels: read only for hints shown to people, never to decide. */
  title?: string
  labels?: readonly string[]
  /** True when the author is outside the owning organisation (or unknown, as in the CLI default). */
  authorIsPartner: boolean
}

export interface IntegrationRuleContext {
  integration: IntegrationLocation
  head: IntegrationModel
  /** The model on the base revision, when the integration exists there. */
  base: IntegrationModel | undefined
  headSource: FileSource
  baseSource: FileSource | undefined
  /** Repository paths the change touches (every file of the integration when there is no base). */
  changedPaths: readonly string[]
  /** Paths of the integration folder at head. */
  integrationFiles: readonly string[]
  /** Parses a file of the head revision (shared with the model; parse errors are findings elsewhere). */
  parse(path: string): ParsedFile | undefined
  pullRequest: PullRequestInfo
  status: IntegrationStatus
  spec: SegmentSpec
}

/** An integration of the base revision that the change removes from Segment's reach. */
export interface RemovedIntegration {
  location: IntegrationLocation
  /** The integration as it was on the base revision. */
  base: IntegrationModel
  status: IntegrationStatus
  /** `deleted`: its folder is gone; `unregistered`: its folder stays but the registry no longer lists it. */
  how: 'deleted' | 'unregistered'
  /** Where head shows it best: its registration in head's registry, or the surviving one next to where it was. */
  anchor?: { path: string; line: number }
}

interface PullRequestRuleContext {
  headSource: FileSource
  baseSource: FileSource | undefined
  changedPaths: readonly string[]
  /** The integrations the change touches. */
  integrations: readonly IntegrationLocation[]
  /** Integrations of the base revision the change deletes or unregisters. */
  removedIntegrations: readonly RemovedIntegration[]
  /** Changed destination registries that could not be read, with why: what they register is unknown. */
  unreadableRegistries?: ReadonlyArray<{ path: string; reason: string }>
  parse(path: string): ParsedFile | undefined
  pullRequest: PullRequestInfo
  spec: SegmentSpec
}

/** A rule's metadata without its check: what `rule-catalog.ts` holds for the commands that only describe rules. */
export type RuleCatalogEntry = RuleMeta & { scope: 'integration' | 'pull-request' }

/** What `/explain` and `integration-review explain` print: a rule's metadata, or the engine's own fail-closed finding documented the same way. */
export type RuleDocumentation = Pick<RuleMeta, 'id' | 'title' | 'stages' | 'who' | 'docs'> & { category: string }

export type Rule =
  | (RuleMeta & { scope: 'integration'; check(context: IntegrationRuleContext): RawFinding[] })
  | (RuleMeta & { scope: 'pull-request'; check(context: PullRequestRuleContext): RawFinding[] })

/** Identity helper that keeps rule files terse and checked. */
export function defineRule<R extends Rule>(rule: R): R {
  return rule
}
