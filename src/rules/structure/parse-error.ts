// A file of the integration that does not parse: reported at its first syntax error; the rest is still reviewed.
import { defineRule } from '../rule.js'
import type { RawFinding } from '../rule.js'
import type { ModelError } from '../../model/source-program.js'

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/

export const parseError = defineRule({
  id: 'structure/parse-error',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'A file of the integration does not parse',
  docs: {
    why: 'A file with a syntax error does not compile, so the integration cannot be built or deployed, and the review cannot see what the broken part defines.',
    fix: 'Fix the syntax error at the reported line (run `tsc` or your editor on the file); the message quotes the parser.',
    bad: `export const fields = {\n  email: { label: 'Email', type: 'string' \n}`,
    good: `export const fields = {\n  email: { label: 'Email', type: 'string' }\n}`
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    const report = (path: string, syntaxErrors: readonly ModelError[]) => {
      const [first] = syntaxErrors
      const others = syntaxErrors.length - 1
      findings.push({
        path,
        line: first.line ?? 1,
        column: first.column,
        message: `${path} does not parse: ${first.message.replace(/^syntax error: /, '').replace(/\.$/, '')}${others > 0 ? ` (and ${others} more syntax error${others === 1 ? '' : 's'} after it, often caused by this one)` : ''}. Fix the syntax so the file compiles; the review could not check what this file defines after the error.`
      })
    }
    for (const path of context.integrationFiles) {
      if (!SOURCE_FILE.test(path) || path.endsWith('.d.ts')) continue
      const file = context.parse(path)
      if (file && file.syntaxErrors.length > 0) report(path, file.syntaxErrors)
    }
    // Files outside the folder that the definition imports (shared helpers) break it just as well.
    const inside = new Set(context.integrationFiles)
    const outside = new Map<string, ModelError[]>()
    for (const error of context.head.errors) {
      if (inside.has(error.path) || !error.message.startsWith('syntax error')) continue
      outside.set(error.path, [...(outside.get(error.path) ?? []), error])
    }
    for (const [path, errors] of outside) report(path, errors)
    return findings
  }
})
