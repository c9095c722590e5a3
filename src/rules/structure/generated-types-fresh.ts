// structure/generated-types-fresh: `generated-types.ts` (Payload of each action, Settings of the
// destination) must match the resolved fields: member names, optionality and base type, as
// Segment's `generate:types` would write them. Only clear differences are reported.
import { ts } from '../../model/typescript.js'
import type { ParsedFile } from '../../model/source-program.js'
import { dirname } from '../../model/source-program.js'
import type { Json, JsonObject } from '../../model/serialize-metadata.js'
import { defineRule, type IntegrationRuleContext, type RawFinding } from '../rule.js'
import {
  actionsOf,
  entriesOf,
  isCompleteMap,
  isFrameworkReservedKey,
  isJsonObject,
  isUnresolvedJson,
  pathOfPointer
} from '../support/destination-entries.js'
import { nodeLocation } from '../support/integration-source-files.js'

type BaseType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'unknown'

interface DeclaredMember {
  name: string
  optional: boolean
  types: Set<BaseType>
  node: ts.Node
}

/** The base types a TypeScript type can take; `unknown` when it cannot be told from the syntax. */
function baseTypesOf(type: ts.TypeNode | undefined, into = new Set<BaseType>()): Set<BaseType> {
  if (!type) {
    into.add('unknown')
    return into
  }
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.TemplateLiteralType:
      into.add('string')
      return into
    case ts.SyntaxKind.NumberKeyword:
      into.add('number')
      return into
    case ts.SyntaxKind.BooleanKeyword:
      into.add('boolean')
      return into
    case ts.SyntaxKind.TypeLiteral:
    case ts.SyntaxKind.ObjectKeyword:
    case ts.SyntaxKind.MappedType:
      into.add('object')
      return into
    case ts.SyntaxKind.ArrayType:
    case ts.SyntaxKind.TupleType:
      into.add('array')
      return into
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.NullKeyword:
      return into
    case ts.SyntaxKind.ParenthesizedType:
      return baseTypesOf((type as ts.ParenthesizedTypeNode).type, into)
    case ts.SyntaxKind.UnionType:
      for (const member of (type as ts.UnionTypeNode).types) baseTypesOf(member, into)
      return into
    case ts.SyntaxKind.LiteralType: {
      const literal = (type as ts.LiteralTypeNode).literal
      if (literal.kind === ts.SyntaxKind.StringLiteral || literal.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) into.add('string')
      else if (literal.kind === ts.SyntaxKind.NumericLiteral || literal.kind === ts.SyntaxKind.PrefixUnaryExpression) into.add('number')
      else if (literal.kind === ts.SyntaxKind.TrueKeyword || literal.kind === ts.SyntaxKind.FalseKeyword) into.add('boolean')
      else if (literal.kind !== ts.SyntaxKind.NullKeyword) into.add('unknown')
      return into
    }
    case ts.SyntaxKind.TypeReference: {
      const name = (type as ts.TypeReferenceNode).typeName
      const text = ts.isIdentifier(name) ? name.text : ''
      if (text === 'Array' || text === 'ReadonlyArray') into.add('array')
      else if (text === 'Record') into.add('object')
      else into.add('unknown')
      return into
    }
    default:
      into.add('unknown')
      return into
  }
}

function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text
  return undefined
}

/** The members of an exported interface of a generated-types file. */
function interfaceMembers(
  file: ParsedFile,
  interfaceName: string
): { declaration: ts.InterfaceDeclaration; members: DeclaredMember[] } | undefined {
  for (const statement of file.sourceFile.statements) {
    if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== interfaceName) continue
    const members: DeclaredMember[] = []
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member)) continue
      const name = memberName(member.name)
      if (name === undefined) continue
      members.push({ name, optional: member.questionToken !== undefined, types: baseTypesOf(member.type), node: member })
    }
    return { declaration: statement, members }
  }
  return undefined
}

const FIELD_BASE_TYPES: Record<string, BaseType> = {
  string: 'string',
  text: 'string',
  password: 'string',
  datetime: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  object: 'object'
}

/** The base type the generator writes for a field, or undefined when the field does not say. */
function expectedBaseType(field: JsonObject): BaseType | undefined {
  if (isUnresolvedJson(field.multiple) || isUnresolvedJson(field.type)) return undefined
  if (field.multiple === true) return 'array'
  return typeof field.type === 'string' ? FIELD_BASE_TYPES[field.type] : undefined
}

/** A field's `type` as the message names it (a non-string type shows as JSON, not "[object Object]"). */
function fieldTypeText(type: Json | undefined): string {
  return typeof type === 'string' ? type : (JSON.stringify(type) ?? 'undefined')
}

/** Whether the generator marks the member optional: everything but `required: true`. */
function expectedOptional(required: Json | undefined): boolean | undefined {
  if (isUnresolvedJson(required)) return undefined
  return required !== true
}

interface Comparison {
  file: ParsedFile
  interfaceName: 'Payload' | 'Settings' | 'AudienceSettings'
  fields: Json | undefined
  /** Whose fields, for messages: `action "trackEvent"` or `the destination settings`. */
  owner: string
  /** Members the framework adds on its own (the `enable_batching` toggle of batching actions). */
  tolerated: Set<string>
}

