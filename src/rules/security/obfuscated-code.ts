// security/obfuscated-code: signs that code hides what it does — decoded base64/hex flowing
// into code execution, huge encoded literals, long char-code arrays, and invisible or
// bidirectional-override characters (Trojan Source).
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, textPosition, unwrapExpression, walkNodes, fileLabel } from './support/code-files.js'
import { declarationOf } from './support/taint.js'
import { nodesOfKinds } from '../support/syntax-index.js'

const MAX_ENCODED_LITERAL = 1024
const MIN_CHAR_CODES = 16
const CODE_SINKS = new Set([
  'eval',
  'Function',
  'require',
  'runInNewContext',
  'runInThisContext',
  'runInContext',
  'compileFunction',
  'Script'
])

/**
 * Bidi overrides/isolates and zero-width characters (the BOM only away from the file start).
 * Joiners are legitimate inside emoji sequences and scripts such as Persian, so they count only
 * between ASCII characters, where they hide in identifiers and keys.
 */
function isInvisible(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset)
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200b || code === 0x2060 || code === 0x180e)
    return true
  if (code === 0xfeff) return offset > 0
  if (code === 0x200c || code === 0x200d) return offset > 0 && text.charCodeAt(offset - 1) < 0x80 && text.charCodeAt(offset + 1) < 0x80
  return false
}

function isEncodedBlob(text: string): boolean {
  if (text.length < MAX_ENCODED_LITERAL) return false
  let encoded = 0
  for (const character of text) {
    const isBase64 =
      (character >= 'A' && character <= 'Z') ||
      (character >= 'a' && character <= 'z') ||
      (character >= '0' && character <= '9') ||
      character === '+' ||
      character === '/' ||
      character === '=' ||
      character === '-' ||
      character === '_'
    if (isBase64) encoded++
  }
  return encoded / text.length > 0.97
}

/** True when an expression decodes base64/hex/char codes (`atob`, `Buffer.from(x, 'base64')`, `String.fromCharCode`). */
function containsDecoder(expression: ts.Node, depth = 0): boolean {
  let found = false
  walkNodes(expression, (node) => {
    if (found) return false
    if (ts.isCallExpression(node)) {
      const callee = unwrapExpression(node.expression)
      if (ts.isIdentifier(callee) && callee.text === 'atob') found = true
      if (ts.isPropertyAccessExpression(callee)) {
        const owner = unwrapExpression(callee.expression)
        const ownerName = ts.isIdentifier(owner) ? owner.text : ''
        if (
          ownerName === 'Buffer' &&
          callee.name.text === 'from' &&
          node.arguments.some((argument) => ts.isStringLiteral(argument) && ['base64', 'hex', 'base64url'].includes(argument.text))
        )
          found = true
        if (ownerName === 'String' && callee.name.text === 'fromCharCode') found = true
      }
    }
    if (ts.isIdentifier(node) && depth < 2) {
      const declaration = declarationOf(node)
      if (
        declaration &&
        ts.isVariableDeclaration(declaration.node) &&
        declaration.node.initializer &&
        containsDecoder(declaration.node.initializer, depth + 1)
      )
        found = true
    }
    return undefined
  })
  return found
}

function sinkName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrapExpression(call.expression)
  if (ts.isIdentifier(callee)) return CODE_SINKS.has(callee.text) ? callee.text : undefined
  if (ts.isPropertyAccessExpression(callee)) return CODE_SINKS.has(callee.name.text) ? callee.name.text : undefined
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return 'import'
  return undefined
}

export const obfuscatedCode = defineRule({
  id: 'security/obfuscated-code',
  category: 'security',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Code says what it does',
  docs: {
    why: 'Encoded payloads decoded into `eval` or `require`, large opaque literals and invisible or direction-changing characters are how malicious code hides from reviewers.',
    fix: 'Write the code and data in plain text. Remove invisible characters; if a literal must be binary, explain it and keep it small.',
    bad: "eval(Buffer.from('Y29uc29sZS5sb2coMSk=', 'base64').toString())",
    good: 'console.log(1)'
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      const sourceFile = file.parsed.sourceFile
      const text = file.parsed.text
      const reportedLines = new Set<number>()
      const push = (line: number, column: number, message: string, key: string) => {
        if (reportedLines.has(line)) return
        reportedLines.add(line)
        findings.push({ message, path: file.path, line, column, key: `${file.path}#${key}` })
      }
      for (let offset = 0; offset < text.length; offset++) {
        const code = text.charCodeAt(offset)
        if (code < 0x180e || !isInvisible(text, offset)) continue
        const { line, column } = textPosition(text, offset)
        push(
          line,
          column,
          `An invisible or text-direction control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}) is in \`${fileLabel(file.path)}\`; it can make code read differently from how it runs (Trojan Source). Remove it.`,
          `U+${code.toString(16)}`
        )
      }
      if (file.isTest) continue
      for (const node of nodesOfKinds(sourceFile, [
        ts.SyntaxKind.StringLiteral,
        ts.SyntaxKind.NoSubstitutionTemplateLiteral,
        ts.SyntaxKind.CallExpression,
        ts.SyntaxKind.NewExpression
      ])) {
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isEncodedBlob(node.text)) {
          const { line, column } = positionOf(sourceFile, node)
          push(
            line,
            column,
            `A ${node.text.length}-character encoded literal is in \`${fileLabel(file.path)}\`. Opaque blobs hide what code does: keep data readable, or explain and shrink it.`,
            'encoded-literal'
          )
        } else if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          node.expression.name.text === 'fromCharCode'
        ) {
          const numbers = node.arguments
            .flatMap((argument) =>
              ts.isSpreadElement(argument) && ts.isArrayLiteralExpression(argument.expression)
                ? [...argument.expression.elements]
                : [argument]
            )
            .filter((argument) => ts.isNumericLiteral(argument))
          if (numbers.length >= MIN_CHAR_CODES) {
            const { line, column } = positionOf(sourceFile, node)
            push(
              line,
              column,
              `\`String.fromCharCode\` with ${numbers.length} character codes builds a hidden string. Write the string in plain text.`,
              'char-codes'
            )
          }
        }
        if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && node.arguments.length > 0) {
          const sink = sinkName(node)
          if (sink && node.arguments.some((argument) => containsDecoder(argument))) {
            const { line, column } = positionOf(sourceFile, node)
            push(
              line,
              column,
              `Decoded data flows into \`${sink}\`: the code that runs is hidden in an encoded string. Write the code in plain text.`,
              `decode-${sink}`
            )
          }
        }
      }
    }
    return findings
  }
})
