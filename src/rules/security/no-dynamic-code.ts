// security/no-dynamic-code: code built or loaded at run time — `eval`, `new Function`, string
// timers, `vm`, non-literal `require`/`import()`, `createRequire`, `process.binding`/`dlopen`.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, unwrapExpression, walkNodes, fileLabel } from './support/code-files.js'
import { matchesModule } from './support/module-rule.js'
import { globalPath, moduleReferencesFor } from './support/module-references.js'

const CODE_EVALUATION_MODULES = ['vm', 'vm2', 'isolated-vm', 'safe-eval', 'static-eval'] as const
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate'])
const WEBASSEMBLY_LOADERS = new Set(['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming', 'Module'])

/** True when an expression evaluates to a string (a literal, a template or a concatenation with one). */
function isStringExpression(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression)
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringExpression(node.left) || isStringExpression(node.right))
}

export const noDynamicCode = defineRule({
  id: 'security/no-dynamic-code',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No code built or loaded at run time',
  docs: {
    why: '`eval`, `new Function`, string timers, `vm` and computed `require`/`import()` run code that is not in the reviewed source. It is the usual way malicious code hides, and it runs on Segment\'s shared workers.',
    fix: 'Write the logic as ordinary code. Parse data with `JSON.parse`, pick behaviour with a lookup table, and import modules with literal paths.',
    bad: 'const transform = new Function(\'event\', settings.transformCode)',
    good: 'const transform = TRANSFORMS[settings.transformName]'
  },
  scope: 'integration',
  check(context) {
    const references = moduleReferencesFor(context.head.program)
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      const name = fileLabel(file.path)
      const reportedLines = new Set<number>()
      const report = (node: ts.Node, what: string) => {
        const { line, column } = positionOf(sourceFile, node)
        if (reportedLines.has(line)) return
        reportedLines.add(line)
        findings.push({
          message: `${what} in \`${name}\` runs code that is not in the reviewed source. Integrations must not evaluate or load code at run time: write the logic as ordinary code (a lookup table instead of a computed call, literal import paths).`,
          path: file.path,
          line,
          column,
          key: `${what}@${file.path}`
        })
      }
      for (const site of references.loadSites(file.parsed)) {
        if (site.dynamic) report(site.node, 'A `require`/`import()` with a computed module name')
        else if (site.loadsAtRuntime && matchesModule(site.module, CODE_EVALUATION_MODULES)) report(site.node, `Loading \`${site.module}\``)
      }
      walkNodes(sourceFile, (node) => {
        if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return
        const path = globalPath(references.resolve(file.parsed, node.expression))
        const ref = path ? undefined : references.resolve(file.parsed, node.expression)
        const args = node.arguments ?? ts.factory.createNodeArray()
        if (path?.length === 1 && path[0] === 'eval') report(node, '`eval`')
        else if (path?.length === 1 && path[0] === 'Function') report(node, '`Function` with a code string')
        else if (path?.length === 1 && TIMERS.has(path[0]) && args[0] && isStringExpression(args[0])) report(node, `\`${path[0]}\` with a code string`)
        else if (path?.length === 2 && path[0] === 'WebAssembly' && WEBASSEMBLY_LOADERS.has(path[1])) report(node, `\`WebAssembly.${path[1]}\``)
        else if (path?.length === 2 && path[0] === 'process' && (path[1] === 'binding' || path[1] === 'dlopen' || path[1] === '_linkedBinding')) report(node, `\`process.${path[1]}\``)
        else if (ref && ref.module === 'module' && ref.members[0] === 'createRequire') report(node, '`createRequire`')
        else if (ref && ref.members.length > 0 && matchesModule(ref.module, CODE_EVALUATION_MODULES)) report(node, `\`${ref.members.join('.')}\` of \`${ref.module}\``)
      })
    }
    return findings
  }
})
