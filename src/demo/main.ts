// `npm run demo`: reviews the bundled example pull request (examples/acme-pr, a base and a head
// revision of a small integrations repository) through the App's own pipeline, and prints exactly
// what the App would publish: the check run, its annotations, the sticky comment and the labels.
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONFIG_PATH, parseReviewConfig } from '../config/review-config.js'
import { ANNOTATIONS_PER_REQUEST, CHECK_RUN_NAME } from '../github/publish-review.js'
import { emptyCommentState } from '../pull-request/comment-state.js'
import { labelChanges } from '../pull-request/compute-labels.js'
import { reviewForPublication, type Publication } from '../pull-request/review-pipeline.js'
import { changedPathsBetween } from '../review/analyse-change.js'
import { DirectoryFileSource } from '../source/directory-file-source.js'

/** The title says where the partner thinks the destination stands: the comment shows it as a hint, never as the status. */
export const DEMO_PULL_REQUEST_TITLE = 'Wavelet (Private Beta): add an Identify User action'

export const DEMO_PULL_REQUEST_BODY = `Adds an **Identify User** action to the Wavelet destination, so profiles stay in sync.

- New action \`identifyUser\` (hashes the email before it leaves Segment)
- New setting \`signingSecret\`

Tested with unit tests and against our staging project.`

export interface DemoResult {
  publication: Publication
  text: string
}

/** Reviews an example pull request folder (with `base/` and `head/`) and formats what the App would publish. */
export function runDemo(exampleDir: string): DemoResult {
  const base = new DirectoryFileSource(join(exampleDir, 'base'))
  const head = new DirectoryFileSource(join(exampleDir, 'head'))
  // As in the App: the config comes from the base revision, never from the pull request.
  const { config, errors } = parseReviewConfig(base.readFile(CONFIG_PATH))
  const publication = reviewForPublication({
    head,
    base,
    changedPaths: changedPathsBetween(head, base),
    config,
    configErrors: errors,
    skipped: [],
    // A partner's pull request: the case the review exists for.
    pullRequest: { title: DEMO_PULL_REQUEST_TITLE, body: DEMO_PULL_REQUEST_BODY, authorIsPartner: true },
    state: emptyCommentState(),
    stateScope: { owner: 'example', repo: 'action-destinations', number: 1 },
    repositoryUrl: 'https://github.com/example/action-destinations',
    headSha: 'head'
  })
  return { publication, text: formatPublication(publication) }
}

export function formatPublication(publication: Publication): string {
  const { checkRun, labels } = publication
  const rule = (title: string) => `\n${'━'.repeat(4)} ${title} ${'━'.repeat(Math.max(4, 72 - title.length))}\n`
  const lines: string[] = []
  lines.push(rule(`Check run "${CHECK_RUN_NAME}"`))
  lines.push(`conclusion: ${checkRun.conclusion}`, `title:      ${checkRun.title}`)
  const batches = Math.ceil(checkRun.annotations.length / ANNOTATIONS_PER_REQUEST)
  lines.push(rule(`Check run annotations (${checkRun.annotations.length}, sent in ${batches} request${batches === 1 ? '' : 's'})`))
  for (const annotation of checkRun.annotations) {
    lines.push(
      `${annotation.annotation_level.padEnd(7)} ${annotation.path}:${annotation.start_line}  [${annotation.title}]`,
      `        ${annotation.message}`
    )
  }
  if (checkRun.annotations.length === 0) lines.push('(none)')
  lines.push(rule('Check run summary (Markdown)'), checkRun.summary)
  lines.push(
    rule(`Sticky pull request comment (${publication.commentBody.length} characters, edited in place on every push)`),
    publication.commentBody
  )
  const changes = labelChanges(labels, [])
  lines.push(rule('Labels'))
  for (const label of changes.add) lines.push(`+ ${label.name}  (#${label.color}, "${label.description}")`)
  lines.push(`(readiness labels kept in step: ${labels.readinessNames.join(', ')})`)
  return lines.join('\n')
}

function exampleDirectory(): string {
  const argument = process.argv[2]
  if (argument) return resolve(argument)
  // src/demo → repository root, from the TypeScript sources (tsx) or the build (dist/src/demo).
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'examples', 'acme-pr')) && dirname(dir) !== dir) dir = dirname(dir)
  return join(dir, 'examples', 'acme-pr')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { text } = runDemo(exampleDirectory())
  process.stdout.write(`${text}\n`)
}
