// Which functions the Actions framework calls with the execution data (`{ payload, settings,
// auth, … }`), and so which parameters hold it: the second parameter of `perform`,
// `performBatch`, hooks, `testAuthentication`, `dynamicFields` handlers, `onDelete`,
// `refreshAccessToken`, audience handlers; the first of `extendRequest`; any parameter typed
// `ExecuteInput`. Any other function's second parameter is just a parameter.
import { ts } from '../../../model/typescript.js'
import { staticPropertyName } from './code-files.js'
import { syntaxIndexOf } from '../../../model/syntax-index.js'

/** Entry points whose second parameter is the execution data. */
const SECOND_PARAMETER_ENTRIES = new Set([
  'perform',
  'performBatch',
  'testAuthentication',
  'refreshAccessToken',
  'onDelete',
  'performHook',
  'createAudience',
  'getAudience',
  'testConnection'
])
/** Entry points whose first parameter is the execution data (`extendRequest({ settings, auth })`). */
const FIRST_PARAMETER_ENTRIES = new Set(['extendRequest'])

/** The property name a function is the value of (`perform: (…) => …`, `perform(…) {}`), or undefined. */
function propertyNameOf(fn: ts.Node): string | undefined {
  if (ts.isMethodDeclaration(fn)) return staticPropertyName(fn.name)
  const parent = fn.parent
  if (parent && ts.isPropertyAssignment(parent) && parent.initializer === fn) return staticPropertyName(parent.name)
  return undefined
}

/** True for a function that is a handler inside a `dynamicFields` object (`dynamicFields: { listId: async (request, data) => … }`). */
function isDynamicFieldHandler(fn: ts.Node): boolean {
  let node: ts.Node | undefined = fn.parent
  for (let level = 0; node && level < 3; level++) {
    // Up through `key: fn` and `{ … }`, at most two object levels (object fields have nested handlers).
    if (!ts.isPropertyAssignment(node) && !ts.isMethodDeclaration(node)) return false
    const object: ts.Node = node.parent
    if (!object || !ts.isObjectLiteralExpression(object)) return false
    const owner: ts.Node = object.parent
    if (owner && ts.isPropertyAssignment(owner) && staticPropertyName(owner.name) === 'dynamicFields') return true
    node = owner
  }
  return false
}

/** Entries nested deeper than this in a file are not looked for (hostile input nests thousands deep). */
const MAX_ENTRY_REFERENCE_DEPTH = 200

/** Names of local functions used as entry points by reference (`perform: sendEvent`, `{ perform }`), per file. */
const referencedEntries = new WeakMap<ts.SourceFile, Map<string, number>>()

function entryReferences(sourceFile: ts.SourceFile): Map<string, number> {
  const cached = referencedEntries.get(sourceFile)
  if (cached) return cached
  const names = new Map<string, number>()
  // The file's nodes in walk order from its syntax index, down to the depth a walk of this stopped at.
  const { nodes, depths } = syntaxIndexOf(sourceFile)
  for (let at = 0; at < nodes.length; at++) {
    if (depths[at] > MAX_ENTRY_REFERENCE_DEPTH) continue
    const node = nodes[at]
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.initializer)) {
      const key = staticPropertyName(node.name)
      if (key && SECOND_PARAMETER_ENTRIES.has(key)) names.set(node.initializer.text, 1)
      if (key && FIRST_PARAMETER_ENTRIES.has(key)) names.set(node.initializer.text, 0)
    } else if (ts.isShorthandPropertyAssignment(node)) {
      if (SECOND_PARAMETER_ENTRIES.has(node.name.text)) names.set(node.name.text, 1)
      if (FIRST_PARAMETER_ENTRIES.has(node.name.text)) names.set(node.name.text, 0)
    }
  }
  referencedEntries.set(sourceFile, names)
  return names
}

function declaredName(fn: ts.SignatureDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text
  const parent = fn.parent
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name.text
  return undefined
}

/** The index of the execution-data parameter when `fn` is a framework entry point, else undefined. */
function executionParameterIndex(fn: ts.SignatureDeclaration): number | undefined {
  const name = propertyNameOf(fn)
  if (name !== undefined) {
    if (SECOND_PARAMETER_ENTRIES.has(name)) return 1
    if (FIRST_PARAMETER_ENTRIES.has(name)) return 0
  }
  if (isDynamicFieldHandler(fn)) return 1
  const declared = declaredName(fn)
  if (declared !== undefined) return entryReferences(fn.getSourceFile()).get(declared)
  return undefined
}

/** True when the parameter's declared type is `ExecuteInput<…>`. */
function isTypedExecuteInput(parameter: ts.ParameterDeclaration): boolean {
  const type = parameter.type
  return type !== undefined && /\bExecuteInput\b/.test(type.getText())
}

/** True when the parameter is the framework's execution data: of an entry point, or typed `ExecuteInput`. */
export function isExecutionParameter(parameter: ts.ParameterDeclaration): boolean {
  if (isTypedExecuteInput(parameter)) return true
  const fn = parameter.parent
  if (!ts.isFunctionLike(fn)) return false
  const index = executionParameterIndex(fn)
  return index !== undefined && fn.parameters.indexOf(parameter) === index
}

/** True when a parameter is declared with a primitive type (`context: string`): it cannot hold the execution data. */
export function hasPrimitiveType(parameter: ts.ParameterDeclaration): boolean {
  const type = parameter.type
  if (!type) return false
  const primitive = (node: ts.TypeNode): boolean =>
    node.kind === ts.SyntaxKind.StringKeyword ||
    node.kind === ts.SyntaxKind.NumberKeyword ||
    node.kind === ts.SyntaxKind.BooleanKeyword ||
    node.kind === ts.SyntaxKind.BigIntKeyword ||
    ts.isLiteralTypeNode(node) ||
    (ts.isUnionTypeNode(node) && node.types.every(primitive))
  return primitive(type)
}
