// Gives every integration of the revisions one status, as a config naming each folder would.
import { discoverIntegrations } from '../../src/discover/discover-integrations.js'
import type { ConfiguredStatuses } from '../../src/review/integration-job.js'
import type { IntegrationStatus } from '../../src/rules/rule.js'
import type { FileSource } from '../../src/source/file-source.js'

export function everyIntegrationAs(status: IntegrationStatus | undefined, ...sources: Array<FileSource | undefined>): ConfiguredStatuses {
  if (!status) return {}
  const paths = sources.flatMap((source) => (source ? discoverIntegrations(source).map((location) => location.path) : []))
  return Object.fromEntries(paths.map((path) => [path, { status }]))
}
