// Each sanitiser of the taint-lite rules is what keeps a finding away: the same code without it
// is reported. The fixtures show realistic code; these tests pin the boundaries one by one.
import { describe, expect, it } from 'vitest'
import { analyseChange } from '../../src/review/analyse-change.js'
import { SECURITY_RULES } from '../../src/rules/security/index.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/acme'

function findings(perform: string, settings = "subdomain: { label: 'Subdomain', description: 'Your subdomain.', type: 'string' }") {
  const head = new MemoryFileSource({
    [`${ROOT}/index.ts`]: `import send from './send'
export default {
  name: 'Acme', slug: 'actions-acme', mode: 'cloud',
  authentication: { scheme: 'custom', fields: { apiKey: { label: 'API Key', description: 'Key.', type: 'password' }, ${settings} } },
  extendRequest({ settings }) { return { headers: { Authorization: \`Bearer \${settings.apiKey}\` } } },
  actions: { send }
}
`,
    [`${ROOT}/send.ts`]: `const HOSTS = { us: 'api.us.acme.com', eu: 'api.eu.acme.com' }
export default {
  title: 'Send', description: 'Send.', fields: {},
  perform: async (request, { payload, settings }) => {
${perform}
  }
}
`
  })
  return analyseChange({ head, rules: SECURITY_RULES, pullRequest: { body: undefined, authorIsPartner: true } }).findings.map(
    (finding) => `${finding.ruleId}:${finding.line}${finding.severity ? `:${finding.severity}` : ''}`
  )
}

describe('taint-lite boundaries', () => {
  it('a payload value in the path is reported unless encoded or cast', () => {
    expect(findings('    return request(`https://api.acme.com/users/${payload.id}`)')).toEqual(['security/unencoded-path-segment:5'])
    expect(findings('    return request(`https://api.acme.com/users/${encodeURIComponent(payload.id)}`)')).toEqual([])
    expect(findings('    return request(`https://api.acme.com/users/${Number(payload.id)}`)')).toEqual([])
    expect(findings('    return request(`https://api.acme.com/users?id=${payload.id}`)')).toEqual([])
  })

  it('a host from payload is an error, and a secret on it is exfiltration', () => {
    expect(findings('    return request(`https://${payload.domain}/v1`)').sort()).toEqual([
      'security/secret-to-foreign-host:5:error',
      'security/ssrf-host-from-input:5:error'
    ])
    expect(findings('    return request(`https://${HOSTS[payload.region]}/v1`)')).toEqual([])
    // new URL(x, base): an absolute x replaces the base's host, even through a variable (shown where the host is taken).
    expect(findings("    const url = new URL(payload.path, 'https://api.acme.com')\n    return request(url.toString())").sort()).toEqual([
      'security/secret-to-foreign-host:5:error',
      'security/ssrf-host-from-input:5:error'
    ])
    expect(findings("    return request(new URL(`/v1/users/${encodeURIComponent(payload.id)}`, 'https://api.acme.com'))")).toEqual([])
    expect(findings("    return request(new URL(payload.path, 'https://api.acme.com'))").sort()).toEqual([
      'security/secret-to-foreign-host:5:error',
      'security/ssrf-host-from-input:5:error'
    ])
  })

  it('a free-text setting in the host is a warning; choices or a pattern check make it safe', () => {
    expect(findings('    return request(`https://${settings.subdomain}.acme.com/v1`)')).toEqual(['security/ssrf-host-from-input:5:warning'])
    expect(
      findings(
        '    return request(`https://${settings.subdomain}.acme.com/v1`)',
        "subdomain: { label: 'Subdomain', description: 'Region.', type: 'string', choices: ['us', 'eu'] }"
      )
    ).toEqual([])
    expect(
      findings(
        "    if (!/^[a-z0-9-]+$/.test(settings.subdomain)) throw new Error('bad')\n    return request(`https://${settings.subdomain}.acme.com/v1`)"
      )
    ).toEqual([])
  })

  it('a URL with too many spellings to place a value is a warning at most', () => {
    const spelled =
      "    const a = payload.x ? 'a' : 'b'\n    const b = payload.y ? 'c' : 'd'\n    const c = payload.z ? 'e' : 'f'\n    const d = payload.w ? 'g' : 'h'\n    return request(`https://${payload.domain}/${a}/${b}/${c}/${d}`)"
    expect(findings(spelled).filter((finding) => finding.startsWith('security/ssrf'))).toEqual(['security/ssrf-host-from-input:9:warning'])
    // `let` extended with `+=` keeps the literal host: the event value stays in the path.
    expect(
      findings(
        "    let url = `https://api.acme.com/users/${encodeURIComponent(payload.id)}`\n    if (payload.dryRun) url += '?dry_run=1'\n    return request(url)"
      )
    ).toEqual([])
  })

  it('reports a helper reached from two call sites once', () => {
    const twice =
      "    const post = (target: string) => request(target, { method: 'POST' })\n    await post(payload.a)\n    return post(payload.b)"
    expect(findings(twice).sort()).toEqual(['security/secret-to-foreign-host:5:error', 'security/ssrf-host-from-input:5:error'])
  })

  it('follows one hop into a helper and const bindings', () => {
    const helper =
      '    const build = (host: string) => `https://${host}/v1`\n    const target = build(payload.domain)\n    return request(target)'
    expect(findings(helper).sort()).toEqual(['security/secret-to-foreign-host:7:error', 'security/ssrf-host-from-input:7:error'])
  })

  it('follows array elements in batches', () => {
    expect(findings('    return Promise.all(payload.map((event) => request(`https://api.acme.com/users/${event.userId}`)))')).toEqual([
      'security/unencoded-path-segment:5'
    ])
    expect(findings('    for (const { url } of payload) await request(url)').sort()).toEqual([
      'security/secret-to-foreign-host:5:error',
      'security/ssrf-host-from-input:5:error'
    ])
  })

  it('logs: secrets and whole objects are reported, single fields are not', () => {
    expect(findings('    console.log(settings.apiKey)')).toEqual(['security/log-sensitive-data:5:error'])
    expect(findings('    console.log({ payload })')).toEqual(['security/log-sensitive-data:5:warning'])
    expect(findings('    console.log(payload.event, settings.subdomain)')).toEqual([])
    expect(findings('    console.log(payload.user_token)')).toEqual(['security/log-sensitive-data:5:error'])
    expect(
      findings("    const options = { headers: { 'X-Key': 'k' } }\n    console.error('failed', JSON.stringify(options.headers))")
    ).toEqual(['security/log-sensitive-data:6:error'])
    expect(findings("    const response = await request('https://api.acme.com/v1')\n    console.log(response.headers)")).toEqual([])
  })

  it('RegExp from payload unless escaped; from a setting it is a note', () => {
    expect(findings('    return new RegExp(payload.pattern)')).toEqual(['security/non-literal-regexp:5:warning'])
    expect(findings('    return new RegExp(settings.subdomain)')).toEqual(['security/non-literal-regexp:5:info'])
    expect(findings("    return new RegExp(payload.pattern.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'))")).toEqual([])
  })

  it('unknown values never produce a finding', () => {
    expect(findings('    return request(`https://${settings.undeclaredHost}.acme.com/v1`)')).toEqual([])
    expect(findings('    const host = await lookupHost()\n    return request(`https://${host}/users/${someGlobal}`)')).toEqual([])
  })
})
