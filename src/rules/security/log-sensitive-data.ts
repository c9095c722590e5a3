// security/log-sensitive-data: logs and thrown error messages that carry credentials or whole
// objects — `settings`, `auth`, a secret field (error) — or an end user's personal data: the
// whole `payload` or one personal field (email, phone, address, IP…) (warning). Other single
// fields (an event name, an ID) are fine. A value only named like the execution data (a
// helper's `settings` parameter no entry point was seen to fill) is a warning at most.
import { ts } from '../../model/typescript.js'
import { defineRule, type RawFinding } from '../rule.js'
import { positionOf, unwrapExpression, walkNodes } from './support/code-files.js'
import { requestSinksOf } from './support/request-sinks.js'
import { secretNameOf, tokenizeName } from './support/secret-names.js'
import { describeOrigin, type Origin, type TaintAnalysis } from './support/taint.js'

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'])
const LOGGER_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'crit', 'fatal'])
const ERROR_CLASSES = new Set([
  'Error',
  'IntegrationError',
  'PayloadValidationError',
  'RetryableError',
  'APIError',
  'HTTPError',
  'InvalidAuthenticationError',
  'TypeError',
  'RangeError',
  // A source function's errors, shown in the source's debugger and event delivery.
  'ValidationError',
  'InvalidEventPayload',
  'EventNotSupported',
  'RetryError'
])

/** What kind of output a call writes, or undefined when it is not a log or an error message. */
function outputKind(call: ts.CallExpression | ts.NewExpression): 'log' | 'error message' | undefined {
  const callee = unwrapExpression(call.expression)
  if (ts.isNewExpression(call)) return ts.isIdentifier(callee) && ERROR_CLASSES.has(callee.text) ? 'error message' : undefined
  if (!ts.isPropertyAccessExpression(callee)) return undefined
  const receiver = unwrapExpression(callee.expression)
  const method = callee.name.text
  if (ts.isIdentifier(receiver) && receiver.text === 'console' && CONSOLE_METHODS.has(method)) return 'log'
  const receiverName = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined
  if (
    receiverName !== undefined &&
    /* e.g. logger, this.logger */ receiverName.toLowerCase().endsWith('logger') &&
    LOGGER_METHODS.has(method)
  )
    return 'log'
  return undefined
}

/** Receivers whose `.headers` are the outgoing request's (with the Authorization header), not a response's. */
const REQUEST_OBJECT_WORDS = ['request', 'options', 'config', 'init', 'opts']

/** True when an argument reads request headers (`options.headers`, `error.config.headers`). */
function readsRequestHeaders(argument: ts.Expression): boolean {
  let found = false
  walkNodes(argument, (node) => {
    if (found || ts.isFunctionLike(node)) return false
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'headers') {
      const receiver = node.expression.getText().toLowerCase()
      if (REQUEST_OBJECT_WORDS.some((word) => receiver.endsWith(word) || receiver.includes(`${word}.`))) found = true
    }
    return undefined
  })
  return found
}

/** The most serious thing an origin reveals: a credential or a whole configuration object (error), the whole payload (warning). */
function leak(origin: Origin, analysis: TaintAnalysis): 'error' | 'warning' | undefined {
  const severity = shownLeak(origin, analysis)
  // A value only named like the execution data (a helper's `settings` parameter) is likely, not shown.
  return severity === 'error' && origin.guessed ? 'warning' : severity
}

function shownLeak(origin: Origin, analysis: TaintAnalysis): 'error' | 'warning' | undefined {
  if (analysis.isSecret(origin)) return 'error'
  // A mapped field named like a credential (`payload.api_token`) carries one.
  if (origin.kind === 'payload' && origin.key !== undefined && secretNameOf(origin.key) !== undefined) return 'error'
  if (origin.key === undefined && (origin.kind === 'settings' || origin.kind === 'auth' || origin.kind === 'execution')) return 'error'
  if (origin.key === undefined && origin.kind === 'payload') return 'warning'
  // One personal field (an email, a phone number, an address, an IP) is personal data too.
  if (origin.kind === 'payload' && origin.key !== undefined && isPersonalFieldName(origin.key)) return 'warning'
  return undefined
}

