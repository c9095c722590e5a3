// Splits a request URL expression into static text and dynamic parts, and says for each dynamic
// part whether it lands in the scheme/host, the path or the query (CodeQL's host-sanitising
// prefix idea): `https://${x}.partner.com` is host, `/users/${x}` path, `?q=${x}` query.
import { ts } from '../../../model/typescript.js'
import type { IntegrationModel } from '../../../model/extract-integration.js'
import type { ParsedFile } from '../../../model/source-program.js'
import { unwrapExpression, walkNodes } from './code-files.js'
import { declarationOf, type Scope, type TaintAnalysis } from './taint.js'
import { DerivedFact } from '../../../model/derived-facts.js'

type UrlPosition = 'host' | 'path' | 'query'

export interface DynamicUrlPart {
  expression: ts.Expression
  position: UrlPosition
  scope: Scope
  /** Where a finding about the part is shown: the part itself, or the request's URL when the part is inside a helper. */
  at: { node: ts.Node; file: ParsedFile }
  /** True when the analysis could not place the part (too many spellings): a finding on it is a warning at most. */
  uncertain?: boolean
}

/** `uncertain`: the URL had too many spellings (or nested too deep) to place this value: it stands for the whole. */
type Piece = { text: string } | { expression: ts.Expression; scope: Scope; forceHost?: boolean; uncertain?: boolean }
/** The ways a URL expression may be spelled: one list of pieces per alternative (branches, reassignments). */
type Alternatives = Piece[][]

const MAX_DEPTH = 12
/** Past this many alternatives a value is one unknown piece again. */
const MAX_ALTERNATIVES = 8

/**
 * What a request's URL is made of: its dynamic parts with their positions (see dynamicUrlParts)
 * and the hosts the code fixes (see staticHostsOf). Both read the same spellings of the URL,
 * which are worked out once.
 */
export function urlPartsAndHosts(
  url: ts.Expression,
  scope: Scope,
  model: IntegrationModel,
  analysis?: TaintAnalysis
): { parts: DynamicUrlPart[]; hosts: string[] | undefined } {
  const alternatives = flatten(url, scope, { model, analysis }, 0)
  return { parts: dynamicUrlParts(alternatives, url, scope), hosts: staticHostsOf(alternatives) }
}

/** The dynamic parts of a URL with their positions, over every way the URL may be spelled. */
function dynamicUrlParts(alternatives: Alternatives, url: ts.Expression, scope: Scope): DynamicUrlPart[] {
  const parts: DynamicUrlPart[] = []
  const seen = new Map<ts.Expression, DynamicUrlPart>()
  for (const pieces of alternatives) {
    for (const part of partsOf(pieces, url, scope)) {
      const known = seen.get(part.expression)
      // One expression in the host of any alternative is in the host.
      if (known) {
        if (part.position === 'host') known.position = 'host'
        continue
      }
      seen.set(part.expression, part)
      parts.push(part)
    }
  }
  return parts
}

function partsOf(pieces: Piece[], url: ts.Expression, scope: Scope): DynamicUrlPart[] {
  // A URL that is one value as a whole (`request(target)`) is reported where the request uses it.
  const at = (piece: { expression: ts.Expression; scope: Scope }) =>
    piece.scope.file === scope.file && piece.scope.hops === scope.hops
      ? { node: piece.expression, file: piece.scope.file }
      : { node: url, file: scope.file }
  if (pieces.length === 1 && !('text' in pieces[0])) {
    const piece = pieces[0]
    const sameScope = piece.scope.file === scope.file && piece.scope.hops === scope.hops
    return [
      {
        expression: piece.expression,
        position: 'host',
        scope: piece.scope,
        at: sameScope && isUrlArgumentItself(piece.expression, url) ? { node: url, file: scope.file } : at(piece),
        ...(piece.uncertain ? { uncertain: true } : {})
      }
    ]
  }
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
    parts.push({
      expression: piece.expression,
      position,
      scope: piece.scope,
      at: at(piece),
      ...(piece.uncertain ? { uncertain: true } : {})
    })
    if (state === 'start') state = 'host'
  }
  return parts
}

/** `request(target)` where `target` is a binding of the URL as a whole: shown at the request. */
function isUrlArgumentItself(piece: ts.Expression, url: ts.Expression): boolean {
  if (piece === unwrapExpression(url)) return true
  // The whole URL spelled through a const (`const target = payload.callbackUrl`) is shown where it is used.
  return ts.isIdentifier(unwrapExpression(url))
}

function firstOf(text: string, characters: string[]): number {
  let first = -1
  for (const character of characters) {
    const index = text.indexOf(character)
    if (index >= 0 && (first < 0 || index < first)) first = index
  }
  return first
}

interface FlattenContext {
  model: IntegrationModel
  analysis?: TaintAnalysis
}

