// The static model of a cloud event source: its settings and every Segment call its code makes,
// from a source function (`Segment.track(...)` in `onRequest`), an HTTP API client (a POST to
// `api.segment.io/v1/<type>`), or an analytics library (`analytics.track(...)`). Parsed, never run.
import { ts } from '../typescript.js'
import type { IntegrationLocation } from '../../discover/discover-integrations.js'
import type { ParsedFile, SourceProgram } from '../source-program.js'
import type { StaticEvaluator } from '../static-evaluator.js'
import { SourceValueDescriber, findLocalBinding, staticTypeOf, type SourceValue, type ValueEntry } from './describe-value.js'

const SEGMENT_CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'set'] as const
type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number]
const HTTP_TYPES = new Set(['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'])
const ANALYTICS_PACKAGES = new Set(['@segment/analytics-node', 'analytics-node', '@segment/analytics-next', 'analytics-next'])
const IDENTITY_KEYS = ['userId', 'anonymousId', 'groupId', 'previousId'] as const
export type IdentityKey = (typeof IDENTITY_KEYS)[number]

export interface Position {
  path: string
  line: number
  column: number
}

export type Unknown = { $unresolved: string }

export type IdentityValue =
  | { source: 'literal'; value: string | number | boolean | null }
  | { source: 'request'; from: string }
  | { source: 'setting'; name: string | undefined }
  | { source: 'computed'; type: string }
  | { source: 'absent' }
  | Unknown

export interface KeyedValue {
  key: string
  /** The value's static type; `{"$unresolved"}` when the code does not show it. */
  type: string | Unknown
  /** The literal value, when it is one. */
  value?: string | number | boolean | null
  /** For arrays of objects written in place (`products: [{...}]`): each item's keys. */
  itemKeys?: string[][]
  /** Set when the key was written in another file than the call. */
  path?: string
  line: number
  column: number
}

interface KeyList {
  keys: KeyedValue[]
  /** Present when more keys may exist than listed, with why. */
  open?: string
}

export interface EmittedCall {
  via: 'source-function' | 'http-api' | 'analytics-library'
  type: SegmentCallType
  /** `event` of a track, `name` of a page or screen, `collection` of a set. */
  event?: string | Unknown
  /** Where the event name was written, when known (a helper may build the payload elsewhere). */
  eventLocation?: Position
  /** True when the code shows the name is made at run time: taken from the request, or a template or concatenation. */
  eventDynamic?: boolean
  identity: Record<IdentityKey, IdentityValue>
  /** Where each identity key is written, and the name it reads when it is one (`userId: subscriber.email` → `email`). */
  identityWritten?: Partial<Record<IdentityKey, { readName?: string } & Position>>
  properties: KeyList
  traits: KeyList
  context: KeyList
  /** Present when the call's argument is not an object the code shows. */
  payload?: Unknown
  location: Position
}

interface HttpEndpoint {
  /** The URL as written, `*` where a part is computed. */
  url: string
  /** `us`/`eu` when the host is a literal Segment host; `configurable` when it is computed. */
  region: 'us' | 'eu' | 'configurable' | 'other'
  location: Position
}

interface SourceSetting {
  name: string
  /** From the manifest: its type, required and encrypted flags; from the code: where it is read. */
  type?: string
  label?: string
  description?: string
  required?: boolean
  /** `encrypted` or `sensitive` in the manifest: Segment hides the value in its UI. */
  encrypted?: boolean
  location: Position
}

export interface SourceModel {
  handler: Position | undefined
  settingsFrom: 'manifest' | 'code'
  settings: SourceSetting[]
  calls: EmittedCall[]
  endpoints: HttpEndpoint[]
  /** Files the model was read from. */
  files: string[]
}

/**
 * Files that may declare a source function's settings. Segment's Functions API describes them as
 * `settings: [{ name, label, description, type: 'STRING' | 'BOOLEAN' | 'TEXT_MAP' | …, required,
 * sensitive }]` (the body of `createFunction`, and `data.function` of `getFunction`), which a
 * partner keeps beside the code; a bare list or a `{ <name>: {type, …} }` map is read too.
 */
