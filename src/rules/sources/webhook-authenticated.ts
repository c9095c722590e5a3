// sources/webhook-authenticated: a source function's endpoint is public; anyone who learns its URL
// can send events into the customer's workspace unless the handler checks the partner's signature.
// A check with `===` leaks the expected value through timing; `crypto.timingSafeEqual` does not.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf } from '../security/support/code-files.js'
import { nodesOfKind } from '../../model/syntax-index.js'
import { sourceModelOf } from './support/source-calls.js'

/** Calls that verify a request: an HMAC, a constant-time compare, a signature or JWT verification. */
const VERIFYING_CALL = /(^|\.)(createHmac|timingSafeEqual|createVerify|verify|verifySignature|validateSignature)$/
const SECRET_LIKE = /signature|digest|hmac|secret|token/i
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken
])

function isConstantOperand(node: ts.Expression): boolean {
  return (
    ts.isLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    ts.isTypeOfExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node)
  )
}

/** Comparing lengths is how a constant-time compare starts (`timingSafeEqual` needs equal lengths). */
function isLength(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'length'
}

export const webhookAuthenticated = defineRule({
  id: 'sources/webhook-authenticated',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Incoming webhooks are authenticated',
  docs: {
    why: "A source function's URL accepts any POST. Without a signature check against a secret in settings, anyone who learns the URL can inject events into the customer's workspace. Comparing the signature with `===` stops at the first differing character, which leaks the expected value through timing.",
    fix: "Compute the HMAC of the raw body with a secret from `settings` (`crypto.createHmac('sha256', settings.signingSecret)`) and compare it to the partner's signature header with `crypto.timingSafeEqual` on equal-length buffers.",
    bad: "if (request.headers.get('x-signature') === expected) { ... }",
    good: "if (!crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) throw new ValidationError('bad signature')"
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model?.handler) return []
    const findings: RawFinding[] = []
    let verifies = false
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      // Calls and comparisons from the file's shared syntax index: one verifying call anywhere is
      // enough, and the findings come from the comparisons alone, in walk order.
      if (!verifies) {
        for (const node of nodesOfKind<ts.CallExpression>(sourceFile, ts.SyntaxKind.CallExpression)) {
          if (!VERIFYING_CALL.test(node.expression.getText(sourceFile))) continue
          verifies = true
          break
        }
      }
      for (const node of nodesOfKind<ts.BinaryExpression>(sourceFile, ts.SyntaxKind.BinaryExpression)) {
        if (!EQUALITY.has(node.operatorToken.kind)) continue
        if (isConstantOperand(node.left) || isConstantOperand(node.right) || isLength(node.left) || isLength(node.right)) continue
        if (!SECRET_LIKE.test(node.left.getText(sourceFile)) && !SECRET_LIKE.test(node.right.getText(sourceFile))) continue
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          path: file.path,
          line,
          column,
          key: `timing-compare@${file.path}#${node.getText(sourceFile).slice(0, 80)}`,
          message:
            'A signature or secret is compared with `' +
            node.operatorToken.getText(sourceFile) +
            '`, which returns at the first differing character and leaks the expected value through timing. Compare equal-length buffers with `crypto.timingSafeEqual`.'
        })
      }
    }
    if (!verifies && findings.length === 0) {
      findings.push({
        path: model.handler.path,
        line: model.handler.line,
        column: model.handler.column,
        key: 'no-signature-check',
        message:
          "The handler accepts every request without checking a signature: nothing computes an HMAC or verifies one. Anyone who learns the function's URL can send events into the customer's workspace. Verify the partner's signature header with a secret from settings."
      })
    }
    return findings
  }
})