/** Words of a field name that say it holds an end user's personal data. */
const PERSONAL_WORDS = new Set([
  'email',
  'emails',
  'phone',
  'mobile',
  'address',
  'street',
  'ip',
  'birthday',
  'birthdate',
  'dob',
  'ssn',
  'passport'
])
const PERSONAL_PAIRS = [
  ['first', 'name'],
  ['last', 'name'],
  ['full', 'name'],
  ['date', 'birth'],
  ['postal', 'code'],
  ['zip', 'code'],
  ['phone', 'number']
]

function isPersonalFieldName(name: string): boolean {
  const words = tokenizeName(name)
  if (words.some((word) => PERSONAL_WORDS.has(word))) return true
  return PERSONAL_PAIRS.some(([first, second]) => words.includes(first) && words.includes(second))
}

export const logSensitiveData = defineRule({
  id: 'security/log-sensitive-data',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Logs and error messages carry no credentials or whole payloads',
  docs: {
    why: "Segment's logs and the error messages shown in the UI are read by many people. Credentials there are leaked, and payloads — whole, or one personal field such as an email address, a phone number or an IP — spread end users' personal data, which partners must protect through its whole lifecycle.",
    fix: 'Log or throw with a short description and non-sensitive identifiers (the event name, a status code), never `settings`, `auth`, tokens, the whole payload or personal fields such as `payload.email`.',
    bad: "throw new IntegrationError(`Request failed with key ${settings.apiKey}`, 'AUTH_FAILED', 401)",
    good: "throw new IntegrationError('The API key was rejected', 'AUTH_FAILED', 401)"
  },
  scope: 'integration',
  check(context) {
    const { analysis } = requestSinksOf(context)
    // One finding per line, the most serious: a helper reached from several actions is one finding.
    const seen = new Map<string, RawFinding>()
    analysis.visitCalls((call, scope) => {
      const kind = outputKind(call)
      if (!kind) return
      const args = kind === 'error message' ? (call.arguments ?? []).slice(0, 1) : [...(call.arguments ?? [])]
      let worst: { severity: 'error' | 'warning'; origin: Origin } | undefined
      for (const argument of args) {
        for (const origin of analysis.originsOf(argument, scope)) {
          const severity = leak(origin, analysis)
          if (severity && (!worst || (severity === 'error' && worst.severity === 'warning'))) worst = { severity, origin }
        }
      }
      const headers = !worst || worst.severity === 'warning' ? args.some((argument) => readsRequestHeaders(argument)) : false
      if (!worst && !headers) return
      const { line, column } = positionOf(scope.file.sourceFile, call)
      const id = `${scope.file.path}:${line}`
      const severity = headers ? 'error' : worst!.severity
      const known = seen.get(id)
      if (known && (known.severity === 'error' || severity === 'warning')) return
      const personal = worst?.origin.key !== undefined && worst.origin.kind === 'payload' && worst.severity === 'warning'
      const what = headers
        ? 'the request headers (with their Authorization credential)'
        : personal
          ? `${describeOrigin(worst!.origin)} (an end user's personal data)`
          : worst!.severity === 'warning' && worst!.origin.kind === 'payload'
            ? `${describeOrigin(worst!.origin)} (customers' personal data)`
            : describeOrigin(worst!.origin)
      const finding: RawFinding = {
        message: `This ${kind} includes ${what}, which ends up in Segment's logs${kind === 'error message' ? ' and in the UI' : ''}. Write a short description with non-sensitive identifiers instead.`,
        path: scope.file.path,
        line,
        column,
        severity,
        key: `${scope.file.path}#${kind}#${headers ? 'headers' : describeOrigin(worst!.origin)}`
      }
      seen.set(id, finding)
    })
    return [...seen.values()]
  }
})