const MANIFEST_NAMES = ['settings.json', 'manifest.json', 'function.json']

/** The code files of the source (tests, declarations and vendored code excluded). */
function sourceCodeFiles(files: readonly string[], location: IntegrationLocation): string[] {
  return files
    .filter((path) => path.startsWith(`${location.path}/`) && /\.(ts|js|mjs|cjs)$/.test(path) && !/\.d\.ts$/.test(path))
    .filter(
      (path) =>
        !/(^|\/)(node_modules|__tests__|test|tests|dist)\//.test(path.slice(location.path.length + 1)) &&
        !/\.(test|spec)\.[cm]?[jt]s$/.test(path)
    )
    .sort()
}

export function extractSource(
  program: SourceProgram,
  evaluator: StaticEvaluator,
  location: IntegrationLocation,
  files: readonly string[]
): SourceModel {
  const codeFiles = sourceCodeFiles(files, location)
  const calls: EmittedCall[] = []
  const endpoints: HttpEndpoint[] = []
  const settingsRead = new Map<string, SourceSetting>()
  let handler: Position | undefined
  for (const path of codeFiles) {
    const file = program.getFile(path)
    if (!file) continue
    const handlerNode = findHandler(file.sourceFile)
    if (handlerNode && !handler) handler = position(file, handlerNode)
    const describer = new SourceValueDescriber(evaluator, file, { handler: handlerNode })
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const segmentCall = segmentFunctionCall(node, file)
        if (segmentCall) calls.push(...callsFrom('source-function', segmentCall, node, file, describer))
        const library = analyticsLibraryCall(node, file)
        if (library) calls.push(...callsFrom('analytics-library', library, node, file, describer))
        const http = httpApiCall(node, file, describer)
        if (http) {
          endpoints.push({ url: http.url, region: regionOf(http.url), location: position(file, node) })
          if (http.type !== undefined) calls.push(...httpCalls(http.type, http.body, node, file, describer))
        }
      }
      if (handlerNode) recordSettingRead(node, handlerNode, file, settingsRead)
      ts.forEachChild(node, visit)
    }
    visit(file.sourceFile)
  }
  const manifest = readManifest(program, location)
  return {
    handler,
    settingsFrom: manifest ? 'manifest' : 'code',
    settings: manifest ?? [...settingsRead.values()],
    calls,
    endpoints,
    files: codeFiles
  }
}

function findHandler(sourceFile: ts.SourceFile): ts.FunctionLikeDeclaration | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'onRequest') return statement
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.name.text === 'onRequest' &&
          init &&
          (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
        )
          return init
      }
    }
    // `exports.onRequest = async (request, settings) => {...}` (CommonJS bundles).
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const { left, right } = statement.expression
      if (
        ts.isPropertyAccessExpression(left) &&
        left.name.text === 'onRequest' &&
        (ts.isArrowFunction(right) || ts.isFunctionExpression(right))
      )
        return right
    }
  }
  return undefined
}

function position(file: ParsedFile, node: ts.Node): Position {
  const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
  return { path: file.path, line: line + 1, column: character + 1 }
}

interface FoundCall {
  type: SegmentCallType
  argument: ts.Expression | undefined
}

/** `Segment.track(...)` where `Segment` is the runtime's global, not something the code declares or imports. */
function segmentFunctionCall(node: ts.CallExpression, file: ParsedFile): FoundCall | undefined {
  const callee = node.expression
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Segment')
    return undefined
  const type = callee.name.text as SegmentCallType
  if (!SEGMENT_CALL_TYPES.includes(type)) return undefined
  if (findLocalBinding(callee.expression, 'Segment') || declaresAtTop(file.sourceFile, 'Segment', { ambientAllowed: true }))
    return undefined
  return { type, argument: node.arguments[0] }
}

/** `analytics.track(...)` on an instance of Segment's analytics library, or a value named `analytics`. */
function analyticsLibraryCall(node: ts.CallExpression, file: ParsedFile): FoundCall | undefined {
  const callee = node.expression
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return undefined
  const type = callee.name.text as SegmentCallType
  if (type === 'set' || !SEGMENT_CALL_TYPES.includes(type)) return undefined
  const name = callee.expression.text
  if (name === 'Segment') return undefined
  if (/^analytics$/i.test(name) || isAnalyticsInstance(callee.expression, file)) return { type, argument: node.arguments[0] }
  return undefined
}

