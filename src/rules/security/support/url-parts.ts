// Splits a request URL expression into static text and dynamic parts, and says for each dynamic
// part whether it lands in the scheme/host, the path or the query (CodeQL's host-sanitising
// prefix idea): `https://${x}.partner.com` is host, `/users/${x}` path, `?q=${x}` query.
import { ts } from '../../../model/typescript.js'
import type { IntegrationModel } from '../../../model/extract-integration.js'
import { unwrapExpression } from './code-files.js'
import { declarationOf, type Scope } from './taint.js'

export type UrlPosition = 'host' | 'path' | 'query'

export interface DynamicUrlPart {
  expression: ts.Expression
  position: UrlPosition
  scope: Scope
}

type Piece = { text: string } | { expression: ts.Expression; scope: Scope; forceHost?: boolean }

const MAX_DEPTH = 12

/** The dynamic parts of a URL with their positions. */
export function dynamicUrlParts(url: ts.Expression, scope: Scope, model: IntegrationModel): DynamicUrlPart[] {
  const pieces = flatten(url, scope, model, 0)
  // A URL that is one value as a whole (`request(target)`) is reported where the request uses it.
  if (pieces.length === 1 && !('text' in pieces[0])) return [{ expression: url, position: 'host', scope }]
  const parts: DynamicUrlPart[] = []
  let state: 'start' | 'host' | 'path' | 'query' = 'start'
  for (const piece of pieces) {
    if ('text' in piece) {
      let text = piece.text
      if (text.length === 0) continue
      if (state === 'start') {
        const scheme = text.indexOf('://')
        if (scheme >= 0) {
          text = text.slice(scheme + 3)
          state = 'host'
        } else if (text.startsWith('//')) {
          text = text.slice(2)
          state = 'host'
        } else {
          // A relative URL (resolved against extendRequest's prefixUrl) starts in the path.
          state = 'path'
        }
      }
      if (state === 'host') {
        const slash = text.indexOf('/')
        const query = firstOf(text, ['?', '#'])
        if (query >= 0 && (slash < 0 || query < slash)) state = 'query'
        else if (slash >= 0) state = firstOf(text.slice(slash), ['?', '#']) >= 0 ? 'query' : 'path'
      } else if (state === 'path' && firstOf(text, ['?', '#']) >= 0) state = 'query'
      continue
    }
    const position: UrlPosition = piece.forceHost || state === 'start' || state === 'host' ? 'host' : state
    parts.push({ expression: piece.expression, position, scope: piece.scope })
    if (state === 'start') state = 'host'
  }
  return parts
}

function firstOf(text: string, characters: string[]): number {
  let first = -1
  for (const character of characters) {
    const index = text.indexOf(character)
    if (index >= 0 && (first < 0 || index < first)) first = index
  }
  return first
}

function flatten(expression: ts.Expression, scope: Scope, model: IntegrationModel, depth: number): Piece[] {
  const node = unwrapExpression(expression)
  if (depth > MAX_DEPTH) return [{ expression: node, scope }]
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ text: node.text }]
  if (ts.isTemplateExpression(node)) {
    const pieces: Piece[] = [{ text: node.head.text }]
    for (const span of node.templateSpans) {
      pieces.push(...flatten(span.expression, scope, model, depth + 1))
      pieces.push({ text: span.literal.text })
    }
    return pieces
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...flatten(node.left, scope, model, depth + 1), ...flatten(node.right, scope, model, depth + 1)]
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments && node.arguments.length > 0) {
    const [input, base] = node.arguments
    const inputPieces = flatten(input, scope, model, depth + 1)
    // new URL(x, base): an absolute or protocol-relative x replaces the base's host.
    if (!base || !('text' in inputPieces[0])) return inputPieces.map((piece, index) => (index === 0 && !('text' in piece) ? { ...piece, forceHost: true } : piece))
    const firstText = (inputPieces[0] as { text: string }).text
    if (firstText.includes('://') || firstText.startsWith('//')) return inputPieces
    return [...flatten(base, scope, model, depth + 1), ...inputPieces]
  }
  if (ts.isIdentifier(node)) {
    const declaration = declarationOf(node)
    if (declaration && ts.isVariableDeclaration(declaration.node) && declaration.path.length === 0 && declaration.node.initializer) {
      const list = declaration.node.parent
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) return flatten(declaration.node.initializer, scope, model, depth + 1)
    }
  }
  const constant = staticString(node, scope, model)
  if (constant !== undefined) return [{ text: constant }]
  return [{ expression: node, scope }]
}

/** A module-level constant string (`API_BASE_URL` from `./constants`), via the model's evaluator. */
function staticString(node: ts.Expression, scope: Scope, model: IntegrationModel): string | undefined {
  let root: ts.Expression = node
  while (ts.isPropertyAccessExpression(root)) root = root.expression
  if (!ts.isIdentifier(root)) return undefined
  const declaration = declarationOf(root)
  if (!declaration) return undefined
  const declared = declaration.node
  const topLevel = ts.isImportClause(declared) || ts.isImportSpecifier(declared) || ts.isNamespaceImport(declared) || (ts.isVariableDeclaration(declared) && ts.isSourceFile(declared.parent.parent.parent))
  if (!topLevel) return undefined
  try {
    const value = model.evaluator.evaluate(node, scope.file)
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}
