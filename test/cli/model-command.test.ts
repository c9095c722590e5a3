// `integration-review model`: output shape, integration filter, git revisions, user errors.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runCli } from '../../src/cli/main.js'
import { IntegrationModelJsonSchema } from '../../src/model/model-json.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'model-repo')

async function cli(args: string[]) {
  const stdout: string[] = []
  const stderr: string[] = []
  const code = await runCli(args, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    isTty: false,
    cwd: process.cwd()
  })
  return { code, stdout: stdout.join(''), stderr: stderr.join('') }
}

describe('integration-review model', () => {
  it('prints every integration in the documented shape', async () => {
    const result = await cli(['model', REPO])
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.stdout) as { integrations: unknown[] }
    expect(printed.integrations.length).toBeGreaterThanOrEqual(12)
    for (const integration of printed.integrations) IntegrationModelJsonSchema.parse(integration)
  })

  it('restricts the output to --integration paths', async () => {
    const result = await cli([
      'model',
      REPO,
      '--integration',
      'packages/destination-actions/src/destinations/acme-crm/index.ts',
      '--integration',
      'packages/browser-destinations/destinations/spark-web'
    ])
    const printed = JSON.parse(result.stdout) as { integrations: Array<{ path: string }> }
    expect(printed.integrations.map((integration) => integration.path.split('/').at(-1))).toEqual(['acme-crm', 'spark-web'])
  })

  it('reads a git revision with --base', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-model-'))
    cpSync(REPO, dir, { recursive: true })
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' })
    git('init', '-q', '-b', 'main')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'add', '.')
    git('-c', 'user.email=t@example.com', '-c', 'user.name=T', 'commit', '-q', '-m', 'fixtures')
    const result = await cli([
      'model',
      dir,
      '--base',
      'main',
      '--integration',
      'packages/destination-actions/src/destinations/plain-events'
    ])
    expect(result.code).toBe(0)
    const printed = z.object({ integrations: z.array(IntegrationModelJsonSchema) }).parse(JSON.parse(result.stdout))
    expect(printed.integrations[0].metadata?.name).toBe('Plain Events')
  })

  it('answers user errors in one line with exit code 2', async () => {
    for (const args of [
      ['model', '/no/such/dir'],
      ['model', REPO, '--frobnicate'],
      ['model'],
      ['model', REPO, '--base', 'no-such-ref'],
      ['model', REPO, '--integration', 'nowhere']
    ]) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.trim().split('\n')[0]).toMatch(/^integration-review model: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
