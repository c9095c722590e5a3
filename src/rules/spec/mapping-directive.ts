// spec/mapping-directive: mapping directives in field defaults and preset mappings must be ones
// Segment's mapping-kit knows, in the shape it validates; otherwise the mapping fails at runtime.
import { isPlainObject, partialReason, Unresolved, type StaticObject, type StaticValue } from '../../model/static-values.js'
import { defineRule, type RawFinding } from '../rule.js'
import { directiveKeys, KNOWN_DIRECTIVES, mappingDirectivesOf } from '../support/mapping-directives.js'
import { editDistance } from '../support/semantic-event-names.js'

const KNOWN = new Set<string>(KNOWN_DIRECTIVES)

/** Directives whose argument is an object with these required keys (mapping-kit's validators). */
const REQUIRED_KEYS: Record<string, string[]> = {
  '@if': [],
  '@case': ['operator', 'value'],
  '@replace': ['pattern', 'value'],
  '@json': ['mode', 'value'],
  '@flatten': ['value'],
  '@merge': ['objects'],
  '@transform': ['apply', 'mapping']
}

const ALLOWED_CHOICES: Record<string, Record<string, string[]>> = {
  '@case': { operator: ['lower', 'upper'] },
  '@json': { mode: ['encode', 'decode'] },
  '@merge': { direction: ['left', 'right'] }
}

function describe(value: StaticValue): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  if (isPlainObject(value)) return 'an object'
  return `a ${typeof value}`
}

function isDirectiveObject(value: StaticValue): boolean {
  return isPlainObject(value) && directiveKeys(value).length > 0
}

/** A path Segment's UI and mapping-kit read from the event: `$` alone or `$.` / `$[` followed by the path. */
function isEventPath(path: string): boolean {
  // `$` and `$.` both name the whole event (real destinations map `{ '@path': '$.' }`).
  return /^\$(\.[^.\s]|\[|\.?$)/.test(path)
}

/** What is wrong with one directive object, or undefined when nothing is (or nothing is known). */
function problemOf(object: StaticObject): string | undefined {
  // Keys from an unresolved spread are unknown: which directive it is, or what else is there, cannot be told.
  if (partialReason(object) !== undefined) return undefined
  const keys = directiveKeys(object)
  if (keys.length > 1) return `has ${keys.length} directives (${keys.join(', ')}); a mapping object holds exactly one`
  const directive = keys[0]
  const others = Object.keys(object).filter((key) => !key.startsWith('@') && key !== '_metadata')
  if (others.length > 0) return `mixes the directive ${directive} with the plain key${others.length > 1 ? 's' : ''} ${others.map((key) => `"${key}"`).join(', ')}; nest them in separate objects`
  if (!KNOWN.has(directive)) {
    const close = KNOWN_DIRECTIVES.find((known) => known.toLowerCase() === directive.toLowerCase()) ?? KNOWN_DIRECTIVES.find((known) => editDistance(known, directive, 2) <= 2)
    return `uses the unknown directive ${directive}${close ? ` (did you mean ${close}?)` : ''}; mapping-kit knows ${KNOWN_DIRECTIVES.join(', ')}`
  }
  const argument = object[directive]
  if (argument instanceof Unresolved) return undefined
  switch (directive) {
    case '@path':
    case '@template': {
      if (isDirectiveObject(argument)) return undefined
      if (typeof argument !== 'string') return `gives ${directive} ${describe(argument)}; it takes a string${directive === '@path' ? ' such as "$.properties.email"' : ''}`
      if (directive === '@path' && !isEventPath(argument)) return `has the @path "${argument}", which does not start with "$." (the event root); write it as "$.${argument.replace(/^\$?\.?/, '')}"`
      return undefined
    }
    case '@arrayPath': {
      if (!Array.isArray(argument)) return `gives @arrayPath ${describe(argument)}; it takes ["$.path.to.array", { item shape }]`
      const [path] = argument
      if (path instanceof Unresolved || isDirectiveObject(path)) return undefined
      if (typeof path !== 'string') return `starts @arrayPath with ${describe(path)}; its first element is the path of the array, such as "$.properties.products"`
      if (!isEventPath(path)) return `has the @arrayPath path "${path}", which does not start with "$."`
      return undefined
    }
    case '@literal':
    case '@excludeWhenNull':
      return undefined
    default: {
      if (!isPlainObject(argument)) return `gives ${directive} ${describe(argument)}; it takes an object`
      const partial = partialReason(argument) !== undefined
      const missing = partial ? [] : REQUIRED_KEYS[directive].filter((key) => argument[key] === undefined)
      if (directive === '@if' && !partial && argument.exists === undefined && argument.blank === undefined) missing.push('exists (or blank)')
      if (missing.length > 0) return `lacks ${missing.map((key) => `"${key}"`).join(', ')} in ${directive}`
      for (const [key, choices] of Object.entries(ALLOWED_CHOICES[directive] ?? {})) {
        const value = argument[key]
        if (typeof value === 'string' && !choices.includes(value)) return `sets ${directive} ${key} to "${value}"; it must be ${choices.map((choice) => `"${choice}"`).join(' or ')}`
      }
      if (directive === '@merge' && argument.objects !== undefined && !(argument.objects instanceof Unresolved) && !Array.isArray(argument.objects)) {
        return `gives @merge objects ${describe(argument.objects)}; it takes an array of objects`
      }
      return undefined
    }
  }
}

export default defineRule({
  id: 'spec/mapping-directive',
  category: 'spec',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Mapping directives are well-formed',
  docs: {
    why: "Field defaults and preset mappings are mapping-kit directives. Segment validates them when a mapping is saved and when an event is mapped: an unknown directive, a path that does not start at the event root `$.`, or a directive in the wrong shape makes the mapping fail, so the action's events are dropped.",
    fix: 'Use one directive per object, from @path, @template, @literal, @if, @arrayPath, @case, @replace, @json, @flatten, @merge, @transform, @excludeWhenNull, with the argument mapping-kit expects; start every @path with `$.`.',
    bad: "default: { '@path': 'traits.email' }",
    good: "default: { '@path': '$.traits.email' }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const directive of mappingDirectivesOf(context.head)) {
      const problem = problemOf(directive.object)
      if (!problem) continue
      findings.push({
        path: directive.location.path,
        line: directive.location.line,
        column: directive.location.column,
        key: directive.pointer,
        message: `The mapping at \`${directive.pointer}\` ${problem}. Segment's mapping-kit rejects it, so the mapping fails for every event.`
      })
    }
    return findings
  }
})
