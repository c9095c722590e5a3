// structure/error-classes: integration code throws the framework's error classes, not bare `Error`s, and
// `IntegrationError` gets its message, code and status.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { calleeName, integrationCodeFiles, nodeLocation } from '../support/integration-source-files.js'
import { nodesOfKinds } from '../../model/syntax-index.js'

/** The node kinds this rule reads (one constant list: the syntax index keys its merged lists by list). */
const THROW_AND_NEW_KINDS = [ts.SyntaxKind.ThrowStatement, ts.SyntaxKind.NewExpression]

export const errorClasses = defineRule({
  id: 'structure/error-classes',
  category: 'structure',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: "Errors use the framework's error classes",
  docs: {
    why: 'The framework decides from the error class and status whether Segment retries an event and what the customer sees in the delivery overview. A bare `Error` is treated as an unknown failure; an `IntegrationError` without a code and status cannot be classified (docs/error-handling.md: "DO NOT throw Javascript Error objects").',
    fix: 'Throw `PayloadValidationError(message)` for bad input, `InvalidAuthenticationError` for bad credentials, `RetryableError` for transient failures, or `IntegrationError(message, code, status)` with all three arguments.',
    bad: "if (!payload.email) throw new Error('email is required')\nthrow new IntegrationError('Unknown region')",
    good: "if (!payload.email) throw new PayloadValidationError('email is required')\nthrow new IntegrationError('Unknown region', 'INVALID_REGION', 400)"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of integrationCodeFiles(context)) {
      if (/(^|\/)generated-types\.ts$/.test(file.path)) continue
      const seen = new Map<string, number>()
      const report = (node: ts.Node, kind: string, text: string, message: string) => {
        const identity = `${kind}:${text.slice(0, 80)}`
        const count = (seen.get(identity) ?? 0) + 1
        seen.set(identity, count)
        const location = nodeLocation(file, node)
        findings.push({ message, path: file.path, line: location.line, column: location.column, key: `${identity}#${count}` })
      }
      for (const node of nodesOfKinds(file.sourceFile, THROW_AND_NEW_KINDS)) {
        if (ts.isThrowStatement(node) && node.expression) {
          const thrown = node.expression
          if (
            (ts.isNewExpression(thrown) || ts.isCallExpression(thrown)) &&
            ts.isIdentifier(thrown.expression) &&
            thrown.expression.text === 'Error'
          ) {
            const argument = thrown.arguments?.[0]?.getText(file.sourceFile) ?? ''
            report(
              node,
              'Error',
              argument,
              `\`throw ${thrown.getText(file.sourceFile).slice(0, 100)}\` throws a plain JavaScript Error. Segment cannot tell whether to retry it or what to show the customer; throw \`PayloadValidationError\`, \`RetryableError\`, \`InvalidAuthenticationError\` or \`IntegrationError(message, code, status)\` from '@segment/actions-core' instead.`
            )
          }
        }
        if (ts.isNewExpression(node) && calleeName(node.expression) === 'IntegrationError') {
          const args = node.arguments ?? []
          if (args.some((argument) => ts.isSpreadElement(argument))) continue
          if (args.length < 3) {
            report(
              node,
              'IntegrationError',
              args[0]?.getText(file.sourceFile) ?? '',
              `\`new IntegrationError(...)\` is given ${args.length} argument${args.length === 1 ? '' : 's'}; pass all three: the message, an error code (e.g. 'INVALID_REGION' or an \`ErrorCodes\` value) and the HTTP status (e.g. 400), so Segment can classify and retry the failure correctly.`
            )
          }
        }
      }
    }
    return findings
  }
})
