// `integration-review rules`, `explain` and `--help` start fast because they load no rule and no
// ts-morph or TypeScript: checked on the static import graph (start time itself is measured by
// hand, see the README), so a stray import of the rules fails here.
import { describe, expect, it } from 'vitest'
import { staticRuntimeClosure } from '../architecture/source-imports.js'

const HEAVY = (module: string) =>
  module === 'ts-morph' ||
  module === 'typescript' ||
  module.startsWith('src/model/') ||
  module === 'src/rules/all-rules.ts' ||
  /^src\/rules\/(structure|spec|security|docs|tests|compat|sources)\//.test(module)

describe('light CLI commands', () => {
  for (const entry of ['src/cli/main.ts', 'src/cli/commands/rules-command.ts', 'src/cli/commands/explain-command.ts']) {
    it(`${entry} loads no rule, no model and no TypeScript`, () => {
      const loaded = [...staticRuntimeClosure(entry)]
      expect(loaded.filter(HEAVY)).toEqual([])
      expect(loaded).toContain(entry)
    })
  }

  it('the review command does load the rules (the check above can see them)', () => {
    const loaded = [...staticRuntimeClosure('src/cli/commands/review-command.ts')]
    expect(loaded).toContain('src/rules/all-rules.ts')
    expect(loaded).toContain('src/model/typescript.js')
  })
})
