// security/no-process-env (partner): `process.env` in integration code. Configuration comes
// from settings; the worker's environment holds Segment's own secrets. For organisation-owned
// code a single named read (`process.env.NODE_ENV`) is accepted; whole-object and computed reads are not.
import { ts } from '../../model/typescript.js'
import { memberName, unwrapExpression } from './support/code-files.js'
import { defineModuleCallRule, usePattern } from './support/module-call-rule.js'
import { isGlobalPath } from './support/module-references.js'

export const noProcessEnv = defineModuleCallRule({
  id: 'security/no-process-env',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'partner',
  title: 'No environment variables',
  docs: {
    why: "The worker's environment belongs to Segment and holds its own credentials. Integration configuration comes from settings, which customers control per destination.",
    fix: "If the value is something each customer provides (their API key, region…), add a setting (type `password` for secrets) and read `settings.<key>`. If it is a secret Segment provisions for your integration (an OAuth app's client secret, for example), do not move it into a customer-visible setting: ask your Segment reviewer how it is supplied.",
    bad: 'const apiKey = process.env.ACME_API_KEY',
    good: 'const apiKey = settings.apiKey'
  },
  uses: [
    // Import declarations hold no reads: the names they bind are not expression uses (isExpressionUse).
    usePattern<ts.Expression>(
      [ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.ElementAccessExpression, ts.SyntaxKind.Identifier],
      (node, site) => {
        if (ts.isIdentifier(node) && !(site.references.isImportedName(site.parsed, node.text) && isExpressionUse(node))) return undefined
        if (!isGlobalPath(site.resolve(node), ['process', 'env'])) return undefined
        const variable = namedRead(node)
        // Organisation-owned code may read a named flag; the engine shows the rest as info.
        if (variable !== undefined && !site.context.pullRequest.authorIsPartner) return undefined
        return {
          what: variable !== undefined ? `\`process.env.${variable}\`` : 'The whole `process.env` (or a computed key of it)',
          key: `process.env.${variable ?? '*'}`
        }
      }
    )
  ],
  message: ({ what }, file) =>
    `${what} is used in \`${file}\`. The worker's environment belongs to Segment, not to the integration. If each customer provides this value, add a setting and read it from \`settings\`; if it is a secret Segment provisions (an OAuth client secret, for example), keep it out of settings and ask your Segment reviewer how it is supplied.`
})

/** The variable name when the environment is read by a static name (`.X`, `['X']`, `const { X } =`). */
function namedRead(environment: ts.Expression): string | undefined {
  let node: ts.Node = environment
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))
    node = node.parent
  const parent = node.parent
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) &&
    unwrapExpression(parent.expression) === unwrapExpression(node as ts.Expression)
  )
    return memberName(parent)
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isObjectBindingPattern(parent.name)) {
    const names = parent.name.elements.map((element) =>
      element.dotDotDotToken
        ? undefined
        : element.propertyName && ts.isIdentifier(element.propertyName)
          ? element.propertyName.text
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined
    )
    return names.length === 1 && names[0] !== undefined ? names[0] : undefined
  }
  return undefined
}

function isExpressionUse(identifier: ts.Identifier): boolean {
  const parent = identifier.parent
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false
  if (
    (ts.isVariableDeclaration(parent) || ts.isBindingElement(parent) || ts.isParameter(parent) || ts.isPropertyAssignment(parent)) &&
    parent.name === identifier
  )
    return false
  return !ts.isImportSpecifier(parent) && !ts.isImportClause(parent) && !ts.isNamespaceImport(parent)
}
