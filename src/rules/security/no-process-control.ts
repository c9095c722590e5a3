// security/no-process-control: code that ends, signals or reconfigures the shared worker
// process — `process.exit`, `kill`, global error handlers, `chdir`, `umask`, `setuid`.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { codeFilesOf, positionOf, walkNodes, fileLabel } from './support/code-files.js'
import { globalPath, moduleReferencesFor } from './support/module-references.js'

const CONTROL_CALLS = new Set(['exit', 'reallyExit', 'abort', 'kill', 'chdir', 'umask', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups'])
const LISTENER_CALLS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'setUncaughtExceptionCaptureCallback'])

export const noProcessControl = defineRule({
  id: 'security/no-process-control',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No control of the worker process',
  docs: {
    why: 'One worker process serves many customers. Exiting it, signalling it, installing global error handlers or changing its directory or user affects every destination running there.',
    fix: 'Throw an error (`IntegrationError`, `PayloadValidationError`) and let the framework handle it.',
    bad: "if (!settings.apiKey) process.exit(1)",
    good: "if (!settings.apiKey) throw new IntegrationError('Missing API key', 'MISSING_API_KEY', 400)"
  },
  scope: 'integration',
  check(context) {
    const references = moduleReferencesFor(context.head.program)
    const findings: RawFinding[] = []
    for (const file of codeFilesOf(context)) {
      if (file.isTest) continue
      const sourceFile = file.parsed.sourceFile
      const report = (node: ts.Node, call: string) => {
        const { line, column } = positionOf(sourceFile, node)
        findings.push({
          message: `\`process.${call}\` in \`${fileLabel(file.path)}\` changes the worker process that every customer's destination shares. Throw an \`IntegrationError\` instead and let the framework handle the failure.`,
          path: file.path,
          line,
          column,
          key: `process.${call}@${file.path}`
        })
      }
      walkNodes(sourceFile, (node) => {
        if (ts.isCallExpression(node)) {
          const path = globalPath(references.resolve(file.parsed, node.expression))
          if (path?.length === 2 && path[0] === 'process' && (CONTROL_CALLS.has(path[1]) || LISTENER_CALLS.has(path[1]))) report(node, path[1])
        } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const path = globalPath(references.resolve(file.parsed, node.left))
          if (path?.length === 2 && path[0] === 'process' && path[1] === 'exitCode') report(node, 'exitCode')
        }
      })
    }
    return findings
  }
})
