// structure/one-integration-per-pr: a pull request should change one integration, so that it can be
// reviewed, released and reverted on its own.
import { defineRule } from '../rule.js'

export const oneIntegrationPerPr = defineRule({
  id: 'structure/one-integration-per-pr',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'One integration per pull request',
  docs: {
    why: 'Segment\'s contribution guide asks: "Do not raise a PR containing changes for more than 1 Integration". Each integration is reviewed, released to its stage and, if needed, reverted on its own.',
    fix: 'Split the pull request: one branch and pull request per integration.',
    bad: 'packages/destination-actions/src/destinations/acme-crm/index.ts\npackages/destination-actions/src/destinations/acme-ads/index.ts',
    good: 'packages/destination-actions/src/destinations/acme-crm/index.ts\npackages/destination-actions/src/destinations/acme-crm/trackEvent/index.ts'
  },
  scope: 'pull-request',
  check(context) {
    // Reviewing a tree on its own (no base) touches every integration; that is not a pull request.
    if (!context.baseSource) return []
    const integrations = [...context.integrations].sort((a, b) => a.path.localeCompare(b.path))
    if (integrations.length < 2) return []
    const second = integrations[1]
    const firstChanged = context.changedPaths.find((path) => path.startsWith(`${second.path}/`)) ?? second.entryPath
    return [
      {
        message: `This pull request changes ${integrations.length} integrations (${integrations.map((integration) => integration.folder).join(', ')}). Segment reviews and releases each integration on its own: split it into one pull request per integration.`,
        path: context.headSource.readFile(firstChanged) !== undefined ? firstChanged : second.entryPath,
        line: 1,
        key: integrations.map((integration) => integration.path).join(',')
      }
    ]
  }
})
