// The labels a review puts on its pull request: one readiness label kept in step, and the path,
// deploy and author labels Segment's own `compute-labels` workflow adds.
import picomatch from 'picomatch'
import type { ReviewConfig } from '../config/review-config.js'
import type { Readiness, Review } from '../review/review-schema.js'

export interface LabelDefinition {
  name: string
  /** Hex without '#', as the Labels API wants it. */
  color: string
  description: string
}

export interface LabelPlan {
  /** The readiness label the pull request must carry; undefined when no integration is touched. */
  readiness: LabelDefinition | undefined
  /** Every readiness label name: all but `readiness` are removed. */
  readinessNames: string[]
  /** Added when missing, never removed (a person may have added them too). */
  others: LabelDefinition[]
}

const EXTERNAL_AUTHOR_LABEL = 'team:external'
const REGISTRATION_LABEL = 'deploy:registration'
const PUSH_LABEL = 'deploy:push'

const KNOWN_LABELS: Record<string, { color: string; description: string }> = {
  'mode:cloud': { color: '1d76db', description: 'Changes a cloud-mode (server-side) destination' },
  'mode:device': { color: '0052cc', description: 'Changes a device-mode (browser) destination' },
  'mode:source': { color: '006b75', description: 'Changes a cloud event source' },
  'actions:core': { color: 'd93f0b', description: 'Changes the Actions framework core' },
  [REGISTRATION_LABEL]: { color: '5319e7', description: 'Adds a new destination that must be registered' },
  [PUSH_LABEL]: { color: '5319e7', description: 'Changes generated types: definitions must be pushed' },
  [EXTERNAL_AUTHOR_LABEL]: { color: 'c5def5', description: 'Opened by a partner outside the organisation' }
}

const READINESS_STYLE: Record<Readiness, { color: string; description: string }> = {
  blocked: { color: 'b60205', description: 'integration-review: something blocks Private Beta' },
  'ready-for-private-beta': { color: 'fbca04', description: 'integration-review: meets the Private Beta gate' },
  'ready-for-public': { color: '0e8a16', description: 'integration-review: meets the Public gate' }
}

function readinessLabelName(readiness: Readiness, config: ReviewConfig): string {
  if (readiness === 'blocked') return config.labels.blocked
  return readiness === 'ready-for-private-beta' ? config.labels.readyForPrivateBeta : config.labels.readyForPublic
}

/** The pull request's readiness: that of its least ready integration. */
function pullRequestReadiness(review: Review): Readiness | undefined {
  if (review.integrations.length === 0) return undefined
  const order: Readiness[] = ['blocked', 'ready-for-private-beta', 'ready-for-public']
  return order.find((readiness) => review.integrations.some((integration) => integration.readiness === readiness))
}

export function computeLabels(review: Review, config: ReviewConfig, authorIsPartner: boolean): LabelPlan {
  const readiness = pullRequestReadiness(review)
  const others = new Map<string, LabelDefinition>()
  const add = (name: string) => {
    if (!others.has(name))
      others.set(name, {
        name,
        ...(KNOWN_LABELS[name] ?? { color: 'ededed', description: 'Set by integration-review from the changed paths' })
      })
  }
  for (const pathLabel of config.pathLabels) {
    const matches = picomatch(pathLabel.paths, { dot: true })
    if (review.changedPaths.some((path) => matches(path))) add(pathLabel.label)
  }
  if (review.integrations.some((integration) => !integration.existsOnBase && integration.kind !== 'source')) add(REGISTRATION_LABEL)
  if (review.changedPaths.some((path) => path === 'generated-types.ts' || path.endsWith('/generated-types.ts'))) add(PUSH_LABEL)
  if (authorIsPartner) add(EXTERNAL_AUTHOR_LABEL)
  return {
    readiness: readiness ? { name: readinessLabelName(readiness, config), ...READINESS_STYLE[readiness] } : undefined,
    readinessNames: [config.labels.blocked, config.labels.readyForPrivateBeta, config.labels.readyForPublic],
    others: [...others.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}

/** What to change on a pull request that carries `current` labels. */
export function labelChanges(plan: LabelPlan, current: readonly string[]): { add: LabelDefinition[]; remove: string[] } {
  const have = new Set(current)
  const wanted = [...(plan.readiness ? [plan.readiness] : []), ...plan.others]
  return {
    add: wanted.filter((label) => !have.has(label.name)),
    remove: plan.readinessNames.filter((name) => name !== plan.readiness?.name && have.has(name))
  }
}
