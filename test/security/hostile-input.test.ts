// Hostile input must not crash or stall the security rules: deep nesting, huge literals,
// self-referencing bindings and import cycles end as "unknown", never as an exception.
import { describe, expect, it } from 'vitest'
import { analyseChange } from '../../src/review/analyse-change.js'
import { SECURITY_RULES } from '../../src/rules/security/index.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/hostile'

function run(files: Record<string, string>) {
  const head = new MemoryFileSource({
    [`${ROOT}/index.ts`]: "import send from './send'\nexport default { name: 'Hostile', mode: 'cloud', actions: { send } }\n",
    ...files
  })
  return analyseChange({ head, rules: SECURITY_RULES, pullRequest: { body: undefined, authorIsPartner: true } })
}

describe('security rules on hostile input', () => {
  it('survives deeply nested expressions', () => {
    const nested = `${'('.repeat(3000)}payload.host${')'.repeat(3000)}`
    const analysis = run({
      [`${ROOT}/send.ts`]: `export default { perform: (request, { payload }) => request(\`https://\${${nested}}/x\`) }\n`
    })
    expect(analysis.ruleFailures).toEqual([])
  })

  it('survives long concatenation chains and huge literals', () => {
    const chain = Array.from({ length: 5000 }, (_, index) => `'p${index}'`).join(' + ')
    const analysis = run({
      [`${ROOT}/send.ts`]: `const big = '${'A'.repeat(200_000)}'\nexport default { perform: (request, { payload }) => request(${chain} + payload.id + big) }\n`
    })
    expect(analysis.ruleFailures).toEqual([])
  })

  it('ends self-referencing bindings and import cycles as unknown', () => {
    const analysis = run({
      [`${ROOT}/send.ts`]:
        "import { b } from './cycle'\nconst a = a2\nconst a2 = a\nexport default { perform: (request) => request(`https://${a}/${b}`) }\n",
      [`${ROOT}/cycle.ts`]: "export { b } from './cycle2'\n",
      [`${ROOT}/cycle2.ts`]: "export { b } from './cycle'\n"
    })
    expect(analysis.ruleFailures).toEqual([])
    expect(analysis.findings.filter((finding) => finding.ruleId === 'security/ssrf-host-from-input')).toEqual([])
  })
})
