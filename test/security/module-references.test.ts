// Import resolution the way real code writes it: every form below must resolve to the module
// member it names, and local shadowing must stop resolution.
import { ts } from 'ts-morph'
import { describe, expect, it } from 'vitest'
import { SourceProgram } from '../../src/model/source-program.js'
import { ModuleReferences, type ModuleRef } from '../../src/rules/security/support/module-references.js'
import { MemoryFileSource } from '../../src/source/file-source.js'

const ROOT = 'packages/destination-actions/src/destinations/acme'

/** Resolves the expression written on the last line of `code` (as `probe(<expression>)`). */
function resolveProbe(code: string, extraFiles: Record<string, string> = {}): ModuleRef | undefined {
  const program = new SourceProgram(new MemoryFileSource({ [`${ROOT}/probe.ts`]: code, ...extraFiles }))
  const file = program.getFile(`${ROOT}/probe.ts`)!
  const references = new ModuleReferences(program)
  let found: ts.Expression | undefined
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'probe') found = node.arguments[0]
    ts.forEachChild(node, visit)
  }
  visit(file.sourceFile)
  return references.resolve(file, found!)
}

describe('module references', () => {
  it.each([
    ["import { exec } from 'node:child_process'\nprobe(exec)", 'child_process', ['exec']],
    ["import * as cp from 'child_process'\nprobe(cp.spawn)", 'child_process', ['spawn']],
    ["import cp from 'node:child_process'\nprobe(cp.execSync)", 'child_process', ['execSync']],
    ["import { exec as run } from 'child_process'\nprobe(run)", 'child_process', ['exec']],
    ["const { execFile: launch } = require('node:child_process')\nprobe(launch)", 'child_process', ['execFile']],
    ["const cp = require('child_process')\nconst start = cp.spawn\nprobe(start)", 'child_process', ['spawn']],
    ["import cp = require('child_process')\nprobe(cp['fork'])", 'child_process', ['fork']],
    ["probe(require('node:fs').readFileSync)", 'fs', ['readFileSync']],
    ["import { promises as fsp } from 'fs'\nprobe(fsp.readFile)", 'fs', ['promises', 'readFile']],
    ["import { env } from 'node:process'\nprobe(env.HOME)", 'process', ['env', 'HOME']],
    ['probe(globalThis.process.env)', '<global>', ['process', 'env']],
    ['probe(fetch)', '<global>', ['fetch']]
  ])('%s', (code, module, members) => {
    expect(resolveProbe(code)).toEqual({ module, members })
  })

  it('follows re-exports through files of the integration', () => {
    const files = {
      [`${ROOT}/utils/index.ts`]: "export * from './shell'\nexport { readFileSync as read } from 'node:fs'",
      [`${ROOT}/utils/shell.ts`]: "import * as cp from 'child_process'\nexport const run = cp.exec\nexport { cp }"
    }
    expect(resolveProbe("import { run } from './utils'\nprobe(run)", files)).toEqual({ module: 'child_process', members: ['exec'] })
    expect(resolveProbe("import { read } from './utils'\nprobe(read)", files)).toEqual({ module: 'fs', members: ['readFileSync'] })
    expect(resolveProbe("import * as utils from './utils'\nprobe(utils.cp.fork)", files)).toEqual({
      module: 'child_process',
      members: ['fork']
    })
  })

  it('stops at local declarations that shadow globals', () => {
    expect(resolveProbe('function send(fetch: (url: string) => void) { probe(fetch) }')).toBeUndefined()
    expect(resolveProbe('const settings = { a: 1 }\nprobe(settings.a)')).toBeUndefined()
  })
})
