// SARIF 2.1.0 for code-scanning tools: one run, rules from metadata, fingerprints and baseline state.
import { ALL_RULES } from '../rules/all-rules.js'
import type { Rule, Severity } from '../rules/rule.js'
import type { Finding, Review } from '../review/review-schema.js'

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' }

export function renderSarif(review: Review, rules: readonly Rule[] = ALL_RULES): object {
  const ruleIds = [...new Set(review.findings.map((finding) => finding.ruleId))].sort()
  const index = new Map(ruleIds.map((id, position) => [id, position]))
  const byId = new Map(rules.map((rule) => [rule.id, rule]))
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'integration-review',
            informationUri: 'https://github.com/segmentio/action-destinations',
            rules: ruleIds.map((id) => ruleDescriptor(id, byId.get(id)))
          }
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the integrations repository' } } },
        // What the review could not do is part of the result: a consumer must not read silence as "clean".
        invocations: [
          {
            executionSuccessful: review.ruleFailures.length === 0,
            toolExecutionNotifications: [
              ...review.ruleFailures.map((failure) => ({
                level: 'error',
                message: {
                  text: `rule ${failure.ruleId} failed${failure.integration ? ` on ${failure.integration}` : ''}: ${failure.message}`
                },
                descriptor: { id: failure.ruleId }
              })),
              ...review.skipped.map((text) => ({ level: 'warning', message: { text: `skipped: ${text}` } })),
              ...review.configErrors.map((text) => ({ level: 'warning', message: { text: `config: ${text}` } })),
              ...review.suppressionErrors.map((text) => ({ level: 'warning', message: { text: `suppression: ${text}` } }))
            ]
          }
        ],
        results: review.findings.map((finding) => resultOf(finding, index.get(finding.ruleId) ?? 0))
      }
    ]
  }
}

function ruleDescriptor(id: string, rule: Rule | undefined) {
  if (!rule) return { id }
  const strongest = Object.values(rule.stages).includes('error')
    ? 'error'
    : Object.values(rule.stages).includes('warning')
      ? 'warning'
      : 'info'
  return {
    id,
    name: id.replace(/[/-](\w)/g, (_, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.why },
    help: {
      text: rule.docs.fix,
      markdown: `${rule.docs.fix}\n\nBad:\n\n\`\`\`ts\n${rule.docs.bad}\n\`\`\`\n\nGood:\n\n\`\`\`ts\n${rule.docs.good}\n\`\`\``
    },
    defaultConfiguration: { level: LEVEL[strongest] },
    properties: { category: rule.category, stages: rule.stages, who: rule.who }
  }
}

function resultOf(finding: Finding, ruleIndex: number) {
  const suppressions = [
    ...(finding.suppressed
      ? [{ kind: 'inSource', justification: 'inline integration-review-disable-next-line comment present on the base branch' }]
      : []),
    ...(finding.waived
      ? [
          {
            kind: 'external',
            status: 'accepted',
            justification: `${finding.waived.reason} (waived by ${finding.waived.by} at ${finding.waived.at})`
          }
        ]
      : [])
  ]
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.path ? finding.path.split('/').map(encodeURIComponent).join('/') : '.', uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, startColumn: finding.column }
        }
      }
    ],
    partialFingerprints: { 'integrationReview/v1': finding.fingerprint },
    baselineState: finding.status === 'existing' ? 'unchanged' : 'new',
    ...(suppressions.length > 0 ? { suppressions } : {}),
    properties: { integration: finding.integration, blocks: finding.blocks }
  }
}
