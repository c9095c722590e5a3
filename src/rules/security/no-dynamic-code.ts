// security/no-dynamic-code: code built or loaded at run time — `eval`, `new Function`, string
// timers, `vm`, non-literal `require`/`import()`, `createRequire`, `process.binding`/`dlopen`.
import { ts } from '../../model/typescript.js'
import { unwrapExpression } from './support/code-files.js'
import { defineModuleCallRule, usePattern } from './support/module-call-rule.js'
import { matchesModule } from './support/module-rule.js'

const CODE_EVALUATION_MODULES = ['vm', 'vm2', 'isolated-vm', 'safe-eval', 'static-eval'] as const
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate'])
const WEBASSEMBLY_LOADERS = new Set(['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming', 'Module'])

/** True when an expression evaluates to a string (a literal, a template or a concatenation with one). */
function isStringExpression(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression)
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (isStringExpression(node.left) || isStringExpression(node.right))
  )
}

export const noDynamicCode = defineModuleCallRule({
  id: 'security/no-dynamic-code',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No code built or loaded at run time',
  docs: {
    why: "`eval`, `new Function`, string timers, `vm` and computed `require`/`import()` run code that is not in the reviewed source. It is the usual way malicious code hides, and it runs on Segment's shared workers.",
    fix: 'Write the logic as ordinary code. Parse data with `JSON.parse`, pick behaviour with a lookup table, and import modules with literal paths.',
    bad: "const transform = new Function('event', settings.transformCode)",
    good: 'const transform = TRANSFORMS[settings.transformName]'
  },
  onePerLine: true,
  loads(site) {
    if (site.dynamic) return 'A `require`/`import()` with a computed module name'
    if (site.loadsAtRuntime && matchesModule(site.module, CODE_EVALUATION_MODULES)) return `Loading \`${site.module}\``
    return undefined
  },
  uses: [
    usePattern<ts.CallExpression | ts.NewExpression>([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression], (node, site) => {
      const ref = site.resolve(node.expression)
      const path = site.globalPath(node.expression)
      const args = node.arguments ?? ts.factory.createNodeArray()
      if (path?.length === 1 && path[0] === 'eval') return '`eval`'
      if (path?.length === 1 && path[0] === 'Function') return '`Function` with a code string'
      if (path?.length === 1 && TIMERS.has(path[0]) && args[0] && isStringExpression(args[0])) return `\`${path[0]}\` with a code string`
      if (path?.length === 2 && path[0] === 'WebAssembly' && WEBASSEMBLY_LOADERS.has(path[1])) return `\`WebAssembly.${path[1]}\``
      if (path?.length === 2 && path[0] === 'process' && (path[1] === 'binding' || path[1] === 'dlopen' || path[1] === '_linkedBinding'))
        return `\`process.${path[1]}\``
      if (path) return undefined
      if (ref && ref.module === 'module' && ref.members[0] === 'createRequire') return '`createRequire`'
      if (ref && ref.members.length > 0 && matchesModule(ref.module, CODE_EVALUATION_MODULES))
        return `\`${ref.members.join('.')}\` of \`${ref.module}\``
      return undefined
    })
  ],
  message: ({ what }, file) =>
    `${what} in \`${file}\` runs code that is not in the reviewed source. Integrations must not evaluate or load code at run time: write the logic as ordinary code (a lookup table instead of a computed call, literal import paths).`
})
