// One defect, one finding (issue 18, point 1): findings of a rule that declare one cause are
// merged by the engine, for any rule that opts in.
import { describe, expect, it } from 'vitest'
import { ts } from 'ts-morph'
import { defaultReviewConfig } from '../../src/config/review-config.js'
import { listNames, mergeSharedCauses } from '../../src/review/merge-shared-causes.js'
import { runReview } from '../../src/review/run-review.js'
import { defineRule, type RawFinding } from '../../src/rules/rule.js'
import { ROOT, acmeRepo } from './review-test-repo.js'

const SEND = `${ROOT}/sendEmail/index.ts`
const INTERNAL = new Set(['features', 'statsContext', 'stateContext'])

/** In the shape of a rule that reports each internal context name it sees, one cause per line. */
const internalNamesRule = defineRule({
  id: 'security/internal-context',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'partner',
  title: 'Internal context',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    const file = context.parse(SEND)
    if (!file) return findings
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && INTERNAL.has(node.text)) {
        const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
        findings.push({
          path: SEND,
          line: line + 1,
          column: character + 1,
          message: `\`${node.text}\` is internal to Segment.`,
          cause: {
            key: `line ${line + 1}`,
            name: node.text,
            merged: 'This line reads {names}, which are internal to Segment; remove them.'
          }
        })
      }
      ts.forEachChild(node, visit)
    }
    visit(file.sourceFile)
    return findings
  }
})

describe('mergeSharedCauses', () => {
  const at = (line: number, column: number, name: string, cause = true): RawFinding => ({
    path: 'a.ts',
    line,
    column,
    message: `${name} repeats`,
    ...(cause ? { cause: { key: `condition ${line}`, name } } : {})
  })

  it('merges equal keys of one file into the first, lists each name once, and leaves the rest alone', () => {
    const merged = mergeSharedCauses([at(4, 9, 'b'), at(4, 3, 'a'), at(4, 12, 'b'), at(7, 1, 'c'), at(4, 1, 'x', false)])
    expect(merged).toHaveLength(3)
    expect(merged[0]).toMatchObject({ line: 4, column: 3, message: 'a repeats (one cause for 2: `a` and `b`)' })
    expect(merged[1]).toMatchObject({ line: 7, message: 'c repeats' })
    expect(merged[2]).toMatchObject({ line: 4, column: 1, message: 'x repeats' })
  })

  it('keeps the most severe severity and does not merge across files', () => {
    const merged = mergeSharedCauses([
      { ...at(1, 1, 'a'), severity: 'warning' },
      { ...at(1, 2, 'b'), severity: 'error' },
      { ...at(1, 1, 'a'), path: 'b.ts' }
    ])
    expect(merged.map((finding) => [finding.path, finding.severity])).toEqual([
      ['a.ts', 'error'],
      ['b.ts', undefined]
    ])
  })

  it('lists names as code spans that cannot break out', () => {
    expect(listNames(['a'])).toBe('`a`')
    expect(listNames(['a', 'b`c', 'd'])).toBe("`a`, `b'c` and `d`")
  })
})

describe('the engine merges a rule’s findings that share a cause', () => {
  it('turns one line reading three internal names (one of them twice) into one blocking finding', () => {
    const send = acmeRepo()
      .readFile(SEND)!
      .replace(
        'const region = process.env.ACME_REGION',
        "const region = 'us'\n    const used = [features, statsContext, stateContext, stateContext]"
      )
    const result = runReview({
      head: acmeRepo({ [SEND]: send }),
      config: defaultReviewConfig(),
      pullRequest: { body: undefined, authorIsPartner: true },
      rules: [internalNamesRule]
    })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({
      line: 15,
      message: 'This line reads `features`, `statsContext` and `stateContext`, which are internal to Segment; remove them.',
      blocks: ['private-beta', 'public']
    })
  })
})
