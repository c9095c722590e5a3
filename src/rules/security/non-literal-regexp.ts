// security/non-literal-regexp: a RegExp built from event data without escaping (ReDoS on the
// shared worker); from a setting it is only a note.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf, unwrapExpression } from './support/code-files.js'
import { requestSinksOf } from './support/request-sinks.js'
import { describeOrigin } from './support/taint.js'

export const nonLiteralRegexp = defineRule({
  id: 'security/non-literal-regexp',
  category: 'security',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Regular expressions are not built from event data',
  docs: {
    why: 'A pattern taken from event data can be crafted to backtrack for minutes (ReDoS), blocking the worker that serves every customer; it can also match things it should not.',
    fix: "Compare strings directly (`includes`, `startsWith`), or escape the value first (`value.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')`).",
    bad: 'new RegExp(payload.pattern).test(payload.email)',
    good: 'payload.email.endsWith(payload.domain)'
  },
  scope: 'integration',
  check(context) {
    const { analysis } = requestSinksOf(context)
    const findings: RawFinding[] = []
    const seen = new Set<string>()
    analysis.visitCalls((call, scope) => {
      const callee = unwrapExpression(call.expression)
      if (!ts.isIdentifier(callee) || callee.text !== 'RegExp') return
      const pattern = call.arguments?.[0]
      if (!pattern) return
      const literal = unwrapExpression(pattern)
      if (ts.isStringLiteral(literal) || ts.isNoSubstitutionTemplateLiteral(literal) || ts.isRegularExpressionLiteral(literal)) return
      const origins = analysis.originsOf(pattern, scope).filter((origin) => !origin.regexEscaped && !analysis.isRestrictedSetting(origin))
      const origin = origins.find((candidate) => candidate.kind === 'payload') ?? origins.find((candidate) => candidate.kind === 'settings')
      if (!origin) return
      const { line, column } = positionOf(scope.file.sourceFile, call)
      if (seen.has(`${scope.file.path}:${line}`)) return
      seen.add(`${scope.file.path}:${line}`)
      findings.push({
        message: `This regular expression is built from ${describeOrigin(origin)} without escaping; a crafted value can make it backtrack for a very long time and block the shared worker. Compare strings directly, or escape the value before building the pattern.`,
        path: scope.file.path,
        line,
        column,
        severity: origin.kind === 'payload' ? 'warning' : 'info',
        key: `${scope.file.path}#RegExp#${describeOrigin(origin)}`
      })
    })
    return findings
  }
})