function compare(comparison: Comparison): RawFinding[] {
  const { file, interfaceName, fields, owner } = comparison
  const declared = interfaceMembers(file, interfaceName)
  if (!declared) return []
  // One stale interface is one defect with one fix: its differences are listed in one finding.
  const differences: Array<{ line: number; column: number; message: string }> = []
  const report = (node: ts.Node, key: string, message: string) => {
    // Whether the generator writes framework-reserved keys is not known here: say nothing about them.
    if (isFrameworkReservedKey(key)) return
    const location = nodeLocation(file, node)
    differences.push({ line: location.line, column: location.column, message })
  }
  const byName = new Map(declared.members.map((member) => [member.name, member]))
  const known = entriesOf(fields)
  const complete = isCompleteMap(fields)
  for (const [key, field] of known) {
    const member = byName.get(key)
    if (!member) {
      if (isJsonObject(fields))
        report(declared.declaration.name, key, `\`${interfaceName}\` has no member \`${key}\`, but there is a field "${key}" in ${owner}.`)
      continue
    }
    const optional = expectedOptional(field.required)
    if (optional !== undefined && optional !== member.optional) {
      report(
        member.node,
        key,
        `\`${interfaceName}.${key}\` is ${member.optional ? 'optional (`?`)' : 'required'}, but the field "${key}" of ${owner} is ${optional ? 'not required' : '`required: true`'}.`
      )
      continue
    }
    const expected = expectedBaseType(field)
    if (expected && !member.types.has('unknown') && member.types.size > 0 && !member.types.has(expected)) {
      report(
        member.node,
        key,
        `\`${interfaceName}.${key}\` is typed ${[...member.types].join(' | ')}, but the field "${key}" of ${owner} is ${field.multiple === true ? `a list of ${fieldTypeText(field.type)}` : `of type ${fieldTypeText(field.type)}`} (${expected}).`
      )
    }
  }
  if (complete) {
    for (const member of declared.members) {
      if (Object.prototype.hasOwnProperty.call(fields, member.name) || comparison.tolerated.has(member.name)) continue
      report(
        member.node,
        member.name,
        `\`${interfaceName}.${member.name}\` has no matching field in ${owner}: the field was removed or renamed.`
      )
    }
  }
  if (differences.length === 0) return []
  differences.sort((a, b) => a.line - b.line || a.column - b.column)
  const [first] = differences
  const shown = differences.slice(0, MAX_LISTED_DIFFERENCES).map((difference) => difference.message.replace(/\.$/, ''))
  const more = differences.length > MAX_LISTED_DIFFERENCES ? `; and ${differences.length - MAX_LISTED_DIFFERENCES} more` : ''
  return [
    {
      message: `\`${interfaceName}\` in ${file.path.slice(file.path.lastIndexOf('/', file.path.lastIndexOf('/') - 1) + 1)} does not match the fields it is generated from (${differences.length} difference${differences.length > 1 ? 's' : ''}): ${shown.join('; ')}${more}. Regenerate the file with \`./bin/run generate:types\` (do not edit it by hand) and commit it.`,
      path: file.path,
      line: first.line,
      column: first.column,
      key: interfaceName
    }
  ]
}

/** Differences of one interface listed in its finding; the rest are counted. */
const MAX_LISTED_DIFFERENCES = 4

function generatedTypesBeside(context: IntegrationRuleContext, path: string): ParsedFile | undefined {
  const candidate = `${dirname(path)}/generated-types.ts`
  if (!candidate.startsWith(`${context.integration.path}/`) || !context.integrationFiles.includes(candidate)) return undefined
  return context.parse(candidate)
}

export const generatedTypesFresh = defineRule({
  id: 'structure/generated-types-fresh',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: '`generated-types.ts` matches the fields',
  docs: {
    why: 'The `Payload` and `Settings` types are generated from the fields by `./bin/run generate:types`. A stale type lets code read a field that no longer exists, or treat an optional field as always present, and the compiler cannot catch it.',
    fix: 'Run `./bin/run generate:types` after changing fields or settings, and commit the regenerated `generated-types.ts` files.',
    bad: "// fields: { email: { label: 'Email', description: 'Email of the user.', type: 'string', required: true } }\nexport interface Payload {\n  email?: string\n}",
    good: "// fields: { email: { label: 'Email', description: 'Email of the user.', type: 'string', required: true } }\nexport interface Payload {\n  /**\n   * Email of the user.\n   */\n  email: string\n}"
  },
  scope: 'integration',
  check(context) {
    const metadata = context.head.metadata
    if (!metadata || isUnresolvedJson(metadata)) return []
    const findings: RawFinding[] = []
    const authentication = metadata.authentication
    const settingsFile = generatedTypesBeside(context, context.integration.entryPath)
    if (settingsFile && !isUnresolvedJson(authentication)) {
      const fields = isJsonObject(authentication) ? authentication.fields : {}
      findings.push(
        ...compare({ file: settingsFile, interfaceName: 'Settings', fields, owner: "the destination's settings", tolerated: new Set() })
      )
    }
    const audienceConfig = metadata.audienceConfig
    if (settingsFile && isJsonObject(audienceConfig) && !isUnresolvedJson(audienceConfig)) {
      findings.push(
        ...compare({
          file: settingsFile,
          interfaceName: 'AudienceSettings',
          fields: audienceConfig.audienceFields,
          owner: "the destination's `audienceFields`",
          tolerated: new Set()
        })
      )
    }
    for (const action of actionsOf(context)) {
      // Only the file is needed: locating the line too would build the line map of every action file.
      const path = pathOfPointer(context, action.pointer)
      if (path === context.integration.entryPath && !context.head.locations.has(action.pointer)) continue
      const payloadFile = generatedTypesBeside(context, path)
      if (!payloadFile) continue
      const tolerated = new Set(action.action.hasPerformBatch === true ? ['enable_batching'] : [])
      findings.push(
        ...compare({
          file: payloadFile,
          interfaceName: 'Payload',
          fields: action.action.fields,
          owner: `action "${action.key}"`,
          tolerated
        })
      )
    }
    return findings
  }
})
