// security/insecure-http-url: a plain `http://` URL in integration code that can reach a
// request (a call's argument, a returned or stored URL, a setting's default). Documentation
// strings (descriptions, labels, placeholders), XML namespace identifiers, claim names used as
// keys or types, local hosts and string comparisons (`url.startsWith('http://')`) are not
// requests and are not reported.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, isInTypePosition, positionOf, staticPropertyName } from './support/code-files.js'
import { redactUrlCredentials } from './support/redact-secret.js'
import { indexOfNode, nodesOfKind, syntaxIndexOf } from '../../model/syntax-index.js'

const DOCUMENTATION_PROPERTIES = new Set([
  'description',
  'label',
  'placeholder',
  'title',
  'example',
  'examples',
  'help',
  'docs',
  'summary',
  'comment',
  'hint',
  'documentation',
  'docsUrl'
])
const STRING_TEST_METHODS = new Set([
  'startsWith',
  'endsWith',
  'includes',
  'replace',
  'replaceAll',
  'indexOf',
  'lastIndexOf',
  'match',
  'split',
  'test',
  'search'
])
/** Identifiers that look like URLs but are never fetched (XML and schema namespaces). */
const NAMESPACE_HOSTS = new Set([
  'www.w3.org',
  'w3.org',
  'schemas.xmlsoap.org',
  'schemas.microsoft.com',
  'json-schema.org',
  'purl.org',
  'schema.org',
  'www.sitemaps.org',
  'xmlns.com',
  'ns.adobe.com',
  'docs.oasis-open.org',
  'schemas.openxmlformats.org',
  'www.omg.org',
  'www.google.com'
])

/**
 * `http://` in any case, tested without lowering the whole string (no copy of every literal): only
 * ASCII letters lower-case to the letters of `http`, so this is `text.toLowerCase().startsWith('http://')`.
 */
const HTTP_PREFIX = /^http:\/\//i

/** The string literal kinds a URL is written in; a template's head holds its `http://`. */
const URL_LITERAL_KINDS = [ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead]

function hostOf(text: string): string {
  const rest = text.slice('http://'.length)
  let end = rest.length
  for (const stop of ['/', ':', '?', '#']) {
    const index = rest.indexOf(stop)
    if (index >= 0 && index < end) end = index
  }
  return rest.slice(0, end).toLowerCase()
}

function isLocalOrReservedHost(host: string): boolean {
  if (host === 'localhost' || host.startsWith('127.') || host === '0.0.0.0' || host.startsWith('[::1]')) return true
  return ['.local', '.localhost', '.test', '.example', '.invalid', 'example.com', 'example.org', 'example.net'].some((suffix) =>
    host.endsWith(suffix)
  )
}

/** Property keys under which a URL is one the code calls or offers as a setting's default. */
const URL_PROPERTY_WORDS = ['url', 'uri', 'endpoint', 'host', 'base', 'href', 'server', 'origin', 'api', 'domain', 'default', 'prefix']

/**
 * True when the literal can reach a request: a request or helper call's argument, a returned
 * value, a setting's `default`, a URL-named property, or a variable the code reads. A claim name
 * (`'http://partner.com/org_id'` as a key, a type member or an index) reaches nothing.
 */
function reachesRequest(literal: ts.Node, usesOf: (name: string) => { all: number; values: number }): boolean {
  let node: ts.Node = literal
  // Up through the expression the literal is part of (`BASE + path`, templates, branches).
  for (let guard = 0; guard < 20; guard++) {
    const parent: ts.Node = node.parent
    const joins =
      ts.isBinaryExpression(parent) &&
      [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind)
    const branch = ts.isConditionalExpression(parent) && parent.condition !== node
    if (
      ts.isTemplateSpan(parent) ||
      ts.isTemplateExpression(parent) ||
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      branch ||
      joins
    ) {
      node = parent
      continue
    }
    break
  }
  const parent = node.parent
  if (isInTypePosition(literal) || ts.isLiteralTypeNode(literal.parent)) return false
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return false
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent)) &&
    parent.name === node
  )
    return false
  if (ts.isComputedPropertyName(parent)) return false
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return ((parent.arguments ?? []) as readonly ts.Node[]).includes(node)
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent) || ts.isArrayLiteralExpression(parent) || ts.isExportAssignment(parent))
    return true
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return true
  if (ts.isPropertyAssignment(parent)) {
    const key = (staticPropertyName(parent.name) ?? '').toLowerCase()
    return URL_PROPERTY_WORDS.some((word) => key.includes(word))
  }
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    // Read somewhere as a value (not only as a key or in a comparison); an exported constant nobody here reads may be read elsewhere.
    const uses = usesOf(parent.name.text)
    return uses.values > 0 || (uses.all === 0 && isExported(parent))
  }
  if (ts.isVariableDeclaration(parent)) return true
  if (ts.isParameter(parent) || ts.isBindingElement(parent)) return true
  return false
}

