// The one-destination pull request in the App path: the real web process (`npm start`'s entry, its
// in-process queue and review thread) reviews a pull request whose base and head are the bench's
// full repository, served by a GitHub on loopback. Measured: webhook sent to check run completed,
// for the first pull request after the start (the review thread loads and warms up the engine)
// and for the next ones (a running App). GitHub's own latency is not in it: the API answers at once.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { FakeGitHub } from '../test/support/fake-github-server.js'
import { freePort, push, startWebProcess, workerEnv } from '../test/support/scale-scenario.js'
import { commitSha, type RepoFiles } from '../test/github/github-fixture.js'

export interface AppPathFigures {
  /** Webhook to completed check run, for the first pull request after the process started. */
  firstMs: number
  /** The same for each later pull request, one at a time. */
  laterMs: number[]
  /** What the check runs concluded, one per pull request (all should be the same). */
  conclusions: string[]
}

/** Every file under a folder (`.git` left out), as the API would serve the commit. */
function readRepoFiles(dir: string): RepoFiles {
  const files: RepoFiles = new Map()
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === '.git') continue
      const path = join(current, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'))
    }
  }
  walk(dir)
  return files
}

async function completedCheckRun(
  github: FakeGitHub,
  headSha: string,
  timeoutMs: number
): Promise<{ completedAt: number; conclusion: string }> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = github.checkRunsOf(headSha).find((candidate) => candidate.status === 'completed')
    if (run?.completedAt !== undefined) return { completedAt: run.completedAt, conclusion: `${run.conclusion}: ${run.output.title ?? ''}` }
    if (Date.now() > deadline) throw new Error(`no completed check run on ${headSha.slice(0, 7)} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * Reviews `runs + 1` pull requests one after the other, each a new head of the same change (the
 * changed file gets one more comment line, so no review is reused).
 */
export async function measureAppPath(baseDir: string, headDir: string, changedFile: string, runs: number): Promise<AppPathFigures> {
  const github = new FakeGitHub()
  await github.start()
  const base = readRepoFiles(baseDir)
  const head = readRepoFiles(headDir)
  const baseSha = commitSha('app-path-base')
  github.addCommit(baseSha, base)
  const port = await freePort()
  const web = await startWebProcess(workerEnv(github, '', { REVIEW_CONCURRENCY: '1', PORT: String(port), HOST: '127.0.0.1' }))
  try {
    const url = `http://127.0.0.1:${port}`
    const times: number[] = []
    const conclusions: string[] = []
    for (let run = 0; run <= runs; run++) {
      const headSha = commitSha(`app-path-head-${run}`)
      const files: RepoFiles = new Map(head)
      files.set(changedFile, `${head.get(changedFile) ?? ''}\n// Revision ${run}.\n`)
      github.addCommit(headSha, files)
      const number = 500 + run
      const sent = await push(github, url, { number, baseSha, heads: [headSha] }, { number, headSha, deliveryId: `app-path-${run}` })
      if (sent.status !== 200) throw new Error(`webhook answered ${sent.status}`)
      const { completedAt, conclusion } = await completedCheckRun(github, headSha, 120_000)
      times.push(completedAt - sent.sentAt)
      conclusions.push(conclusion)
    }
    return { firstMs: times[0], laterMs: times.slice(1), conclusions }
  } finally {
    web.child.kill('SIGTERM')
    await web.exited
    await github.stop()
  }
}
