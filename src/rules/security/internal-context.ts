// security/internal-context (partner): the execution-context members reserved for Segment's
// own integrations — features, statsContext, logger, transactionContext, stateContext,
// subscriptionMetadata, engageDestinationCache — read from a perform/hook argument.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, staticPropertyName, walkTree, fileLabel } from './support/code-files.js'

export const INTERNAL_CONTEXT_MEMBERS = new Set(['features', 'statsContext', 'logger', 'transactionContext', 'stateContext', 'subscriptionMetadata', 'engageDestinationCache'])

/** Functions passed straight to a call (`items.map(({ logger }) => …)`) are not framework entry points. */
function isCallbackArgument(fn: ts.SignatureDeclaration): boolean {
  const parent = fn.parent
  return ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression)
}

/** The execution-data parameter: the second parameter of a non-callback function. */
function executionParameter(node: ts.Node): ts.ParameterDeclaration | undefined {
  if (!ts.isParameter(node)) return undefined
  const fn = node.parent
  if (!ts.isFunctionLike(fn) || isCallbackArgument(fn)) return undefined
  return fn.parameters.indexOf(node) === 1 ? node : undefined
}

export const internalContext = defineRule({
  id: 'security/internal-context',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'partner',
  title: "Partner code does not use Segment's internal execution context",
  docs: {
    why: "`features`, `statsContext`, `logger`, `transactionContext`, `stateContext`, `subscriptionMetadata` and `engageDestinationCache` are Segment's internal plumbing: flags, metrics and state that partner integrations must not depend on or write to.",
    fix: 'Remove the use. Report failures by throwing an `IntegrationError`; keep state in the partner API, not in the execution context.',
    bad: 'perform: (request, { payload, statsContext }) => { statsContext?.statsClient.incr(\'sent\') }',
    good: 'perform: (request, { payload }) => request(URL, { method: \'POST\', json: payload })'
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      const report = (node: ts.Node, member: string) => {
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          message: `\`${member}\` is read from the execution context in \`${fileLabel(file.path)}\`. It is reserved for Segment's own integrations: remove it (throw an \`IntegrationError\` to report failures).`,
          path: file.path,
          line,
          column,
          key: `${member}@${file.path}`
        })
      }
      const executionNames = new Set<string>()
      walkTree(sourceFile, (node) => {
        const parameter = executionParameter(node)
        if (!parameter) return
        if (ts.isIdentifier(parameter.name)) executionNames.add(parameter.name.text)
        else if (ts.isObjectBindingPattern(parameter.name)) {
          for (const element of parameter.name.elements) {
            const key = element.propertyName ? staticPropertyName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : undefined
            if (key && INTERNAL_CONTEXT_MEMBERS.has(key)) report(element, key)
          }
        }
      })
      if (executionNames.size === 0) continue
      walkTree(sourceFile, (node) => {
        if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression)) return
        if (!executionNames.has(node.expression.text) || !INTERNAL_CONTEXT_MEMBERS.has(node.name.text)) return
        // Only reads of a parameter that is the execution data of its function.
        const declaration = parameterDeclaring(node.expression)
        if (declaration && executionParameter(declaration)) report(node, node.name.text)
      })
    }
    return findings
  }
})

/** The parameter an identifier refers to, searching the enclosing functions. */
function parameterDeclaring(identifier: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const found = scope.parameters.find((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === identifier.text)
      if (found) return found
    }
  }
  return undefined
}
