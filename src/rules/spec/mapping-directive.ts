// spec/mapping-directive: mapping directives in field defaults and preset mappings must be ones
// Segment's mapping-kit knows, in the shape it validates; otherwise the mapping fails at runtime.
import { isPlainObject, partialReason, Unresolved, type StaticObject, type StaticValue } from '../../model/static-values.js'
import { defineRule, type RawFinding, type Severity } from '../rule.js'
import { directiveKeys, KNOWN_DIRECTIVES, mappingDirectivesOf } from '../support/mapping-directives.js'
import { editDistance } from '../support/semantic-event-names.js'

const KNOWN = new Set<string>(KNOWN_DIRECTIVES)

/** mapping-kit's key for a root directive that receives the rest of the mapping (`getMappingToProcess`). */
const ROOT_MAPPING_FIELD_KEY = '__segment_internal_directive'

/**
 * Keys a directive's argument object must have, as mapping-kit's directive functions check them
 * (each throws "<directive> requires a ... key" without them, so the whole mapping fails).
 */
const REQUIRED_KEYS: Record<string, string[]> = {
  '@if': [],
  '@case': ['operator'],
  '@replace': ['pattern', 'value'],
  '@json': ['mode', 'value'],
  '@flatten': ['separator'],
  '@merge': ['objects', 'direction'],
  '@transform': ['apply', 'mapping']
}

/** Values mapping-kit accepts for a key; anything else throws when the directive runs. */
const ALLOWED_CHOICES: Record<string, Record<string, string[]>> = {
  '@case': { operator: ['lower', 'upper'] },
  '@json': { mode: ['encode', 'decode'] },
  '@merge': { direction: ['left', 'right'] }
}

/** Directives whose argument mapping-kit resolves to a string (`registerStringDirective` and `@liquid`). */
const STRING_DIRECTIVES = new Set(['@path', '@template', '@liquid'])

function describe(value: StaticValue): string {
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  if (isPlainObject(value)) return 'an object'
  return `a ${typeof value}`
}

function isDirectiveObject(value: StaticValue): boolean {
  return isPlainObject(value) && directiveKeys(value).length > 0
}

/**
 * A path written from the event root: `$` alone or `$.` / `$[` followed by the path. mapping-kit
 * strips the `$.` and reads the rest, so `traits.email` reads the same as `$.traits.email`.
 */
