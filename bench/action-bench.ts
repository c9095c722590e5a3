// The Action's start-up figure: time from spawning `node action/dist/index.js` for a pull_request
// event of the example pull request (one destination) to the moment the local API receives the
// completed check run. Run with `npm run bench:action` after `npm run build:action`.
import { statSync } from 'node:fs'
import { BUNDLE_PATH } from '../action/build-options.js'
import { commitSha, exampleRevisions, pullRequestEvent } from '../test/github/github-fixture.js'
import { runBundledAction } from '../test/support/action-process.js'
import { FakeGitHubApi } from '../test/support/fake-github-api.js'

const RUNS = Number(process.env.RUNS) || 5
const pullRequest = { number: 7, headSha: commitSha('bench-head'), baseSha: commitSha('bench-base'), login: 'wavelet-dev' }
const timings: number[] = []
const cpu: number[] = []
for (let run = 0; run < RUNS; run++) {
  const { base, head } = exampleRevisions()
  // A fresh API each run: every run creates its check run and comment, as a first review does.
  const api = await new FakeGitHubApi({ base, head, pullRequest }).start()
  try {
    const result = await runBundledAction({ apiUrl: api.url, eventName: 'pull_request', payload: pullRequestEvent('opened', pullRequest) })
    const completed = api.requests.find(
      (request) => request.method === 'PATCH' && (request.body as { status?: string } | undefined)?.status === 'completed'
    )
    if (!completed) throw new Error(`no completed check run (exit ${result.exitCode}): ${result.stdout}${result.stderr}`)
    timings.push(completed.at - result.startedAt)
    // The Action's own count: wall time on a shared machine measures the neighbours too.
    const reported = /check run published \d+ ms after the process started \((\d+) ms of CPU\)/.exec(result.stdout)
    if (reported) cpu.push(Number(reported[1]))
  } finally {
    await api.close()
  }
}
const ms = (value: number) => `${Math.round(value)} ms`
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return `median ${ms(sorted[Math.floor(sorted.length / 2)])}, min ${ms(sorted[0])}, max ${ms(sorted[sorted.length - 1])}`
}
process.stdout.write(
  `bundle: ${(statSync(BUNDLE_PATH).size / 1024 / 1024).toFixed(1)} MB\n` +
    `process start → check run completed, wall (${RUNS} runs): ${spread(timings)}\n` +
    `CPU of the Action's process until then: ${spread(cpu)}\n`
)
