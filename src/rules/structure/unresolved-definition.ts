// One note per integration listing what static analysis could not resolve, for a human to read.
import { defineRule } from '../rule.js'

/** Enough to act on without drowning the report. */
const MAX_LISTED = 15

export const unresolvedDefinition = defineRule({
  id: 'structure/unresolved-definition',
  category: 'structure',
  stages: { 'private-beta': 'info' },
  who: 'everyone',
  title: 'Parts of the definition could not be resolved statically and need a human reader',
  docs: {
    why: 'The review never runs partner code: it reads the definition statically. Values computed at run time (a helper from another package, a loop, a function call result) cannot be known, and the rules say nothing about them rather than guess. A reviewer must read those parts.',
    fix: 'Nothing is required. Writing fields, settings and presets as object literals (spreads and imported constants are fine) lets the review check them.',
    bad: `const fields = buildFields(loadSchema()) // computed at run time\nexport default { name: 'Acme', actions: { send: { title: 'Send', description: 'Sends events', fields, perform } } }`,
    good: `import { email, userId } from './fields'\nexport default { name: 'Acme', actions: { send: { title: 'Send', description: 'Sends events', fields: { email, userId }, perform } } }`
  },
  scope: 'integration',
  check(context) {
    const { head, integration } = context
    const entries = head.unresolved.map((entry) => {
      const where = entry.path ? ` (${entry.path}${entry.line ? `:${entry.line}` : ''})` : ''
      return `\`${entry.pointer || '/'}\`: ${entry.reason}${where}`
    })
    for (const error of head.errors) {
      if (error.message.startsWith('syntax error')) continue
      entries.push(`${error.path}${error.line ? `:${error.line}` : ''}: ${error.message}`)
    }
    if (entries.length === 0) return []
    const first = head.unresolved.find((entry) => entry.path && entry.line)
    const listed = entries.slice(0, MAX_LISTED).join('; ')
    const more = entries.length > MAX_LISTED ? `; and ${entries.length - MAX_LISTED} more` : ''
    return [
      {
        path: first?.path ?? integration.entryPath,
        line: first?.line ?? 1,
        column: first?.column,
        key: 'unresolved-definition',
        message: `Static analysis could not resolve ${entries.length} part${entries.length === 1 ? '' : 's'} of this integration, so no rule checked ${entries.length === 1 ? 'it' : 'them'} and a reviewer must read ${entries.length === 1 ? 'it' : 'them'}: ${listed}${more}.`
      }
    ]
  }
})