function isRootedPath(path: string): boolean {
  return /^\$(\.[^.\s]|\[|\.?$)/.test(path)
}

interface Problem {
  text: string
  /** What happens at runtime, for the message. */
  consequence: string
  severity?: Severity
}

const FAILS = "Segment's mapping-kit rejects it when the mapping is validated or run, so the mapping fails for every event"

function styleNote(kind: string, path: string): Problem {
  return {
    text: `has the ${kind} "${path}" without the leading "$."`,
    consequence: `mapping-kit strips a leading "$." and reads the rest from the event, so this works; Segment's destinations and mapping editor write "$.${path}", which reads more clearly`,
    severity: 'info'
  }
}

/** What is wrong with one directive object, or undefined when nothing is (or nothing is known). */
function problemOf(object: StaticObject, relative: boolean, rootDirective: boolean): Problem | undefined {
  // Keys from an unresolved spread are unknown: which directive it is, or what else is there, cannot be told.
  if (partialReason(object) !== undefined) return undefined
  const keys = directiveKeys(object)
  if (keys.length > 1)
    return { text: `has ${keys.length} directives (${keys.join(', ')}); a mapping object holds exactly one`, consequence: FAILS }
  const directive = keys[0]
  const others = Object.keys(object).filter((key) => !key.startsWith('@') && key !== '_metadata')
  if (others.length > 0) {
    return {
      text: `mixes the directive ${directive} with the plain key${others.length > 1 ? 's' : ''} ${others.map((key) => `"${key}"`).join(', ')}; nest them in separate objects`,
      consequence: FAILS
    }
  }
  if (!KNOWN.has(directive)) {
    const close =
      KNOWN_DIRECTIVES.find((known) => known.toLowerCase() === directive.toLowerCase()) ??
      KNOWN_DIRECTIVES.find((known) => editDistance(known, directive, 2) <= 2)
    // A misspelling of a known directive is a defect; another name may be a directive newer than this list.
    if (close) return { text: `uses the unknown directive ${directive} (did you mean ${close}?)`, consequence: FAILS }
    return {
      text: `uses the directive ${directive}, which is not one mapping-kit registers as far as this bot knows (${KNOWN_DIRECTIVES.join(', ')})`,
      consequence: 'mapping-kit rejects a directive it does not register, so check that your version of actions-core has it',
      severity: 'warning'
    }
  }
  const argument = object[directive]
  if (argument instanceof Unresolved) return undefined
  if (STRING_DIRECTIVES.has(directive)) {
    if (isDirectiveObject(argument)) return undefined
    if (typeof argument !== 'string')
      return {
        text: `gives ${directive} ${describe(argument)}; it takes a string${directive === '@path' ? ' such as "$.properties.email"' : ''}`,
        consequence: FAILS
      }
    // Inside an @arrayPath item shape a path is relative to the item: no `$.` is the norm there.
    if (directive === '@path' && !relative && !isRootedPath(argument)) return styleNote('@path', argument)
    return undefined
  }
  switch (directive) {
    case '@arrayPath': {
      if (!Array.isArray(argument))
        return { text: `gives @arrayPath ${describe(argument)}; it takes ["$.path.to.array", { item shape }]`, consequence: FAILS }
      const [path] = argument
      if (path instanceof Unresolved || isDirectiveObject(path)) return undefined
      if (typeof path !== 'string')
        return {
          text: `starts @arrayPath with ${describe(path)}; its first element is the path of the array, such as "$.properties.products"`,
          consequence: FAILS
        }
      if (!relative && !isRootedPath(path)) return styleNote('@arrayPath path', path)
      return undefined
    }
    case '@literal':
    case '@excludeWhenNull':
      return undefined
    default: {
      if (!isPlainObject(argument)) return { text: `gives ${directive} ${describe(argument)}; it takes an object`, consequence: FAILS }
      const partial = partialReason(argument) !== undefined
      // mapping-kit injects the other mapping keys as the `mapping` of a `__segment_internal_directive` root directive.
      const missing = partial
        ? []
        : REQUIRED_KEYS[directive].filter((key) => argument[key] === undefined && !(rootDirective && key === 'mapping'))
      if (directive === '@if' && !partial && argument.exists === undefined && argument.blank === undefined)
        missing.push('exists (or blank)')
      if (missing.length > 0) return { text: `lacks ${missing.map((key) => `"${key}"`).join(', ')} in ${directive}`, consequence: FAILS }
      for (const [key, choices] of Object.entries(ALLOWED_CHOICES[directive] ?? {})) {
        const value = argument[key]
        if (typeof value === 'string' && !choices.includes(value))
          return {
            text: `sets ${directive} ${key} to "${value}"; it must be ${choices.map((choice) => `"${choice}"`).join(' or ')}`,
            consequence: FAILS
          }
      }
      if (
        directive === '@merge' &&
        argument.objects !== undefined &&
        !(argument.objects instanceof Unresolved) &&
        !Array.isArray(argument.objects)
      ) {
        return { text: `gives @merge objects ${describe(argument.objects)}; it takes an array of objects`, consequence: FAILS }
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
    why: "Field defaults and preset mappings are mapping-kit directives. Segment validates them when a mapping is saved and when an event is mapped: a misspelt directive, two directives in one object, or a directive without the keys it requires (an `@if` without `exists`, a `@case` operator other than lower/upper) makes the mapping fail, so the action's events are dropped. A path without the leading `$.` works (mapping-kit strips it) and is only a style note; inside an `@arrayPath` item shape paths are relative to the item.",
    fix: 'Use one directive per object, from @path, @template, @liquid, @literal, @if, @arrayPath, @case, @replace, @json, @flatten, @merge, @transform, @excludeWhenNull, with the keys mapping-kit requires.',
    bad: "default: { '@if': { then: { '@path': '$.traits.email' }, else: '' } }",
    good: "default: { '@if': { exists: { '@path': '$.traits.email' }, then: { '@path': '$.traits.email' }, else: '' } }"
  },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const directive of mappingDirectivesOf(context.head)) {
      const problem = problemOf(directive.object, directive.relative, directive.pointer.endsWith(`/${ROOT_MAPPING_FIELD_KEY}`))
      if (!problem) continue
      findings.push({
        path: directive.location.path,
        line: directive.location.line,
        column: directive.location.column,
        key: directive.pointer,
        message: `The mapping at \`${directive.pointer}\` ${problem.text}: ${problem.consequence}.`,
        ...(problem.severity ? { severity: problem.severity } : {})
      })
    }
    return findings
  }
})
