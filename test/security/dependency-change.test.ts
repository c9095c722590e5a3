// Version specs the supply-chain rule must classify, and its behaviour without a base revision.
import { describe, expect, it } from 'vitest'
import { analyseChange } from '../../src/review/analyse-change.js'
import { dependencyChange, isUnboundedRange, nonRegistrySource } from '../../src/rules/security/dependency-change.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

describe('security/dependency-change', () => {
  it.each([
    ['github:acme/sdk#main', 'a git repository'],
    ['git+https://github.com/acme/sdk.git', 'a git repository'],
    ['acme/sdk', 'a GitHub repository'],
    ['https://cdn.acme.com/sdk-1.0.0.tgz', 'a tarball URL'],
    ['file:../sdk', 'a local path'],
    ['../sdk', 'a local path'],
    ['^1.2.3', undefined],
    ['~0.4.0', undefined],
    ['npm:@acme/sdk@1.0.0', undefined],
    ['1.x', undefined]
  ])('%s comes from %s', (spec, source) => {
    expect(nonRegistrySource(spec)).toBe(source)
  })

  it.each([
    ['*', true],
    ['latest', true],
    ['', true],
    ['>=1.0.0', true],
    ['>=1.0.0 <2.0.0', false],
    ['^1.0.0', false]
  ])('%s unbounded: %s', (spec, unbounded) => {
    expect(isUnboundedRange(spec)).toBe(unbounded)
  })

  it('without a base revision reports only facts about the tree, not "new" changes', () => {
    const head = new MemoryFileSource({
      'package.json': JSON.stringify(
        { scripts: { prepare: 'husky install' }, dependencies: { dayjs: '^1.11.0', sdk: 'github:acme/sdk' } },
        null,
        2
      )
    })
    const findings = analyseChange({ head, rules: [dependencyChange], pullRequest: { body: undefined, authorIsPartner: true } }).findings
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual([[7, 'error']])
  })
})
