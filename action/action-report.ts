// What the Action hands to the rest of the workflow: readiness per integration, the number of
// blocking findings, a SARIF file for code scanning, and whether the job fails.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { releaseGates } from '../src/pr-commands/command-state.js'
import type { Publication } from '../src/pull-request/review-pipeline.js'
import { renderSarif } from '../src/report/sarif-report.js'
import type { Readiness, Review } from '../src/review/review-schema.js'
import type { Stage } from '../src/rules/rule.js'

const SARIF_FILE_NAME = 'integration-review.sarif'

export interface IntegrationReadiness {
  slug: string
  name: string
  kind: string
  status: string
  readiness: Readiness
  /** Findings holding back each stage. */
  blocking: Record<Stage, number>
}

/** The `readiness` output: one entry per reviewed integration, keyed by its folder. */
export function readinessOf(review: Review): Record<string, IntegrationReadiness> {
  const entries = review.integrations.map((integration): [string, IntegrationReadiness] => [
    integration.path,
    {
      slug: integration.slug,
      name: integration.name,
      kind: integration.kind,
      status: integration.status,
      readiness: integration.readiness,
      blocking: { 'private-beta': integration.blocking['private-beta'].length, public: integration.blocking.public.length }
    }
  ])
  return Object.fromEntries(entries)
}

/** Findings that hold back `stage` (Public is held back by what holds back Private Beta), or any stage. */
export function blockingFindings(review: Review, stage: Stage | undefined): number {
  return review.findings.filter((finding) =>
    stage === undefined
      ? finding.blocks.length > 0
      : finding.blocks.includes(stage) || (stage === 'public' && finding.blocks.includes('private-beta'))
  ).length
}

/**
 * Whether the review keeps the pull request from its next stage. With a `stage`, the release gate
 * of that stage decides, and a review that did not finish (limits, a failed rule) never passes it;
 * without one, the check run's conclusion does.
 */
export function reviewIsBlocked(publication: Publication, stage: Stage | undefined): boolean {
  if (stage === undefined) return publication.checkRun.conclusion === 'failure'
  return !releaseGates(publication.review)[stage].holds
}

/**
 * Writes the SARIF file inside the workspace (where github/codeql-action/upload-sarif finds it) and
 * returns its path relative to the workspace. Result paths are relative to the repository root.
 */
export function writeSarifFile(review: Review, workspace: string): string {
  writeFileSync(join(workspace, SARIF_FILE_NAME), `${JSON.stringify(renderSarif(review), null, 2)}\n`)
  return SARIF_FILE_NAME
}