/** Every a-then-b of two alternative lists, or undefined when there would be too many. */
function concatenate(left: Alternatives, right: Alternatives): Alternatives | undefined {
  if (left.length * right.length > MAX_ALTERNATIVES) return undefined
  return left.flatMap((a) => right.map((b) => [...a, ...b]))
}

function union(...lists: Alternatives[]): Alternatives | undefined {
  const all = lists.flat()
  return all.length > MAX_ALTERNATIVES ? undefined : all
}

function flatten(expression: ts.Expression, scope: Scope, context: FlattenContext, depth: number): Alternatives {
  const node = unwrapExpression(expression)
  const unknown: Alternatives = [[{ expression: node, scope }]]
  // Past the bounds the value is still reported where it is, but as a whole the analysis could not place.
  const collapsed: Alternatives = [[{ expression: node, scope, uncertain: true }]]
  if (depth > MAX_DEPTH) return collapsed
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [[{ text: node.text }]]
  if (ts.isTemplateExpression(node)) {
    let result: Alternatives | undefined = [[{ text: node.head.text }]]
    for (const span of node.templateSpans) {
      result = result && concatenate(result, flatten(span.expression, scope, context, depth + 1))
      result = result && concatenate(result, [[{ text: span.literal.text }]])
    }
    return result ?? collapsed
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return concatenate(flatten(node.left, scope, context, depth + 1), flatten(node.right, scope, context, depth + 1)) ?? collapsed
  }
  if (ts.isConditionalExpression(node))
    return union(flatten(node.whenTrue, scope, context, depth + 1), flatten(node.whenFalse, scope, context, depth + 1)) ?? collapsed
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    return union(flatten(node.left, scope, context, depth + 1), flatten(node.right, scope, context, depth + 1)) ?? collapsed
  }
  if (
    ts.isNewExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'URL' &&
    node.arguments &&
    node.arguments.length > 0
  ) {
    const [input, base] = node.arguments
    const alternatives: Alternatives = []
    for (const inputPieces of flatten(input, scope, context, depth + 1)) {
      // new URL(x, base): an absolute or protocol-relative x replaces the base's host.
      if (!base || !('text' in inputPieces[0])) {
        alternatives.push(inputPieces.map((piece, index) => (index === 0 && !('text' in piece) ? { ...piece, forceHost: true } : piece)))
        continue
      }
      const firstText = inputPieces[0].text
      if (firstText.includes('://') || firstText.startsWith('//')) alternatives.push(inputPieces)
      else for (const basePieces of flatten(base, scope, context, depth + 1)) alternatives.push([...basePieces, ...inputPieces])
    }
    return alternatives.length > MAX_ALTERNATIVES ? collapsed : alternatives
  }
  // `url.toString()` and `url.href` spell the same URL.
  if (
    ts.isCallExpression(node) &&
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'toString'
  )
    return flatten(node.expression.expression, scope, context, depth + 1)
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'href') {
    const inner = flatten(node.expression, scope, context, depth + 1)
    if (!(inner.length === 1 && inner[0].length === 1 && !('text' in inner[0][0]))) return inner
  }
  if (ts.isIdentifier(node)) {
    const reassigned = reassignedLet(node)
    if (reassigned) return flattenLet(reassigned, scope, context, depth) ?? collapsed
  }
  // Const bindings, object properties and a helper's returned value, when they are known.
  if (context.analysis && (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node))) {
    const values = context.analysis.valuesOf(node, scope)
    if (values && !(values.length === 1 && values[0].expression === node)) {
      const alternatives = union(...values.map((value) => flatten(value.expression, value.scope, context, depth + 1)))
      if (alternatives) return alternatives
    }
  } else if (ts.isIdentifier(node)) {
    const declaration = declarationOf(node)
    if (declaration && ts.isVariableDeclaration(declaration.node) && declaration.path.length === 0 && declaration.node.initializer) {
      const list = declaration.node.parent
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const)
        return flatten(declaration.node.initializer, scope, context, depth + 1)
    }
  }
  const constant = staticString(node, scope, context.model)
  if (constant !== undefined) return [[{ text: constant }]]
  return unknown
}

interface ReassignedLet {
  declaration: ts.VariableDeclaration
  /** Values given with `=` (the initializer first). */
  values: ts.Expression[]
  /** Values appended with `+=`, in source order. */
  appended: ts.Expression[]
}

/** What reassignedLet found, by declaration and name: every read of the `let` in every URL asks again. */
const reassignments = new DerivedFact<ts.VariableDeclaration, Map<string, ReassignedLet | null>>('reassignments by name')

/** A `let` URL extended with `+=` or reassigned with `=` in its own block. */
function reassignedLet(identifier: ts.Identifier): ReassignedLet | undefined {
  const declaration = declarationOf(identifier)
  if (!declaration || declaration.path.length > 0 || !ts.isVariableDeclaration(declaration.node) || !declaration.node.initializer)
    return undefined
  const byName = reassignments.of(declaration.node, () => new Map<string, ReassignedLet | null>())
  const known = byName.get(identifier.text)
  if (known !== undefined) return known ?? undefined
  const found = findReassignments(declaration.node, declaration.node.initializer, identifier.text)
  byName.set(identifier.text, found ?? null)
  return found
}

