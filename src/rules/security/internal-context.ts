// security/internal-context (partner): the execution-context members reserved for Segment's
// own integrations — features, statsContext, logger, transactionContext, stateContext,
// subscriptionMetadata, engageDestinationCache — read from the execution data of a framework
// entry point (or a value typed `ExecuteInput`, or a helper parameter that receives it).
// One finding per line, with the names listed.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { nodesOfKind, nodesOfKinds } from '../../model/syntax-index.js'
import { codeFilesOf, positionOf, staticPropertyName, unwrapExpression, fileLabel, type CodeFile } from './support/code-files.js'
import { isExecutionParameter } from './support/entry-points.js'
import { requestSinksOf } from './support/request-sinks.js'
import { declarationOf } from './support/taint.js'

const INTERNAL_CONTEXT_MEMBERS = new Set([
  'features',
  'statsContext',
  'logger',
  'transactionContext',
  'stateContext',
  'subscriptionMetadata',
  'engageDestinationCache'
])

/** What a partner can do instead, per member; where there is no safe general answer, the reviewer decides. */
const ADVICE: Record<string, string> = {
  features: 'if customers should choose the behaviour, add a setting or a field; otherwise ask your Segment reviewer',
  statsContext: 'remove the metrics calls (ask your Segment reviewer if you need delivery metrics)',
  logger: 'remove the log calls (ask your Segment reviewer if you need delivery logs)',
  transactionContext: 'keep such state in your own API, or ask your Segment reviewer',
  stateContext: 'keep such state in your own API, or ask your Segment reviewer',
  subscriptionMetadata: 'ask your Segment reviewer',
  engageDestinationCache: 'ask your Segment reviewer'
}

/** The nodes that read the execution data: destructured parameters and variables, member reads. */
const READ_KINDS = [ts.SyntaxKind.Parameter, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.PropertyAccessExpression]

/** Helper rounds followed from an entry point (`perform` → `send(request, data)` → `post(request, data)`). */
const MAX_FLOW_ROUNDS = 3

export const internalContext = defineRule({
  id: 'security/internal-context',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'partner',
  title: "Partner code does not use Segment's internal execution context",
  docs: {
    why: "`features`, `statsContext`, `logger`, `transactionContext`, `stateContext`, `subscriptionMetadata` and `engageDestinationCache` are Segment's internal plumbing: flags, metrics and state that partner integrations must not depend on or write to.",
    fix: 'Remove the use. If customers should choose a behaviour you read from `features`, add a setting or a field; keep state in your own API. Where none of this fits, ask your Segment reviewer.',
    bad: "perform: (request, { payload, statsContext }) => { statsContext?.statsClient.incr('sent') }",
    good: "perform: (request, { payload }) => request(URL, { method: 'POST', json: payload })"
  },
  scope: 'integration',
  check(context) {
    const files = codeFilesOf(context).filter((file) => !file.isTest)
    const executionParameters = executionParametersOf(context, files)
    const findings: RawFinding[] = []
    for (const file of files) {
      const sourceFile = file.parsed.sourceFile
      const byLine = new Map<number, { column: number; members: string[] }>()
      const report = (node: ts.Node, member: string) => {
        const { line, column } = positionOf(sourceFile, node)
        const entry = byLine.get(line) ?? { column, members: [] }
        if (!entry.members.includes(member)) entry.members.push(member)
        byLine.set(line, entry)
      }
      const reportBinding = (binding: ts.BindingName) => {
        if (!ts.isObjectBindingPattern(binding)) return
        for (const element of binding.elements) {
          const key = element.propertyName
            ? staticPropertyName(element.propertyName)
            : ts.isIdentifier(element.name)
              ? element.name.text
              : undefined
          if (key && INTERNAL_CONTEXT_MEMBERS.has(key)) report(element, key)
        }
      }
      for (const node of nodesOfKinds(sourceFile, READ_KINDS)) {
        if (ts.isParameter(node) && executionParameters.has(node)) reportBinding(node.name)
        else if (
          ts.isVariableDeclaration(node) &&
          node.initializer &&
          ts.isObjectBindingPattern(node.name) &&
          readsExecution(node.initializer, executionParameters)
        )
          reportBinding(node.name)
        else if (
          ts.isPropertyAccessExpression(node) &&
          INTERNAL_CONTEXT_MEMBERS.has(node.name.text) &&
          readsExecution(node.expression, executionParameters)
        )
          report(node, node.name.text)
      }
      for (const [line, { column, members }] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
        const names = members.map((member) => `\`${member}\``).join(', ')
        const advice = members.map((member) => (members.length > 1 ? `for \`${member}\`, ${ADVICE[member]}` : ADVICE[member])).join('; ')
        findings.push({
          message: `${names} ${members.length > 1 ? 'are' : 'is'} read from the execution context in \`${fileLabel(file.path)}\`. ${members.length > 1 ? 'They are' : 'It is'} reserved for Segment's own integrations: ${advice}.`,
          path: file.path,
          line,
          column,
          key: `${members.join('+')}@${file.path}`
        })
      }
    }
    return findings
  }
})

