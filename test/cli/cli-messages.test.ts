// What the CLI says when it is called wrongly: one clear line on stderr, exit 2; help asked for
// goes to stdout with exit 0.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeArgumentError, runCli } from '../../src/cli/main.js'

async function run(argv: string[], cwd = process.cwd()) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false, cwd })
  return { code, stdout, stderr }
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '')
}

describe('CLI messages', () => {
  it('the bare command prints help on stderr and exits 2', async () => {
    const result = await run([])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Commands:')
    expect(result.stderr).toContain('integration-review rules')
  })

  it('--help prints the same help on stdout and exits 0', async () => {
    const bare = await run([])
    for (const flag of ['--help', '-h', 'help']) {
      const result = await run([flag])
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      expect(result.stdout).toBe(bare.stderr)
    }
  })

  it('an unknown command is one line naming it and the commands', async () => {
    const result = await run(['reveiw'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'integration-review: unknown command "reveiw"; commands: review, rules, explain, model (integration-review --help describes them)'
    ])
  })

  it('an unknown flag is one line with balanced quotes, then the usage', async () => {
    const result = await run(['rules', '--bogus'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toEqual([
      'integration-review rules: unknown option --bogus; usage: integration-review rules [--format text|markdown|json]'
    ])
    expect(lines((await run(['review', '.', '-x'])).stderr)[0]).toMatch(
      /^integration-review review: unknown option -x; usage: integration-review review <repo-dir> /
    )
  })

  it('a flag without its value, and a switch given a value, say so', async () => {
    const missing = await run(['rules', '--format'])
    expect(missing.code).toBe(2)
    expect(lines(missing.stderr)).toEqual([
      'integration-review rules: option --format needs a value; usage: integration-review rules [--format text|markdown|json]'
    ])
    const valued = await run(['review', '.', '--timing=yes'])
    expect(valued.code).toBe(2)
    expect(lines(valued.stderr)[0]).toMatch(/^integration-review review: option --timing takes no value; usage: /)
  })

  it('falls back to the first sentence, without quotes, for a parseArgs error it does not know', () => {
    const error = Object.assign(new TypeError("Something 'new' happened. More detail."), { code: 'ERR_PARSE_ARGS_SOMETHING_NEW' })
    expect(describeArgumentError(error)).toBe('something new happened')
    expect(describeArgumentError(new Error('not an argument error'))).toBeUndefined()
  })

  describe('--config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-cli-config-'))

    it('an invalid file exits 2 naming the file given, with no fallback to the defaults', async () => {
      writeFileSync(join(dir, 'broken.yml'), 'rules: [\n')
      const result = await run(['review', dir, '--config', 'broken.yml'], dir)
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      const [line, ...rest] = lines(result.stderr)
      expect(rest).toEqual([])
      expect(line).toMatch(/^integration-review review: invalid config broken\.yml: not valid YAML \(/)
      expect(line).not.toContain('using the defaults')
      expect(line).not.toContain('.github/integration-review.yml')
    })

    it('problems with keys are listed on the line, without "ignored"', async () => {
      writeFileSync(join(dir, 'typos.yml'), 'nonsense: 3\nrules:\n  security/no-proces-env: off\n')
      const result = await run(['review', dir, '--config', join(dir, 'typos.yml')], dir)
      expect(result.code).toBe(2)
      const [line, ...rest] = lines(result.stderr)
      expect(rest).toEqual([])
      expect(line).toContain(`invalid config ${join(dir, 'typos.yml')}: nonsense: unknown key (known keys: `)
      expect(line).toContain('rules.security/no-proces-env: unknown rule id (did you mean security/no-process-env')
      expect(line).not.toMatch(/ignored|using the default/)
    })

    it('a missing file exits 2 naming it', async () => {
      const result = await run(['review', dir, '--config', 'absent.yml'], dir)
      expect(result.code).toBe(2)
      expect(lines(result.stderr)).toEqual([`integration-review review: --config: no such file: ${join(dir, 'absent.yml')}`])
    })
  })
})
