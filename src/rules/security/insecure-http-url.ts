// security/insecure-http-url: a plain `http://` URL in integration code. Documentation
// strings (descriptions, labels, placeholders), XML namespace identifiers, local hosts and
// string comparisons (`url.startsWith('http://')`) are not requests and are not reported.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, staticPropertyName, walkTree } from './support/code-files.js'
import { redactUrlCredentials } from './support/redact-secret.js'

const DOCUMENTATION_PROPERTIES = new Set(['description', 'label', 'placeholder', 'title', 'example', 'examples', 'help', 'docs', 'summary', 'comment', 'hint', 'documentation', 'docsUrl'])
const STRING_TEST_METHODS = new Set(['startsWith', 'endsWith', 'includes', 'replace', 'replaceAll', 'indexOf', 'lastIndexOf', 'match', 'split', 'test', 'search'])
/** Identifiers that look like URLs but are never fetched (XML and schema namespaces). */
const NAMESPACE_HOSTS = new Set([
  'www.w3.org', 'w3.org', 'schemas.xmlsoap.org', 'schemas.microsoft.com', 'json-schema.org', 'purl.org', 'schema.org', 'www.sitemaps.org',
  'xmlns.com', 'ns.adobe.com', 'docs.oasis-open.org', 'schemas.openxmlformats.org', 'www.omg.org', 'www.google.com'
])

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
  return ['.local', '.localhost', '.test', '.example', '.invalid', 'example.com', 'example.org', 'example.net'].some((suffix) => host.endsWith(suffix))
}

/** True when the literal only documents or compares, and is never a request target. */
function isNonRequestContext(literal: ts.Node): boolean {
  for (let node: ts.Node = literal, parent = literal.parent, guard = 0; parent && guard < 20; node = parent, parent = parent.parent, guard++) {
    if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
      const name = staticPropertyName(parent.name) ?? ''
      return DOCUMENTATION_PROPERTIES.has(name) || name.toLowerCase().includes('xmlns')
    }
    if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && STRING_TEST_METHODS.has(parent.expression.name.text)) return true
    if (ts.isBinaryExpression(parent) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(parent.operatorToken.kind)) return true
    if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text.endsWith('Error')) return true
    if (ts.isExpressionStatement(parent) || ts.isVariableDeclaration(parent) || ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return false
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
    fix: 'Use the partner\'s `https://` endpoint. Links in field descriptions are not affected.',
    bad: "const BASE_URL = 'http://api.partner.com/v2'",
    good: "const BASE_URL = 'https://api.partner.com/v2'"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      walkTree(sourceFile, (node) => {
        let text: string | undefined
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text
        else if (ts.isTemplateHead(node)) text = node.text
        if (text === undefined || !text.toLowerCase().startsWith('http://')) return
        const host = hostOf(text)
        if (isLocalOrReservedHost(host) || NAMESPACE_HOSTS.has(host)) return
        const literal = ts.isTemplateHead(node) ? node.parent : node
        if (isNonRequestContext(literal)) return
        const { line, column } = positionOf(sourceFile, node)
        const shown = redactUrlCredentials(text)
        findings.push({
          message: `\`${shown.slice(0, 60)}${shown.length > 60 ? '…' : ''}\` uses plain HTTP, so requests to it send customer data and credentials unencrypted. Use the \`https://\` endpoint.`,
          path: file.path,
          line,
          column,
          key: `${file.path}#${host}`
        })
      })
    }
    return findings
  }
})