/** True when an expression is an identifier bound to an execution-data parameter. */
function readsExecution(expression: ts.Expression, executionParameters: Set<ts.ParameterDeclaration>): boolean {
  const node = unwrapExpression(expression)
  if (!ts.isIdentifier(node)) return false
  const declaration = declarationOf(node)
  return (
    declaration !== undefined &&
    declaration.path.length === 0 &&
    ts.isParameter(declaration.node) &&
    executionParameters.has(declaration.node)
  )
}

/**
 * The parameters that hold the execution data: those of framework entry points and values typed
 * `ExecuteInput`, then the parameters of the integration's helpers that receive one of them.
 */
function executionParametersOf(
  context: Parameters<typeof requestSinksOf>[0],
  files: ReturnType<typeof codeFilesOf>
): Set<ts.ParameterDeclaration> {
  const parameters = new Set<ts.ParameterDeclaration>()
  for (const file of files) {
    for (const node of nodesOfKind<ts.ParameterDeclaration>(file.parsed.sourceFile, ts.SyntaxKind.Parameter)) {
      if (isExecutionParameter(node)) parameters.add(node)
    }
  }
  // The calls that pass a parameter on as an argument, found once: each round below then only
  // looks up whether those parameters hold the execution data yet.
  const forwardingCalls: Array<{ call: ts.CallExpression; file: CodeFile; passed: Array<ts.ParameterDeclaration | undefined> }> = []
  for (const file of files) {
    for (const call of nodesOfKind<ts.CallExpression>(file.parsed.sourceFile, ts.SyntaxKind.CallExpression)) {
      const passed = call.arguments.map(parameterRead)
      if (passed.some((parameter) => parameter !== undefined)) forwardingCalls.push({ call, file, passed })
    }
  }
  if (forwardingCalls.length === 0) return parameters
  const { analysis } = requestSinksOf(context)
  const helpers = new Map<ts.CallExpression, ReturnType<typeof analysis.resolveHelper>>()
  for (let round = 0; round < MAX_FLOW_ROUNDS; round++) {
    let added = false
    for (const { call, file, passed } of forwardingCalls) {
      const indexes = passed.flatMap((parameter, index) => (parameter && parameters.has(parameter) ? [index] : []))
      if (indexes.length === 0) continue
      if (!helpers.has(call)) helpers.set(call, analysis.resolveHelper(call, file.parsed))
      const helper = helpers.get(call)
      if (!helper) continue
      for (const index of indexes) {
        const parameter = helper.fn.parameters[index]
        if (parameter && !parameter.dotDotDotToken && !parameters.has(parameter)) {
          parameters.add(parameter)
          added = true
        }
      }
    }
    if (!added) break
  }
  return parameters
}

/** The parameter an expression reads as a whole (`data`, `(data as X)`), when it is one. */
function parameterRead(expression: ts.Expression): ts.ParameterDeclaration | undefined {
  const node = unwrapExpression(expression)
  if (!ts.isIdentifier(node)) return undefined
  const declaration = declarationOf(node)
  return declaration !== undefined && declaration.path.length === 0 && ts.isParameter(declaration.node) ? declaration.node : undefined
}
