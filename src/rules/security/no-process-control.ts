// security/no-process-control: code that ends, signals or reconfigures the shared worker
// process — `process.exit`, `kill`, global error handlers, `chdir`, `umask`, `setuid`.
import { ts } from '../../model/typescript.js'
import { defineModuleCallRule, usePattern } from './support/module-call-rule.js'

const CONTROL_CALLS = new Set([
  'exit',
  'reallyExit',
  'abort',
  'kill',
  'chdir',
  'umask',
  'setuid',
  'setgid',
  'seteuid',
  'setegid',
  'setgroups',
  'initgroups'
])
const LISTENER_CALLS = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'removeAllListeners',
  'setUncaughtExceptionCaptureCallback'
])

export const noProcessControl = defineModuleCallRule({
  id: 'security/no-process-control',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No control of the worker process',
  docs: {
    why: 'One worker process serves many customers. Exiting it, signalling it, installing global error handlers or changing its directory or user affects every destination running there.',
    fix: 'Throw an error (`IntegrationError`, `PayloadValidationError`) and let the framework handle it.',
    bad: 'if (!settings.apiKey) process.exit(1)',
    good: "if (!settings.apiKey) throw new IntegrationError('Missing API key', 'MISSING_API_KEY', 400)"
  },
  uses: [
    usePattern<ts.CallExpression>([ts.SyntaxKind.CallExpression], (call, site) => {
      const path = site.globalPath(call.expression)
      return path?.length === 2 && path[0] === 'process' && (CONTROL_CALLS.has(path[1]) || LISTENER_CALLS.has(path[1]))
        ? processCall(path[1])
        : undefined
    }),
    usePattern<ts.BinaryExpression>([ts.SyntaxKind.BinaryExpression], (assignment, site) => {
      if (assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined
      const path = site.globalPath(assignment.left)
      return path?.length === 2 && path[0] === 'process' && path[1] === 'exitCode' ? processCall('exitCode') : undefined
    })
  ],
  message: ({ what }, file, kind) =>
    kind === 'cloud-source'
      ? `\`process.${what}\` in \`${file}\` changes the process that runs the source's handler. Throw an error instead (\`ValidationError\` for a request to drop, \`RetryError\` for one to retry) and let the runtime answer the request.`
      : `\`process.${what}\` in \`${file}\` changes the worker process that every customer's destination shares. Throw an \`IntegrationError\` instead and let the framework handle the failure.`
})

function processCall(member: string) {
  return { what: member, key: `process.${member}` }
}
