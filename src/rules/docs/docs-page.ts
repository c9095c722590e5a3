// docs/docs-page: a new integration links the change that adds its catalog documentation
// (a segment-docs pull request), which must be merged before the public launch.
import { defineRule } from '../rule.js'
import { withoutComments } from '../support/pull-request-body.js'

/** Links that point at Segment's documentation source or a published catalog page. */
const DOCS_LINKS = [
  /github\.com\/[\w.-]+\/segment-docs\b/i,
  /segment\.com\/docs\/connections\/(destinations|sources)\/catalog\//i,
  /twilio\.com\/docs\/segment\/connections\/(destinations|sources)\/catalog\//i
]

function linksDocsChange(body: string): boolean {
  const text = withoutComments(body)
  return DOCS_LINKS.some((pattern) => pattern.test(text))
}

export default defineRule({
  id: 'docs/docs-page',
  category: 'docs',
  stages: { public: 'error' },
  who: 'everyone',
  title: 'A new integration links its documentation',
  docs: {
    why: "Segment lists an integration publicly only with a catalog page. The page comes from a pull request to segmentio/segment-docs (`src/connections/destinations/catalog/actions-<slug>/index.md`) that Segment's docs team reviews, so reviewers need the link to check it. Reported only when a pull request body is given (the CLI takes it with --pr-body).",
    fix: "Open a pull request on segmentio/segment-docs adding the catalog page, and link it in this pull request's description.",
    bad: '## Description\nAdds the Acme destination.',
    good: '## Description\nAdds the Acme destination. Docs: https://github.com/segmentio/segment-docs/pull/7700'
  },
  scope: 'integration',
  check(context) {
    // No body given (the CLI without --pr-body): nothing is known about the pull request, so nothing is reported.
    const body = context.pullRequest.body
    if (body === undefined || context.base !== undefined) return []
    if (linksDocsChange(body)) return []
    const slug =
      context.head.metadata && typeof context.head.metadata.slug === 'string' ? context.head.metadata.slug : context.integration.folder
    const page =
      context.integration.kind === 'source'
        ? `src/connections/sources/catalog/cloud-apps/${slug}/index.md`
        : `src/connections/destinations/catalog/${slug}/index.md`
    return [
      {
        path: context.integration.entryPath,
        line: 1,
        key: 'pull-request-body/docs-page',
        message: `${context.integration.folder} is a new integration, but the pull request description links no documentation change. Open a pull request on segmentio/segment-docs that adds its catalog page (${page}) and link it here; the page must be merged before the public launch.`
      }
    ]
  }
})
