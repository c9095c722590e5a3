// Runs the bundled CLI (`dist/cli/main.js`, as `bin/integration-review.js` does) in this process, discards
// its stdout, and writes {exitCode, processMs, cpuMs, maxRssMb, stdoutBytes} as JSON to the file named by
// BENCH_RESULT: wall clock since process start (module loading included) and peak RSS, which a
// parent process cannot read for its child. Usage: BENCH_RESULT=<file> node bench/cli-runner.mjs <cli args>
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

// BENCH_CLI_MAIN runs another build (the engine before a change) the same way.
const { runCli } = await import(process.env.BENCH_CLI_MAIN ? pathToFileURL(process.env.BENCH_CLI_MAIN).href : '../dist/cli/main.js')

let stdoutBytes = 0
const stdoutHash = createHash('sha256')
const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => {
    stdoutBytes += text.length
    stdoutHash.update(text)
  },
  stderr: (text) => process.stderr.write(text),
  isTty: false,
  cwd: process.cwd(),
  env: process.env
})
const usage = process.cpuUsage()
const result = {
  exitCode,
  processMs: performance.now(),
  cpuMs: (usage.user + usage.system) / 1000,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  stdoutBytes,
  stdoutSha256: stdoutHash.digest('hex')
}
if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, JSON.stringify(result))
