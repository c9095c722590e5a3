// security/obfuscated-code: signs that code hides what it does — decoded base64/hex flowing
// into code execution, huge encoded literals, long char-code arrays, and invisible or
// bidirectional-override characters (Trojan Source).
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, textPosition, unwrapExpression, walkNodes, fileLabel } from './support/code-files.js'
import { declarationOf } from './support/taint.js'
import { indexOfNode, nodesOfKind, syntaxIndexOf } from '../../model/syntax-index.js'

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

/**
 * Every character `isInvisible` can accept: a regular expression finds them far faster than a
 * loop over each character of each file, and `isInvisible` still decides.
 */
const INVISIBLE_CANDIDATES = /[\u180e\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g

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
      INVISIBLE_CANDIDATES.lastIndex = 0
      for (let match = INVISIBLE_CANDIDATES.exec(text); match; match = INVISIBLE_CANDIDATES.exec(text)) {
        const offset = match.index
        const code = text.charCodeAt(offset)
        if (!isInvisible(text, offset)) continue
        const { line, column } = textPosition(text, offset)
        push(
          line,
          column,
          `An invisible or text-direction control character (U+${code.toString(16).toUpperCase().padStart(4, '0')}) is in \`${fileLabel(file.path)}\`; it can make code read differently from how it runs (Trojan Source). Remove it.`,
          `U+${code.toString(16)}`
        )
      }
      if (file.isTest) continue
      // Each node kind is scanned on its own (no merged list of the four); the few findings are
      // then pushed in walk order, the order one walk of the file would have found them in.
      const found: Array<{ node: ts.Node; line: number; column: number; message: string; key: string }> = []
      const foundAt = (node: ts.Node, message: string, key: string) => {
        const { line, column } = positionOf(sourceFile, node)
        found.push({ node, line, column, message, key })
      }
      let kindsWithFindings = 0
      for (const kind of [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral]) {
        const before = found.length
        for (const node of nodesOfKind<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral>(sourceFile, kind)) {
          if (isEncodedBlob(node.text))
            foundAt(
              node,
              `A ${node.text.length}-character encoded literal is in \`${fileLabel(file.path)}\`. Opaque blobs hide what code does: keep data readable, or explain and shrink it.`,
              'encoded-literal'
            )
        }
        if (found.length > before) kindsWithFindings++
      }
      for (const kind of [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]) {
        const before = found.length
        for (const node of nodesOfKind<ts.CallExpression | ts.NewExpression>(sourceFile, kind)) {
          if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'fromCharCode') {
            const numbers = node.arguments
              .flatMap((argument) =>
                ts.isSpreadElement(argument) && ts.isArrayLiteralExpression(argument.expression)
                  ? [...argument.expression.elements]
                  : [argument]
              )
              .filter((argument) => ts.isNumericLiteral(argument))
            if (numbers.length >= MIN_CHAR_CODES)
              foundAt(
                node,
                `\`String.fromCharCode\` with ${numbers.length} character codes builds a hidden string. Write the string in plain text.`,
                'char-codes'
              )
          }
          if (node.arguments && node.arguments.length > 0) {
            const sink = sinkName(node)
            if (sink && node.arguments.some((argument) => containsDecoder(argument)))
              foundAt(
                node,
                `Decoded data flows into \`${sink}\`: the code that runs is hidden in an encoded string. Write the code in plain text.`,
                `decode-${sink}`
              )
          }
        }
        if (found.length > before) kindsWithFindings++
      }
      if (kindsWithFindings > 1) {
        // A stable sort keeps the findings of one node in the order they were found.
        const index = syntaxIndexOf(sourceFile)
        found.sort((a, b) => indexOfNode(index, a.node) - indexOfNode(index, b.node))
      }
      for (const finding of found) push(finding.line, finding.column, finding.message, finding.key)
    }
    return findings
  }
})
