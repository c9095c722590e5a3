// docs/description-quality: descriptions customers read in the Segment app say something:
// not a few characters, not the label again, not a placeholder.
import type { JsonObject } from '../../model/serialize-metadata.js'
import { defineRule, type RawFinding } from '../rule.js'
import { locatePointer, pointerOf } from '../support/definition-location.js'
import { isFrameworkReservedKey } from '../support/destination-entries.js'
import { isJsonObject, isUnresolvedMarker, knownEntries } from '../support/metadata-values.js'

const MIN_LENGTH = 10

/** Placeholder text left from a template or a first draft. */
const PLACEHOLDERS = [
  /\b(TODO|TBD|FIXME|XXX)\b/,
  /lorem ipsum/i,
  /^\s*(todo|tbd|fixme|placeholder|description|n\/a|none)\s*[.:!]?\s*$/i,
  /^\s*(add|insert|write) (a )?description\b/i
]

interface DescribedNode {
  pointer: string
  /** What the node is, for the message: `field "email" of action "sendEvent"`. */
  what: string
  description: unknown
  label: unknown
}

function normalised(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.:!]+$/, '')
    .replace(/\s+/g, ' ')
}

/** What is wrong with a description, or undefined. Empty ones are structure/*'s to report. */
function descriptionProblem(description: string, label: unknown): string | undefined {
  const text = description.trim()
  if (text === '') return undefined
  const placeholder = PLACEHOLDERS.find((pattern) => pattern.test(text))
  if (placeholder) return 'is a placeholder'
  if (typeof label === 'string' && label.trim() !== '' && normalised(label) === normalised(text)) return 'only repeats the label'
  if (text.length < MIN_LENGTH) return `is only ${text.length} characters long`
  return undefined
}

/** Fields, settings and the properties of object fields; `name` says what a key is, for messages. */
function fieldNodes(fields: JsonObject | undefined, pointer: string, name: (key: string) => string): DescribedNode[] {
  const nodes: DescribedNode[] = []
  for (const [key, field] of knownEntries(fields)) {
    // Hidden fields (`unsafe_hidden`) never reach a customer's screen.
    if (field.hidden === true || isFrameworkReservedKey(key)) continue
    const fieldPointer = `${pointer}${pointerOf(key)}`
    nodes.push({ pointer: fieldPointer + '/description', what: name(key), description: field.description, label: field.label })
    if (isJsonObject(field.properties) && !isUnresolvedMarker(field.properties)) {
      nodes.push(...fieldNodes(field.properties, `${fieldPointer}/properties`, (property) => `property "${property}" of ${name(key)}`))
    }
  }
  return nodes
}

function describedNodes(metadata: JsonObject): DescribedNode[] {
  const nodes: DescribedNode[] = [
    { pointer: '/description', what: 'the destination', description: metadata.description, label: metadata.name }
  ]
  const authentication = metadata.authentication
  if (isJsonObject(authentication) && isJsonObject(authentication.fields))
    nodes.push(...fieldNodes(authentication.fields, '/authentication/fields', (key) => `setting "${key}"`))
  const audience = metadata.audienceConfig
  if (isJsonObject(audience) && isJsonObject(audience.audienceFields))
    nodes.push(...fieldNodes(audience.audienceFields, '/audienceConfig/audienceFields', (key) => `audience setting "${key}"`))
  for (const [actionKey, action] of knownEntries(metadata.actions)) {
    if (action.hidden === true) continue
    const actionPointer = pointerOf('actions', actionKey)
    nodes.push({
      pointer: `${actionPointer}/description`,
      what: `action "${actionKey}"`,
      description: action.description,
      label: action.title
    })
    if (isJsonObject(action.fields))
      nodes.push(...fieldNodes(action.fields, `${actionPointer}/fields`, (key) => `field "${key}" of action "${actionKey}"`))
  }
  return nodes
}

export default defineRule({
  id: 'docs/description-quality',
  category: 'docs',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Descriptions explain',
  docs: {
    why: 'Customers configure the destination from these descriptions in the Segment app: they decide what to map into a field and which value a setting needs. A description that repeats the label, is a few characters long or is a placeholder leaves them guessing, and Segment reviewers ask for it to be rewritten.',
    fix: 'Say what the value is used for, its format and where to find it, in a full sentence.',
    bad: "email: { label: 'Email', description: 'Email', type: 'string' }",
    good: "email: { label: 'Email', description: 'The email address of the contact, used to match an existing Acme profile.', type: 'string' }"
  },
  scope: 'integration',
  check(context) {
    const metadata = context.head.metadata
    if (!metadata) return []
    const findings: RawFinding[] = []
    // A field shared by several actions is written once: report it once, where it is written.
    const reportedAt = new Set<string>()
    for (const node of describedNodes(metadata)) {
      if (typeof node.description !== 'string') continue
      const problem = descriptionProblem(node.description, node.label)
      if (!problem) continue
      const location = locatePointer(context.head, node.pointer)
      const place = `${location.path}:${location.line}:${location.column}`
      if (reportedAt.has(place)) continue
      reportedAt.add(place)
      findings.push({
        path: location.path,
        line: location.line,
        column: location.column,
        key: node.pointer,
        message: `The description of ${node.what} ("${node.description.trim()}") ${problem}. Customers read it in the Segment app to decide what to map or enter; say what the value is used for and its format in a full sentence.`
      })
    }
    return findings
  }
})