function isAnalyticsInstance(identifier: ts.Identifier, file: ParsedFile): boolean {
  const local = findLocalBinding(identifier, identifier.text)
  let initializer: ts.Expression | undefined
  if (local?.kind === 'variable') initializer = local.declaration.initializer
  else if (!local) {
    for (const statement of file.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text) initializer = declaration.initializer
      }
    }
  }
  if (!initializer || !ts.isNewExpression(initializer) || !ts.isIdentifier(initializer.expression)) return false
  const className = initializer.expression.text
  return file.sourceFile.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      ANALYTICS_PACKAGES.has(statement.moduleSpecifier.text) &&
      (statement.importClause?.name?.text === className ||
        (statement.importClause?.namedBindings !== undefined &&
          ts.isNamedImports(statement.importClause.namedBindings) &&
          statement.importClause.namedBindings.elements.some((element) => element.name.text === className)))
  )
}

function declaresAtTop(sourceFile: ts.SourceFile, name: string, options: { ambientAllowed: boolean }): boolean {
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      const ambient = (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword)
      if (ambient && options.ambientAllowed) continue
      if (statement.declarationList.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name))
        return true
    }
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause
      if (clause.name?.text === name) return true
      const bindings = clause.namedBindings
      if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name) return true
      if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((element) => element.name.text === name)) return true
    }
  }
  return false
}

interface HttpCall {
  url: string
  type: string | undefined
  body: ts.Expression | undefined
}

/** `fetch(url, {method: 'POST', body})`, `axios.post(url, data)`, `got.post(url, {json})` to Segment's HTTP API. */
function httpApiCall(node: ts.CallExpression, file: ParsedFile, describer: SourceValueDescriber): HttpCall | undefined {
  const callee = node.expression.getText(file.sourceFile)
  const [first, second] = node.arguments
  if (!first) return undefined
  let body: ts.Expression | undefined
  if (
    callee === 'fetch' ||
    callee === 'got' ||
    callee === 'got.post' ||
    callee === 'axios' ||
    callee === 'axios.post' ||
    callee === 'needle.post'
  ) {
    const url = urlPattern(first, describer)
    if (!isSegmentApiUrl(url)) return undefined
    if (callee === 'axios.post' || callee === 'needle.post') body = second
    else if (second && ts.isObjectLiteralExpression(second)) body = optionBody(second)
    const match = /\/v1\/(\w+)\/?$/.exec(url)
    const type = match && HTTP_TYPES.has(match[1]) ? match[1] : undefined
    return { url, type, body }
  }
  return undefined
}

function optionBody(options: ts.ObjectLiteralExpression): ts.Expression | undefined {
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || !property.name || !ts.isIdentifier(property.name)) continue
    if (property.name.text === 'json' || property.name.text === 'data') return property.initializer
    if (property.name.text === 'body') {
      const init = property.initializer
      if (ts.isCallExpression(init) && init.expression.getText() === 'JSON.stringify' && init.arguments[0]) return init.arguments[0]
      return init
    }
  }
  return undefined
}

/** The URL as written, with `*` for each computed part. */
function urlPattern(node: ts.Expression, describer: SourceValueDescriber, depth = 0): string {
  if (depth > 10) return '*'
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((span) => urlPattern(span.expression, describer, depth + 1) + span.literal.text).join('')
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return urlPattern(node.left, describer, depth + 1) + urlPattern(node.right, describer, depth + 1)
  }
  // A region choice: `ENDPOINTS[settings.region]` or `eu ? EU_URL : US_URL`, every option a Segment endpoint.
  if (ts.isConditionalExpression(node)) {
    const options = [urlPattern(node.whenTrue, describer, depth + 1), urlPattern(node.whenFalse, describer, depth + 1)]
    const chosen = regionChoice(options)
    if (chosen) return chosen
  }
  if (ts.isElementAccessExpression(node)) {
    const table = describer.describe(node.expression)
    if (table.kind === 'object' && table.entries.length > 0) {
      const chosen = regionChoice(
        table.entries.map((entry) => (entry.value.kind === 'literal' && typeof entry.value.value === 'string' ? entry.value.value : '*'))
      )
      if (chosen) return chosen
    }
  }
  if (ts.isIdentifier(node)) {
    const binding = findLocalBinding(node, node.text)
    if (binding?.kind === 'variable' && binding.constant && binding.declaration.initializer && ts.isIdentifier(binding.declaration.name)) {
      return urlPattern(binding.declaration.initializer, describer, depth + 1)
    }
  }
  const value = describer.describe(node)
  return value.kind === 'literal' && typeof value.value === 'string' ? value.value : '*'
}

