// sources/settings-at-module-scope: a source function's settings belong to one invocation. Read at
// module scope, or copied into a module-level variable, they outlive it: the runtime reuses
// module state across invocations, so one customer's key can serve another's request.
import { ts } from '../../model/typescript.js'
import { findLocalBinding } from '../../model/source/describe-value.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf } from '../security/support/code-files.js'
import { nodesOfKinds } from '../../model/syntax-index.js'
import { sourceModelOf } from './support/source-calls.js'

function insideFunction(node: ts.Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isFunctionLike(parent)) return true
  return false
}

function mentions(node: ts.Node, name: string): boolean {
  let found = false
  const visit = (child: ts.Node) => {
    if (found) return
    if (ts.isIdentifier(child) && child.text === name) {
      const binding = findLocalBinding(child, name)
      if (binding?.kind === 'parameter') found = true
    }
    ts.forEachChild(child, visit)
  }
  visit(node)
  return found
}

/** The node kinds this rule reads (one constant list: the syntax index keys its merged lists by list). */
const READ_AND_ASSIGN_KINDS = [ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.BinaryExpression]

export const settingsAtModuleScope = defineRule({
  id: 'sources/settings-at-module-scope',
  category: 'sources',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Settings are read inside the handler',
  docs: {
    why: "The Functions runtime reuses a module's state between invocations. Settings read at module scope or cached in a module-level variable can carry one source's secrets into another invocation, and go stale when the customer changes them.",
    fix: 'Read `settings.<name>` inside `onRequest` each time, and keep derived clients in local variables.',
    bad: 'let apiKey\nasync function onRequest(request, settings) { apiKey = apiKey || settings.apiKey }',
    good: 'async function onRequest(request, settings) { const apiKey = settings.apiKey }'
  },
  scope: 'integration',
  check(context) {
    const model = sourceModelOf(context)
    if (!model?.handler) return []
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      // Property reads and assignments from the file's shared syntax index, in walk order.
      for (const node of nodesOfKinds(sourceFile, READ_AND_ASSIGN_KINDS)) {
        if (
          ts.isPropertyAccessExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === 'settings' &&
          !insideFunction(node)
        ) {
          const { line, column } = positionOf(sourceFile, node)
          findings.push({
            path: file.path,
            line,
            column,
            key: `module-read@${file.path}#${node.name.text}`,
            message: `\`settings.${node.name.text}\` is read at module scope, outside the handler. Settings belong to one invocation; read them inside \`onRequest\`.`
          })
          continue
        }
        if (
          !ts.isBinaryExpression(node) ||
          node.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
          !ts.isIdentifier(node.left) ||
          !insideFunction(node)
        )
          continue
        if (findLocalBinding(node.left, node.left.text)) continue
        const handler = findHandlerSettingsName(node)
        if (!handler || !mentions(node.right, handler)) continue
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          path: file.path,
          line,
          column,
          key: `module-cache@${file.path}#${node.left.text}`,
          message: `The module-level variable \`${node.left.text}\` is set from the handler's settings. Module state outlives the invocation, so the value can serve a later request with other settings; keep it in a local variable.`
        })
      }
    }
    return findings
  }
})

/** The settings parameter's name of the enclosing `onRequest`, if the node is inside one. */
function findHandlerSettingsName(node: ts.Node): string | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (!ts.isFunctionLike(parent)) continue
    const name = ts.isFunctionDeclaration(parent)
      ? parent.name?.text
      : ts.isVariableDeclaration(parent.parent) && ts.isIdentifier(parent.parent.name)
        ? parent.parent.name.text
        : undefined
    const settings = (parent as ts.FunctionLikeDeclaration).parameters?.[1]
    if (name === 'onRequest' && settings && ts.isIdentifier(settings.name)) return settings.name.text
  }
  return undefined
}
