// security/hardcoded-secret-generic: a secret-like name (`apiKey`, `client_secret`, `X-Api-Key`)
// bound to a long, random string literal. Syntax-based, so no generic regex runs on the text.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, staticPropertyName, unwrapExpression } from './support/code-files.js'
import { redactSecret } from './support/redact-secret.js'
import { findSecrets } from './support/scan-secrets.js'
import { secretNameOf } from './support/secret-names.js'
import { hasDigit, looksLikePlaceholder, minimumEntropyFor, shannonEntropy } from './support/secret-text.js'
import { nodesOfKinds } from '../../model/syntax-index.js'

const MIN_LENGTH = 16
const MAX_LENGTH = 512

/** True when a literal has the shape of a generated credential rather than a word, path or URL. */
function looksLikeGeneratedSecret(value: string): boolean {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return false
  for (const character of value) if (character === ' ' || character === '\n' || character === '\t') return false
  if (value.includes('://') || value.startsWith('/') || value.startsWith('.')) return false
  if (!hasDigit(value)) return false
  if (looksLikePlaceholder(value)) return false
  return shannonEntropy(value) >= minimumEntropyFor(value)
}

/** The nodes that bind a name to a value (see boundLiteral). */
const BOUND_LITERAL_KINDS = [
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BindingElement,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.BinaryExpression
]

/** The name a literal of a credential's length is bound to, and the literal, for the binding forms code uses. */
function boundLiteral(node: ts.Node): { name: string; literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral } | undefined {
  // The value is looked at first: most bindings hold no string literal, and their name is not needed.
  let value: ts.Expression | undefined
  if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isPropertyDeclaration(node))
    value = node.initializer
  else if (ts.isPropertyAssignment(node)) value = node.initializer
  else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) value = node.right
  if (value === undefined) return undefined
  const literal = unwrapExpression(value)
  if (!ts.isStringLiteral(literal) && !ts.isNoSubstitutionTemplateLiteral(literal)) return undefined
  // Too short or too long to look generated (see looksLikeGeneratedSecret): no name to look up.
  if (literal.text.length < MIN_LENGTH || literal.text.length > MAX_LENGTH) return undefined
  let name: string | undefined
  if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isPropertyDeclaration(node)) {
    name = ts.isIdentifier(node.name)
      ? node.name.text
      : ts.isBindingElement(node)
        ? staticPropertyName(node.propertyName)
        : staticPropertyName(node.name)
  } else if (ts.isPropertyAssignment(node)) {
    name = staticPropertyName(node.name)
    // `apiKey: { type: 'password', default: '…' }`: the default of a setting is named by the setting.
    const owner = node.parent.parent
    if (name === 'default' && ts.isPropertyAssignment(owner)) name = staticPropertyName(owner.name)
  } else if (ts.isBinaryExpression(node)) {
    const target = unwrapExpression(node.left)
    name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : undefined
  }
  return name === undefined ? undefined : { name, literal }
}

export const hardcodedSecretGeneric = defineRule({
  id: 'security/hardcoded-secret-generic',
  category: 'security',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'No random-looking literal is bound to a secret-named variable',
  docs: {
    why: 'A long random string assigned to `apiKey`, `clientSecret` or an `X-Api-Key` header is almost always a real credential, and it is public as soon as the pull request is.',
    fix: 'Move the value to an authentication setting of type password and read it from `settings`, or from `auth.accessToken` for OAuth. Revoke the committed value.',
    bad: "const clientSecret = 'f3b9c2d4e5a61b7c8d9e0f1a2b3c4d5e'",
    good: 'const clientSecret = settings.clientSecret'
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    // Names repeat across an integration's files (`apiKey`, `url`): each is tokenised once.
    const phrases = new Map<string, string | undefined>()
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      for (const node of nodesOfKinds(sourceFile, BOUND_LITERAL_KINDS)) {
        const bound = boundLiteral(node)
        if (!bound) continue
        if (!phrases.has(bound.name)) phrases.set(bound.name, secretNameOf(bound.name))
        const phrase = phrases.get(bound.name)
        if (!phrase) continue
        const value = bound.literal.text
        if (!looksLikeGeneratedSecret(value)) continue
        // A precise token family already reports this literal under security/hardcoded-secret.
        if (findSecrets(value, false).length > 0) continue
        const { line, column } = positionOf(sourceFile, bound.literal)
        findings.push({
          message: `\`${bound.name}\` is set to a literal that looks like a real ${phrase} (${redactSecret(value)}). A credential in the code is public with the repository: read it from an authentication setting of type \`password\` instead, and revoke the committed value.`,
          path: file.path,
          line,
          column,
          key: `${bound.name}:${redactSecret(value)}`
        })
      }
    }
    return findings
  }
})
