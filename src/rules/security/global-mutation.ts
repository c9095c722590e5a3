// security/global-mutation: writes to the global object, built-ins or their prototypes, and
// monkey-patching of imported modules — changes that leak into every integration of the worker.
import { ts } from '../../model/typescript.js'
import { memberName, unwrapExpression } from './support/code-files.js'
import { defineModuleCallRule, usePattern } from './support/module-call-rule.js'
import { GLOBAL_MODULE, type ModuleRef } from './support/module-references.js'

/** Built-ins shared by everything in the process. `process` is left to the process rules. */
const SHARED_BUILTINS = new Set([
  'Object',
  'Array',
  'String',
  'Number',
  'Boolean',
  'Function',
  'Promise',
  'Date',
  'RegExp',
  'Map',
  'Set',
  'WeakMap',
  'Symbol',
  'JSON',
  'Math',
  'Error',
  'Buffer',
  'Reflect',
  'Intl',
  'URL',
  'URLSearchParams',
  'console',
  'fetch',
  'require',
  'setTimeout',
  'setInterval',
  'crypto',
  'TextEncoder',
  'TextDecoder',
  'BigInt',
  'Headers',
  'Request',
  'Response',
  'AbortController'
])
const DEFINING_CALLS = new Set([
  'defineProperty',
  'defineProperties',
  'assign',
  'setPrototypeOf',
  'set',
  '__defineGetter__',
  '__defineSetter__'
])
const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken
])

/** What a written-to reference is, when it is shared state; undefined otherwise. */
function sharedTarget(ref: ModuleRef | undefined, written: boolean): string | undefined {
  if (!ref) return undefined
  if (ref.module === GLOBAL_MODULE) {
    if (ref.members.length === 0) return written ? undefined : 'the global object'
    if (ref.members.length === 1)
      return written
        ? `the global \`${ref.members[0]}\``
        : SHARED_BUILTINS.has(ref.members[0])
          ? `the built-in \`${ref.members[0]}\``
          : undefined
    return SHARED_BUILTINS.has(ref.members[0]) ? `the built-in \`${ref.members.join('.')}\`` : undefined
  }
  if (ref.module.startsWith('file:') || ref.module === 'process') return undefined
  // A property of an imported package or Node module: the module object is shared by everyone who imports it.
  return ref.members.length >= 1 ? `\`${ref.members.join('.')}\` of the shared module \`${ref.module}\`` : undefined
}

export const globalMutation = defineModuleCallRule({
  id: 'security/global-mutation',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No writes to globals, built-ins or shared modules',
  docs: {
    why: 'All integrations in a worker share one global object, one set of built-ins and one copy of each module. Patching them changes the behaviour of every other destination — and is how malicious code intercepts their traffic.',
    fix: 'Keep state in local variables or module-private objects, and wrap behaviour in your own function instead of replacing a shared one.',
    bad: 'globalThis.fetch = tracingFetch',
    good: 'const send = (url: string, options: RequestOptions) => request(url, options)'
  },
  uses: [
    usePattern<ts.BinaryExpression>([ts.SyntaxKind.BinaryExpression], (node, site) => {
      if (!ASSIGNMENTS.has(node.operatorToken.kind)) return undefined
      const left = unwrapExpression(node.left)
      if (ts.isIdentifier(left)) {
        // A bare identifier is only shared when nothing in the file declares it.
        const ref = site.resolve(left)
        return ref?.module === GLOBAL_MODULE && ref.members.length === 1 && SHARED_BUILTINS.has(ref.members[0])
          ? `the global \`${ref.members[0]}\``
          : undefined
      }
      if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined
      const target = sharedTarget(site.resolve(left.expression), false)
      const written = memberName(left)
      // `globalThis.fetch = …` names what it replaces.
      return target === 'the global object' && written ? `the global \`${written}\`` : target
    }),
    usePattern<ts.DeleteExpression>([ts.SyntaxKind.DeleteExpression], (node, site) => {
      const operand = unwrapExpression(node.expression)
      if (!ts.isPropertyAccessExpression(operand) && !ts.isElementAccessExpression(operand)) return undefined
      return sharedTarget(site.resolve(operand.expression), false)
    }),
    usePattern<ts.CallExpression>([ts.SyntaxKind.CallExpression], (node, site) => {
      if (node.arguments.length === 0) return undefined
      const callee = site.resolve(node.expression)
      if (callee?.module !== GLOBAL_MODULE || callee.members.length !== 2) return undefined
      const [owner, method] = callee.members
      if ((owner !== 'Object' && owner !== 'Reflect') || !DEFINING_CALLS.has(method)) return undefined
      return sharedTarget(site.resolve(node.arguments[0]), false)
    })
  ],
  message: ({ what }, file) =>
    `\`${file}\` writes to ${what}, which every integration in the worker shares. Keep the state or behaviour local (a variable or your own wrapper function) instead.`
})
