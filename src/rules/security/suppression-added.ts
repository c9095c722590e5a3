// A suppression comment the pull request itself adds: it suppresses nothing, and a reviewer should see it.
import { defineRule } from '../rule.js'
import { isScannableSource, partitionSuppressions, SUPPRESSION_DIRECTIVE } from '../support/suppression-comments.js'

export const suppressionAdded = defineRule({
  id: 'security/suppression-added',
  category: 'security',
  stages: { 'private-beta': 'info' },
  who: 'everyone',
  title: 'A suppression comment added by the pull request suppresses nothing',
  docs: {
    why: 'Inline suppressions are honoured only where they already exist on the base branch; otherwise a pull request could switch off the checks that review it. A suppression the pull request adds is shown to the reviewer instead.',
    fix: 'Remove the comment and fix the finding, or ask a reviewer to accept it with `/waive <rule-id> <path>:<line> -- <reason>` on the pull request.',
    bad: `// ${SUPPRESSION_DIRECTIVE} security/no-process-env -- needed for local testing\nconst endpoint = process.env.ACME_ENDPOINT`,
    good: `const endpoint = settings.endpoint // a setting the customer fills in, no environment access`
  },
  scope: 'pull-request',
  check(context) {
    const findings = []
    for (const path of context.changedPaths) {
      if (!isScannableSource(path)) continue
      const headText = context.headSource.readFile(path)
      if (headText === undefined || !headText.includes(SUPPRESSION_DIRECTIVE)) continue
      const { added } = partitionSuppressions(path, headText, context.baseSource?.readFile(path))
      for (const comment of added) {
        const rules = comment.ruleIds.length > 0 ? comment.ruleIds.join(', ') : 'no rule'
        findings.push({
          path,
          line: comment.line,
          key: `suppression ${comment.normalized}`,
          message: `This pull request adds a suppression comment for ${rules}; suppressions are honoured only when they already exist on the base branch, so it suppresses nothing. Fix the finding, or ask a reviewer to waive it with \`/waive ${comment.ruleIds[0] ?? '<rule-id>'} ${path}:${comment.line + 1} -- <reason>\`.`
        })
      }
    }
    return findings
  }
})
