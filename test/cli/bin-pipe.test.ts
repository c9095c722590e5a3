// The installed command (bin/ over the build `npm ci` makes) ends quietly when its reader stops early.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

describe('bin/integration-review.js', () => {
  it('ends without a crash when the output pipe closes early (| head)', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'integration-review.js'), 'model', join(ROOT, 'test', 'fixtures', 'model-repo')],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // The reader is gone before the first write, as with `| head -0`: every write meets a closed pipe.
    child.stdout.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).not.toMatch(/EPIPE|Unhandled/)
    expect(code).toBe(0)
  })
})
