// docs/pr-testing-section: the pull request says how the change was tested, in the Testing
// section of Segment's template, with at least one box ticked.
import { defineRule } from '../rule.js'
import { boxes, markdownSections, tickedBoxes, withoutComments, writtenProse } from '../support/pull-request-body.js'

/** Prose shorter than this in a Testing section without checkboxes says nothing. */
const MIN_TESTING_PROSE = 20

/** What is missing from the body, or undefined when the testing section is filled in. */
function testingSectionProblem(body: string): string | undefined {
  if (withoutComments(body).trim() === '') return 'The pull request description is empty.'
  const testing = markdownSections(body).filter((section) => /\btest(ing|s|ed)?\b/i.test(section.heading))
  if (testing.length === 0) return 'The pull request description has no "Testing" section.'
  for (const section of testing) {
    if (tickedBoxes(section.body) > 0) return undefined
    if (boxes(section.body) === 0 && writtenProse(section.body).length >= MIN_TESTING_PROSE) return undefined
  }
  // Some partners tick the boxes outside the section (e.g. a checklist after it).
  if (tickedBoxes(body) > 0 && testing.every((section) => boxes(section.body) === 0)) return undefined
  return 'The "Testing" section of the pull request description has no ticked box.'
}

export default defineRule({
  id: 'docs/pr-testing-section',
  category: 'docs',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'The pull request says how it was tested',
  docs: {
    why: "Segment's pull request template asks for a Testing section with the boxes of what was done (unit tests, end-to-end with the local server, backward compatibility). Reviewers rely on it to know what they must still check; an empty section means they must assume nothing was tested. Reported only when a pull request body is given (the CLI takes it with --pr-body).",
    fix: 'Fill in the "Testing" section of the pull request description: tick each box you completed (`- [x]`) and describe the tests you ran.',
    bad: '## Testing\n- [ ] Added unit tests for new functionality\n- [ ] Tested end-to-end using the local server',
    good: '## Testing\n- [x] Added unit tests for new functionality\n- [x] Tested end-to-end using the local server'
  },
  scope: 'integration',
  check(context) {
    // No body given (the CLI without --pr-body): nothing is known about the pull request, so nothing is reported.
    const body = context.pullRequest.body
    if (body === undefined) return []
    const problem = testingSectionProblem(body)
    if (!problem) return []
    return [
      {
        path: context.integration.entryPath,
        line: 1,
        key: 'pull-request-body/testing',
        message: `${problem} Add a "## Testing" section that ticks what you did (\`- [x] Added unit tests\`, \`- [x] Tested end-to-end using the local server\`) and says how you tested ${context.integration.folder}.`
      }
    ]
  }
})
