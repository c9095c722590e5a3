// Token families whose well-formed values must not sit in the repository (GitHub push protection
// would rightly block them) are built here at run time, checksum included.
import { randomInt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { analyseChange } from '../../src/review/analyse-change.js'
import { hardcodedSecret } from '../../src/rules/security/hardcoded-secret.js'
import { redactSecret, redactUrlCredentials } from '../../src/rules/security/support/redact-secret.js'
import { findSecrets } from '../../src/rules/security/support/scan-secrets.js'
import { base62, crc32, hasValidGitHubChecksum } from '../../src/rules/security/support/secret-text.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const randomText = (length: number) => Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')

function gitHubToken(prefix: string): string {
  const random = randomText(30)
  return `${prefix}${random}${base62(crc32(random), 6)}`
}

const DESTINATION = 'packages/destination-actions/src/destinations/acme'

function findingsFor(code: string) {
  const head = new MemoryFileSource({
    [`${DESTINATION}/index.ts`]: `import { client } from './client'\nexport default { name: 'Acme', mode: 'cloud', actions: {} }\n`,
    [`${DESTINATION}/client.ts`]: code
  })
  return analyseChange({ head, rules: [hardcodedSecret], pullRequest: { body: undefined, authorIsPartner: true } }).findings
}

describe('security/hardcoded-secret on generated tokens', () => {
  it('knows CRC32 and the checksum of GitHub tokens', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(hasValidGitHubChecksum(gitHubToken('ghp_'))).toBe(true)
    const token = gitHubToken('ghp_')
    const broken = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    expect(hasValidGitHubChecksum(broken)).toBe(false)
  })

  it('reports a GitHub token with a valid checksum, redacted, on its line', () => {
    const token = gitHubToken('ghp_')
    const findings = findingsFor(`// client for the partner API\nexport const client = { token: '${token}' }\n`)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ ruleId: 'security/hardcoded-secret', line: 2, severity: 'error' })
    expect(findings[0].message).toContain('ghp_…(40 chars)')
    expect(findings[0].message).not.toContain(token.slice(4))
  })

  it('only notes a GitHub-shaped value that fails the checksum', () => {
    const token = gitHubToken('gho_')
    const broken = `${token.slice(0, -2)}${token.endsWith('zz') ? 'yy' : 'zz'}`
    const findings = findingsFor(`export const client = '${broken}'\n`)
    expect(findings.map((finding) => finding.severity)).toEqual(['info'])
    expect(findings[0].message).toContain('look-alike')
  })

  it('reports Stripe live secret keys and never publishable keys', () => {
    const live = `sk_live_${randomText(24)}`
    const publishable = `pk_live_${randomText(24)}`
    const findings = findingsFor(`export const client = {\n  publishable: '${publishable}',\n  secret: '${live}'\n}\n`)
    expect(findings.map((finding) => finding.line)).toEqual([3])
    expect(findings[0].message).toContain('sk_live_…(32 chars)')
    expect(findings[0].message).not.toContain(live.slice(8))
  })

  it('reports a signed JWT outside tests but not the unsigned kind', () => {
    const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const signed = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment({ sub: 'svc-acme', exp: 4102444800 })}.${randomText(43)}`
    const unsigned = `${segment({ alg: 'none' })}.${segment({ sub: 'svc-acme' })}.`
    expect(findingsFor(`export const client = '${signed}'\n`)).toHaveLength(1)
    expect(findingsFor(`export const client = '${unsigned}'\n`)).toEqual([])
  })

  it('finds Slack, SendGrid and npm tokens by shape', () => {
    const slack = `xoxb-${randomInt(1e9, 9e9)}1-${randomInt(1e9, 9e9)}2-${randomText(24)}`
    const sendgrid = `SG.${randomText(22)}.${randomText(43)}`
    const npm = `npm_${randomText(36)}`
    const ids = findSecrets(`a='${slack}'\nb='${sendgrid}'\nc='${npm}'`, false).map((hit) => hit.family.id)
    expect(ids).toEqual(['slack-bot-token', 'sendgrid-api-key', 'npm-token'])
  })
})

describe('shape-only families in tests', () => {
  it('a literal Authorization header is an error in code and a warning in tests', () => {
    const header = `'Bearer ${randomText(32)}7'`
    const head = new MemoryFileSource({
      [`${DESTINATION}/index.ts`]: `export const headers = { Authorization: ${header} }\nexport default { name: 'Acme', mode: 'cloud', actions: {} }\n`,
      [`${DESTINATION}/__tests__/index.test.ts`]: `nock('https://api.acme.com').matchHeader('authorization', ${header})\n`
    })
    const findings = analyseChange({ head, rules: [hardcodedSecret], pullRequest: { body: undefined, authorIsPartner: true } }).findings
    expect(findings.map((finding) => [finding.path.endsWith('.test.ts'), finding.severity]).sort()).toEqual([
      [false, 'error'],
      [true, 'warning']
    ])
  })
})

describe('redactSecret', () => {
  it('shows the family prefix or four characters, and the length', () => {
    expect(redactSecret(`ghp_${'0'.repeat(36)}`, 'ghp_')).toBe('ghp_…(40 chars)')
    expect(redactSecret('q8Zr2VtK9mXc4LwPn7Bd')).toBe('q8Zr…(20 chars)')
    expect(redactSecret('hunter2')).toBe('h…(7 chars)')
  })

  it('hides credentials inside URLs', () => {
    expect(redactUrlCredentials('git+https://deploy:s3cr3tT0k3n@github.com/acme/sdk.git#main')).toBe(
      'git+https://***@github.com/acme/sdk.git#main'
    )
    expect(redactUrlCredentials('http://api.acme.com/v1?a=b@c')).toBe('http://api.acme.com/v1?a=b@c')
    expect(redactUrlCredentials('see http://u:p@a.com and https://x:y@b.com/z')).toBe('see http://***@a.com and https://***@b.com/z')
  })
})

describe('security/hardcoded-secret on private keys and allow markers', () => {
  const header = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ')
  const footer = ['-----END', 'RSA PRIVATE KEY-----'].join(' ')
  const base64Body = () => Array.from({ length: 4 }, () => randomText(64)).join('\\n')

  it('does not report a PEM header with no key body (a test asserting the header)', () => {
    const code = `it('masks keys', () => {\n  expect(mask(input)).toContain('${header}')\n  expect(mask(input)).not.toContain('secretMaterialThatIsLongEnoughToLookLikeABodyButIsCodeInstead')\n})\n`
    expect(findingsFor(code)).toEqual([])
  })

  it('reports a PEM header followed by a key body, also across joined string literals', () => {
    expect(findingsFor(`export const key = '${header}\\n${base64Body()}\\n${footer}'\n`).map((finding) => finding.line)).toEqual([1])
    expect(
      findingsFor(`export const key =\n  '${header}\\n' +\n  '${randomText(64)}\\n' +\n  '${randomText(64)}\\n${footer}'\n`).map(
        (finding) => finding.line
      )
    ).toEqual([2])
  })

  it('honours gitleaks:allow on the line', () => {
    const token = gitHubToken('ghp_')
    expect(findingsFor(`export const sample = '${token}' // gitleaks:allow\n`)).toEqual([])
    expect(findingsFor(`export const sample = '${token}'\n`)).toHaveLength(1)
  })
})
