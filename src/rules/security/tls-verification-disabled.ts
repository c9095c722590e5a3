// security/tls-verification-disabled: certificate checks turned off or old protocol versions
// allowed — `rejectUnauthorized: false`, NODE_TLS_REJECT_UNAUTHORIZED, a no-op
// `checkServerIdentity`, TLS below 1.2, `insecureHTTPParser`. In tests it is only a note.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, memberName, positionOf, staticPropertyName, unwrapExpression, fileLabel } from './support/code-files.js'
import { indexOfNode, nodesOfKind, syntaxIndexOf } from '../../model/syntax-index.js'

const OLD_TLS_VERSIONS = new Set(['TLSv1', 'TLSv1.1', 'SSLv3', 'SSLv2'])
const OLD_PROTOCOL_METHODS = new Set(['SSLv2_method', 'SSLv3_method', 'TLSv1_method', 'TLSv1_1_method', 'SSLv23_method', 'TLS_method'])

function isFalsy(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression)
  if (node.kind === ts.SyntaxKind.FalseKeyword) return true
  if (ts.isNumericLiteral(node) && node.text === '0') return true
  if (
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
    (node.text === '0' || node.text === 'false' || node.text === '')
  )
    return true
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.ExclamationToken &&
    ts.isNumericLiteral(node.operand) &&
    node.operand.text === '1'
  )
    return true
  return false
}

function stringValue(expression: ts.Expression): string | undefined {
  const node = unwrapExpression(expression)
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined
}

/** `() => {}`, `() => undefined`, `function () { return }`: a check that accepts every certificate. */
function isNoOpCheck(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression)
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false
  const body = node.body
  if (!ts.isBlock(body)) return isUndefinedish(body)
  if (body.statements.length === 0) return true
  return (
    body.statements.length === 1 &&
    ts.isReturnStatement(body.statements[0]) &&
    (!body.statements[0].expression || isUndefinedish(body.statements[0].expression))
  )
}

function isUndefinedish(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression)
  return (ts.isIdentifier(node) && node.text === 'undefined') || node.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(node)
}

/** The option names `insecureOption` judges: any other name is passed over without looking at its value. */
const TLS_OPTION_NAMES = new Set([
  'rejectUnauthorized',
  'strictSSL',
  'verifySsl',
  'verifySSL',
  'insecureHTTPParser',
  'checkServerIdentity',
  'minVersion',
  'maxVersion',
  'secureProtocol'
])

/** What is wrong with a `name: value` option, or undefined. */
function insecureOption(name: string, value: ts.Expression): string | undefined {
  if ((name === 'rejectUnauthorized' || name === 'strictSSL' || name === 'verifySsl' || name === 'verifySSL') && isFalsy(value))
    return `\`${name}\` is false, so any certificate is accepted`
  if (name === 'insecureHTTPParser' && unwrapExpression(value).kind === ts.SyntaxKind.TrueKeyword) return '`insecureHTTPParser` is on'
  if (name === 'checkServerIdentity' && isNoOpCheck(value)) return '`checkServerIdentity` accepts every host name'
  if ((name === 'minVersion' || name === 'maxVersion') && OLD_TLS_VERSIONS.has(stringValue(value) ?? ''))
    return `\`${name}\` allows ${stringValue(value)}, below TLS 1.2`
  if (name === 'secureProtocol' && OLD_PROTOCOL_METHODS.has(stringValue(value) ?? ''))
    return `\`secureProtocol\` is ${stringValue(value)}, which allows protocols below TLS 1.2`
  return undefined
}

export const tlsVerificationDisabled = defineRule({
  id: 'security/tls-verification-disabled',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'TLS certificates are verified',
  docs: {
    why: "Without certificate verification (or with TLS below 1.2) anyone on the network path can read and change customers' data in transit.",
    fix: 'Remove the option. If the partner endpoint has a certificate problem, the partner must fix the certificate.',
    bad: 'const agent = new https.Agent({ rejectUnauthorized: false })',
    good: "await request('https://api.partner.com/v1/events', { method: 'POST', json })"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      const sourceFile = file.parsed.sourceFile
      const byLine = new Map<number, RawFinding>()
      const report = (node: ts.Node, problem: string) => {
        const { line, column } = positionOf(sourceFile, node)
        const existing = byLine.get(line)
        // One finding per line, naming every weakened option on it.
        if (existing) {
          existing.message = existing.message.replace(': ', `: ${problem}; `)
          return
        }
        const finding: RawFinding = {
          message: `TLS verification is weakened in \`${fileLabel(file.path)}\`: ${problem}. Anyone on the network path could then read or alter customer data; remove the option${file.isTest ? ' (this is a test file, so it is only a note)' : ''}.`,
          path: file.path,
          line,
          column,
          severity: file.isTest ? 'info' : undefined,
          key: `${problem}@${file.path}`
        }
        byLine.set(line, finding)
        findings.push(finding)
      }
      // Property assignments and assignments are scanned kind by kind (no merged list of both);
      // the few problems found are then reported in walk order, as one walk would have met them.
      const problems: Array<{ node: ts.Node; problem: string }> = []
      for (const node of nodesOfKind<ts.PropertyAssignment>(sourceFile, ts.SyntaxKind.PropertyAssignment)) {
        const name = staticPropertyName(node.name)
        const problem = name && TLS_OPTION_NAMES.has(name) ? insecureOption(name, node.initializer) : undefined
        if (problem) problems.push({ node, problem })
      }
      const fromProperties = problems.length
      for (const node of nodesOfKind<ts.BinaryExpression>(sourceFile, ts.SyntaxKind.BinaryExpression)) {
        if (node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue
        const target = unwrapExpression(node.left)
        const name = memberName(target)
        if (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && stringValue(node.right) !== '1')
          problems.push({ node, problem: '`NODE_TLS_REJECT_UNAUTHORIZED` is set, which turns verification off for the whole worker' })
        else if (name && TLS_OPTION_NAMES.has(name)) {
          const problem = insecureOption(name, node.right)
          if (problem) problems.push({ node, problem })
        }
      }
      if (fromProperties > 0 && problems.length > fromProperties) {
        const index = syntaxIndexOf(sourceFile)
        problems.sort((a, b) => indexOfNode(index, a.node) - indexOfNode(index, b.node))
      }
      for (const { node, problem } of problems) report(node, problem)
    }
    return findings
  }
})
