// A small partner destination, written as real ones are, and test rules with known metadata,
// for the review-engine tests (the engine's semantics, independent of the catalog's rules).
import { ts } from 'ts-morph'
import { defineRule, type RawFinding, type Rule } from '../../src/rules/rule.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

export const ROOT = 'packages/destination-actions/src/destinations/acme-mail'

export const ACME_FILES: Record<string, string> = {
  [`${ROOT}/index.ts`]: `import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import sendEmail from './sendEmail'
import { BASE_URL } from './constants'

const destination: DestinationDefinition<Settings> = {
  name: 'Acme Mail',
  slug: 'actions-acme-mail',
  mode: 'cloud',
  description: 'Send transactional email through Acme Mail.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: { label: 'API Key', description: 'Your Acme Mail API key.', type: 'password', required: true }
    },
    testAuthentication: (request) => request(\`\${BASE_URL}/me\`)
  },
  actions: {
    sendEmail
  }
}

export default destination
`,
  [`${ROOT}/constants.ts`]: `export const BASE_URL = 'https://api.acme-mail.example/v2'
`,
  [`${ROOT}/sendEmail/index.ts`]: `import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { BASE_URL } from '../constants'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Send Email',
  description: 'Send an email to a user.',
  fields: {
    to: { label: 'To', description: 'Recipient address.', type: 'string', required: true, default: { '@path': '$.properties.email' } },
    subject: { label: 'Subject', description: 'Email subject.', type: 'string' }
  },
  perform: (request, { payload }) => {
    const region = process.env.ACME_REGION
    return request(\`\${BASE_URL}/send\`, { method: 'post', json: { to: payload.to, subject: payload.subject, region } })
  }
}

export default action
`
}

export function acmeRepo(overrides: Record<string, string | undefined> = {}, description = 'head'): MemoryFileSource {
  const files: Record<string, string> = {}
  for (const [path, text] of Object.entries({ ...ACME_FILES, ...overrides })) if (text !== undefined) files[path] = text
  return new MemoryFileSource(files, description)
}

/** Every `process.env` read in the integration's files: a line-based finding (no key). */
export const envRule = defineRule({
  id: 'security/no-process-env',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'partner',
  title: 'process.env in integration code',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    for (const path of context.integrationFiles) {
      const file = context.parse(path)
      if (!file) continue
      const visit = (node: ts.Node) => {
        if (ts.isPropertyAccessExpression(node) && node.getText(file.sourceFile) === 'process.env') {
          const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile))
          findings.push({ path, line: line + 1, column: character + 1, message: 'process.env is read' })
        }
        ts.forEachChild(node, visit)
      }
      visit(file.sourceFile)
    }
    return findings
  }
})

/** Fields without a default: keyed by JSON pointer; warns before beta and blocks Public. */
export const fieldDefaultRule = defineRule({
  id: 'structure/field-description',
  category: 'structure',
  stages: { 'private-beta': 'warning', public: 'error' },
  who: 'everyone',
  title: 'Field without default',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'integration',
  check(context) {
    const findings: RawFinding[] = []
    const actions = (context.head.metadata?.actions ?? {}) as Record<string, { fields?: Record<string, { default?: unknown }> }>
    for (const [actionKey, action] of Object.entries(actions)) {
      for (const [fieldKey, field] of Object.entries(action.fields ?? {})) {
        if (field.default !== undefined && field.default !== null) continue
        const pointer = `/actions/${actionKey}/fields/${fieldKey}`
        const location = context.head.locations.get(pointer)
        if (location)
          findings.push({
            path: location.path,
            line: location.line,
            column: location.column,
            key: pointer,
            message: `${fieldKey} has no default`
          })
      }
    }
    return findings
  }
})

/** A pull-request-wide rule: a changed `.env` file anywhere. */
const envFileRule = defineRule({
  id: 'security/sensitive-file',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Sensitive file',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'pull-request',
  check(context) {
    return context.changedPaths
      .filter((path) => path.endsWith('.env'))
      .map((path) => ({ path, line: 1, message: `${path} is an environment file` }))
  }
})

export const compatRule = defineRule({
  id: 'compat/field-removed',
  category: 'compat',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Field removed',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'integration',
  check(context) {
    if (!context.base) return []
    const before = Object.keys((context.base.metadata?.actions as Record<string, { fields: object }>)?.sendEmail?.fields ?? {})
    const after = Object.keys((context.head.metadata?.actions as Record<string, { fields: object }>)?.sendEmail?.fields ?? {})
    return before
      .filter((key) => !after.includes(key))
      .map((key) => ({ path: context.integration.entryPath, line: 1, key, message: `${key} removed` }))
  }
})

export const crashingRule = defineRule({
  id: 'structure/has-actions',
  category: 'structure',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'Crashes',
  docs: { why: 'w', fix: 'f', bad: 'b', good: 'g' },
  scope: 'integration',
  check() {
    throw new Error('boom')
  }
})

export const TEST_RULES: Rule[] = [envRule, fieldDefaultRule, envFileRule]