/** Placeholder host for an endpoint chosen at run time among Segment's regional endpoints. */
const REGION_CHOICE = '{segment-region}'

/** When every option is a Segment endpoint with the same path: the choice placeholder and that path. */
function regionChoice(options: string[]): string | undefined {
  const paths = options.map(
    (option) =>
      /^(?:https:\/\/)?(?:api\.segment\.io|events\.eu1\.segmentapis\.com)(\/.*)?$/.exec(option)?.[1] ??
      (option.startsWith(REGION_CHOICE) ? option.slice(REGION_CHOICE.length) : undefined)
  )
  if (paths.some((path) => path === undefined) || new Set(paths).size !== 1) return undefined
  return REGION_CHOICE + (paths[0] ?? '')
}

function isSegmentApiUrl(url: string): boolean {
  return (
    /(^|\/\/|\.)(api\.segment\.io|segmentapis\.com)\/v1\//.test(url) ||
    url.startsWith(`${REGION_CHOICE}/v1/`) ||
    /^\*\/v1\/(track|identify|page|screen|group|alias|batch)\/?$/.test(url)
  )
}

function regionOf(url: string): HttpEndpoint['region'] {
  if (/^(https?:\/\/)?api\.segment\.io\//.test(url)) return 'us'
  if (/^(https?:\/\/)?events\.eu1\.segmentapis\.com\//.test(url)) return 'eu'
  if (url.startsWith('*') || url.startsWith(REGION_CHOICE)) return 'configurable'
  return 'other'
}

function httpCalls(
  type: string,
  body: ts.Expression | undefined,
  node: ts.CallExpression,
  file: ParsedFile,
  describer: SourceValueDescriber
): EmittedCall[] {
  if (type !== 'batch') return callsFrom('http-api', { type: type as SegmentCallType, argument: body }, node, file, describer)
  const payload = body ? describer.describe(body) : undefined
  const batch = payload?.kind === 'object' ? payload.entries.find((entry) => entry.key === 'batch')?.value : undefined
  if (batch?.kind !== 'array' || !batch.items) return []
  const calls: EmittedCall[] = []
  for (const item of batch.items) {
    if (item.kind !== 'object') continue
    const itemType = item.entries.find((entry) => entry.key === 'type')?.value
    if (itemType?.kind !== 'literal' || !SEGMENT_CALL_TYPES.includes(itemType.value as SegmentCallType)) continue
    calls.push(callFromValue('http-api', itemType.value as SegmentCallType, item, position(file, node)))
  }
  return calls
}

function callsFrom(
  via: EmittedCall['via'],
  found: FoundCall,
  node: ts.CallExpression,
  file: ParsedFile,
  describer: SourceValueDescriber
): EmittedCall[] {
  const value: SourceValue = found.argument ? describer.describe(found.argument) : { kind: 'unknown', reason: 'no argument' }
  return [callFromValue(via, found.type, value, position(file, node))]
}

function callFromValue(via: EmittedCall['via'], type: SegmentCallType, value: SourceValue, location: Position): EmittedCall {
  const emptyKeys = (why?: string): KeyList => (why ? { keys: [], open: why } : { keys: [] })
  if (value.kind !== 'object') {
    const why =
      value.kind === 'unknown' ? value.reason : value.kind === 'input' ? `the payload is ${value.from}` : 'the payload is not an object'
    const identity = Object.fromEntries(IDENTITY_KEYS.map((key) => [key, { $unresolved: why }])) as Record<IdentityKey, IdentityValue>
    return {
      via,
      type,
      identity,
      properties: emptyKeys(why),
      traits: emptyKeys(why),
      context: emptyKeys(why),
      payload: { $unresolved: why },
      location
    }
  }
  const member = (key: string): SourceValue | undefined => value.entries.find((entry) => entry.key === key)?.value
  const eventKey = type === 'track' ? 'event' : type === 'page' || type === 'screen' ? 'name' : type === 'set' ? 'collection' : undefined
  const identity = Object.fromEntries(IDENTITY_KEYS.map((key) => [key, identityOf(member(key), value.open)])) as Record<
    IdentityKey,
    IdentityValue
  >
  const call: EmittedCall = {
    via,
    type,
    identity,
    properties: keyList(member(type === 'identify' ? '__none__' : 'properties'), value.open),
    traits: keyList(member('traits'), value.open),
    context: keyList(member('context'), value.open),
    location
  }
  const identityWritten: Partial<Record<IdentityKey, { readName?: string } & Position>> = {}
  for (const key of IDENTITY_KEYS) {
    const entry = value.entries.find((candidate) => candidate.key === key)
    if (!entry || entry.line <= 0) continue
    const at = { path: entry.path ?? location.path, line: entry.line, column: entry.column }
    identityWritten[key] = entry.readName === undefined ? at : { readName: entry.readName, ...at }
  }
  if (Object.keys(identityWritten).length > 0) call.identityWritten = identityWritten
  if (eventKey) {
    const eventValue = member(eventKey)
    call.event = eventOf(eventValue, value.open)
    if (eventValue?.kind === 'input' || eventValue?.kind === 'typed') call.eventDynamic = true
    const written = value.entries.find((entry) => entry.key === eventKey)
    if (written && written.line > 0)
      call.eventLocation = { path: written.path ?? location.path, line: written.line, column: written.column }
  }
  return call
}

function identityOf(value: SourceValue | undefined, open: string | undefined): IdentityValue {
  if (value === undefined) return open ? { $unresolved: `may come from ${open}` } : { source: 'absent' }
  switch (value.kind) {
    case 'literal':
      return value.value === null ? { source: 'absent' } : { source: 'literal', value: value.value }
    case 'input':
      return { source: 'request', from: value.from }
    case 'setting':
      return { source: 'setting', name: value.name }
    case 'typed':
      return { source: 'computed', type: value.type }
    case 'unknown':
      return { $unresolved: value.reason }
    default:
      return { source: 'computed', type: value.kind }
  }
}

function eventOf(value: SourceValue | undefined, open: string | undefined): string | Unknown | undefined {
  if (value === undefined) return open ? { $unresolved: `may come from ${open}` } : undefined
  if (value.kind === 'literal' && typeof value.value === 'string') return value.value
  if (value.kind === 'input') return { $unresolved: `taken from ${value.from}` }
  if (value.kind === 'typed') return { $unresolved: 'built at run time (a template or concatenation)' }
  if (value.kind === 'unknown') return { $unresolved: value.reason }
  return { $unresolved: `not a string (${value.kind})` }
}

function keyList(value: SourceValue | undefined, open: string | undefined): KeyList {
  if (value === undefined) return open ? { keys: [], open: `may come from ${open}` } : { keys: [] }
  if (value.kind !== 'object') {
    const why =
      value.kind === 'unknown' ? value.reason : value.kind === 'input' ? `taken whole from ${value.from}` : `not an object (${value.kind})`
    return { keys: [], open: why }
  }
  const keys = value.entries.map((entry) => keyedValue(entry))
  return value.open ? { keys, open: value.open } : { keys }
}

function keyedValue(entry: ValueEntry): KeyedValue {
  const type = staticTypeOf(entry.value)
  const keyed: KeyedValue = {
    key: entry.key,
    type: type ?? {
      $unresolved:
        entry.value.kind === 'input'
          ? `taken from ${entry.value.from}`
          : entry.value.kind === 'unknown'
            ? entry.value.reason
            : `a ${entry.value.kind}`
    },
    line: entry.line,
    column: entry.column
  }
  if (entry.path !== undefined) keyed.path = entry.path
  if (entry.value.kind === 'literal') keyed.value = entry.value.value
  if (entry.value.kind === 'array' && entry.value.items?.every((item) => item.kind === 'object')) {
    keyed.itemKeys = entry.value.items.map((item) => (item.kind === 'object' ? item.entries.map((inner) => inner.key) : []))
  }
  return keyed
}

/** `settings.apiKey` and `const { apiKey } = settings` inside the handler. */
function recordSettingRead(node: ts.Node, handler: ts.FunctionLikeDeclaration, file: ParsedFile, into: Map<string, SourceSetting>): void {
  const settingsParameter = handler.parameters[1]
  if (!settingsParameter || !ts.isIdentifier(settingsParameter.name)) return
  const name = settingsParameter.name.text
  const isSettings = (expression: ts.Expression) => {
    if (!ts.isIdentifier(expression) || expression.text !== name) return false
    const binding = findLocalBinding(expression, name)
    return binding?.kind === 'parameter' && binding.fn === handler
  }
  const add = (setting: string, at: ts.Node) => {
    if (!into.has(setting)) into.set(setting, { name: setting, location: position(file, at) })
  }
  if (ts.isPropertyAccessExpression(node) && isSettings(node.expression)) add(node.name.text, node)
  if (ts.isElementAccessExpression(node) && isSettings(node.expression) && ts.isStringLiteral(node.argumentExpression))
    add(node.argumentExpression.text, node)
  if (ts.isVariableDeclaration(node) && node.initializer && isSettings(node.initializer) && ts.isObjectBindingPattern(node.name)) {
    for (const element of node.name.elements) {
      const key = element.propertyName ?? element.name
      if (ts.isIdentifier(key) || ts.isStringLiteral(key)) add(key.text, element)
    }
  }
}

/** A `settings.json` (or `manifest.json` with `settings`) beside the code: a list or a map of settings. */
function readManifest(program: SourceProgram, location: IntegrationLocation): SourceSetting[] | undefined {
  for (const name of MANIFEST_NAMES) {
    const path = `${location.path}/${name}`
    const text = program.source.readFile(path)
    if (text === undefined) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      continue
    }
    const list = settingsList(parsed)
    const entries: Array<[string, unknown]> = Array.isArray(list)
      ? list.map((item) => [
          typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>).name === 'string'
            ? ((item as Record<string, unknown>).name as string)
            : '',
          item
        ])
      : typeof list === 'object' && list !== null
        ? Object.entries(list)
        : []
    const settings: SourceSetting[] = []
    for (const [settingName, raw] of entries) {
      if (!settingName || typeof raw !== 'object' || raw === null) continue
      const record = raw as Record<string, unknown>
      const setting: SourceSetting = { name: settingName, location: { path, line: lineOfKey(text, settingName), column: 1 } }
      if (typeof record.type === 'string') setting.type = record.type
      if (typeof record.label === 'string') setting.label = record.label
      if (typeof record.description === 'string') setting.description = record.description
      if (typeof record.required === 'boolean') setting.required = record.required
      const encrypted = record.encrypted ?? record.sensitive
      if (typeof encrypted === 'boolean') setting.encrypted = encrypted
      settings.push(setting)
    }
    if (entries.length > 0) return settings
  }
  return undefined
}

/** The settings of a manifest: a list or map at the top, or under `settings`, `function.settings` or `data.function.settings`. */
function settingsList(parsed: unknown): unknown {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  const top = record(parsed)
  if (!top) return parsed
  const holder = record(record(top.data)?.function) ?? record(top.function) ?? top
  if (holder.settings !== undefined) return holder.settings
  // A bare `{ <name>: {...} }` map of settings (no other keys of a function description).
  return holder === top && !('code' in top) && !('displayName' in top) ? top : undefined
}

function lineOfKey(text: string, key: string): number {
  const index = text.indexOf(JSON.stringify(key))
  return index < 0 ? 1 : text.slice(0, index).split('\n').length
}