function findReassignments(declaration: ts.VariableDeclaration, initializer: ts.Expression, name: string): ReassignedLet | undefined {
  const list = declaration.parent
  if (!ts.isVariableDeclarationList(list) || list.flags & ts.NodeFlags.Const) return undefined
  const container = list.parent?.parent
  if (!container) return undefined
  const values: ts.Expression[] = [initializer]
  const appended: ts.Expression[] = []
  let unsupported = false
  walkNodes(container, (node) => {
    if (unsupported) return false
    if (!ts.isBinaryExpression(node) || !ts.isIdentifier(node.left) || node.left.text !== name) return undefined
    if (declarationOf(node.left)?.node !== declaration) return undefined
    const operator = node.operatorToken.kind
    if (operator === ts.SyntaxKind.EqualsToken) values.push(node.right)
    else if (operator === ts.SyntaxKind.PlusEqualsToken) appended.push(node.right)
    else if (operator >= ts.SyntaxKind.FirstCompoundAssignment && operator <= ts.SyntaxKind.LastCompoundAssignment) unsupported = true
    return undefined
  })
  if (unsupported || (values.length === 1 && appended.length === 0)) return undefined
  return { declaration, values, appended }
}

/** Each value given to the `let`, followed by everything appended to it (the host is the value's). */
function flattenLet(variable: ReassignedLet, scope: Scope, context: FlattenContext, depth: number): Alternatives | undefined {
  let tail: Alternatives | undefined = [[]]
  for (const expression of variable.appended) tail = tail && concatenate(tail, flatten(expression, scope, context, depth + 1))
  if (!tail) return undefined
  const bases = union(...variable.values.map((value) => flatten(value, scope, context, depth + 1)))
  return bases && concatenate(bases, tail)
}

/** A module-level constant string (`API_BASE_URL` from `./constants`), via the model's evaluator. */
function staticString(node: ts.Expression, scope: Scope, model: IntegrationModel): string | undefined {
  let root: ts.Expression = node
  while (ts.isPropertyAccessExpression(root)) root = root.expression
  if (!ts.isIdentifier(root)) return undefined
  const declaration = declarationOf(root)
  if (!declaration) return undefined
  const declared = declaration.node
  const topLevel =
    ts.isImportClause(declared) ||
    ts.isImportSpecifier(declared) ||
    ts.isNamespaceImport(declared) ||
    (ts.isVariableDeclaration(declared) && ts.isSourceFile(declared.parent.parent.parent))
  if (!topLevel) return undefined
  try {
    const value = model.evaluator.evaluate(node, scope.file)
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/** A port at the end of an authority (`:8443`). */
export const PORT_SUFFIX = /:\d+$/

/**
 * The hosts a request URL is sent to when the code fixes them (`https://api.partner.com/…` in
 * every alternative), lower-cased without port or user info; undefined when any alternative's
 * host is dynamic or the URL is relative (resolved against `extendRequest`'s prefix).
 */
function staticHostsOf(alternatives: Alternatives): string[] | undefined {
  const hosts = new Set<string>()
  for (const pieces of alternatives) {
    let text = ''
    let complete = false
    for (const piece of pieces) {
      if (!('text' in piece)) break
      text += piece.text
      const scheme = text.indexOf('://')
      if (scheme >= 0 && firstOf(text.slice(scheme + 3), ['/', '?', '#']) >= 0) {
        complete = true
        break
      }
    }
    if (!complete && pieces.every((piece) => 'text' in piece)) complete = text.includes('://')
    if (!complete) return undefined
    const afterScheme = text.slice(text.indexOf('://') + 3)
    const end = firstOf(afterScheme, ['/', '?', '#'])
    const authority = end >= 0 ? afterScheme.slice(0, end) : afterScheme
    const host = authority
      .slice(authority.lastIndexOf('@') + 1)
      .replace(PORT_SUFFIX, '')
      .toLowerCase()
    if (host.length === 0) return undefined
    hosts.add(host)
  }
  return hosts.size > 0 ? [...hosts] : undefined
}

/** The registrable part of a host (`api.eu.partner.com` → `partner.com`, `x.partner.co.uk` → `partner.co.uk`). */
export function registrableDomain(host: string): string {
  const labels = host.split('.')
  if (labels.length <= 2) return host
  const secondLevel = labels[labels.length - 2]
  const country = labels[labels.length - 1].length === 2
  const take = country && ['co', 'com', 'net', 'org', 'gov', 'ac', 'edu'].includes(secondLevel) ? 3 : 2
  return labels.slice(-take).join('.')
}