function isExported(declaration: ts.VariableDeclaration): boolean {
  const statement = declaration.parent?.parent
  return (
    statement !== undefined &&
    ts.isVariableStatement(statement) &&
    (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  )
}

/** True when the literal only documents or compares, and is never a request target. */
function isNonRequestContext(literal: ts.Node): boolean {
  for (
    let node: ts.Node = literal, parent = literal.parent, guard = 0;
    parent && guard < 20;
    node = parent, parent = parent.parent, guard++
  ) {
    if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
      const name = staticPropertyName(parent.name) ?? ''
      return DOCUMENTATION_PROPERTIES.has(name) || name.toLowerCase().includes('xmlns')
    }
    if (
      ts.isCallExpression(parent) &&
      ts.isPropertyAccessExpression(parent.expression) &&
      STRING_TEST_METHODS.has(parent.expression.name.text)
    )
      return true
    if (
      ts.isBinaryExpression(parent) &&
      [
        ts.SyntaxKind.EqualsEqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsEqualsToken,
        ts.SyntaxKind.EqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsToken
      ].includes(parent.operatorToken.kind)
    )
      return true
    if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text.endsWith('Error')) return true
    if (ts.isExpressionStatement(parent) || ts.isVariableDeclaration(parent) || ts.isReturnStatement(parent) || ts.isArrowFunction(parent))
      return false
  }
  return false
}

export const insecureHttpUrl = defineRule({
  id: 'security/insecure-http-url',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Requests use HTTPS',
  docs: {
    why: "A request over plain HTTP sends customers' personal data and the integration's credentials in clear text across the internet.",
    fix: "Use the partner's `https://` endpoint. Links in field descriptions are not affected.",
    bad: "const BASE_URL = 'http://api.partner.com/v2'",
    good: "const BASE_URL = 'https://api.partner.com/v2'"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    const files = codeFilesOf(context).filter((file) => !file.isTest)
    // How often a name is read in the integration's code, beyond its own declaration.
    const counted = new Map<string, { all: number; values: number }>()
    const usesOf = (name: string) => {
      const known = counted.get(name)
      if (known) return { ...known }
      const uses = { all: 0, values: 0 }
      counted.set(name, uses)
      for (const file of files) {
        for (const node of nodesOfKind(file.parsed.sourceFile, ts.SyntaxKind.Identifier)) {
          if (!ts.isIdentifier(node) || node.text !== name) continue
          const parent = node.parent
          if ((ts.isVariableDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.name === node)
            continue
          if (ts.isPropertyAccessExpression(parent) && parent.name === node) continue
          uses.all++
          const keyOnly =
            (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) ||
            ts.isComputedPropertyName(parent) ||
            isNonRequestContext(node)
          if (!keyOnly) uses.values++
        }
      }
      return uses
    }
    for (const file of files) {
      const sourceFile = file.parsed.sourceFile
      // The literals of each kind that start with `http://` (few), in walk order across the kinds.
      const httpLiterals: Array<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead> = []
      let kindsFound = 0
      for (const kind of URL_LITERAL_KINDS) {
        const before = httpLiterals.length
        for (const node of nodesOfKind<ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead>(sourceFile, kind)) {
          if (HTTP_PREFIX.test(node.text)) httpLiterals.push(node)
        }
        if (httpLiterals.length > before) kindsFound++
      }
      if (kindsFound > 1) {
        const index = syntaxIndexOf(sourceFile)
        httpLiterals.sort((a, b) => indexOfNode(index, a) - indexOfNode(index, b))
      }
      for (const node of httpLiterals) {
        const text = node.text
        const host = hostOf(text)
        if (isLocalOrReservedHost(host) || NAMESPACE_HOSTS.has(host)) continue
        const literal = ts.isTemplateHead(node) ? node.parent : node
        if (isNonRequestContext(literal) || !reachesRequest(literal, usesOf)) continue
        const { line, column } = positionOf(sourceFile, node)
        const shown = redactUrlCredentials(text)
        findings.push({
          message: `\`${shown.slice(0, 60)}${shown.length > 60 ? '…' : ''}\` uses plain HTTP, so requests to it send customer data and credentials unencrypted. Use the \`https://\` endpoint.`,
          path: file.path,
          line,
          column,
          key: `${file.path}#${host}`
        })
      }
    }
    return findings
  }
})
