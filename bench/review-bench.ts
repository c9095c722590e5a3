// `npm run bench`: the whole review against the parse floor, measured in the same run.
//
// Generates the synthetic repository (bench/synthetic-repo.ts), then alternates two processes:
//   floor:  loads TypeScript and parses every code file of the integrations (what the review parses)
//   review: the compiled CLI, `review <repo> --format json`, every integration with every rule
// and reports their wall clocks from process start (median of BENCH_RUNS), the ratio, and the
// review's peak RSS. Then the one-integration pull request: one action of one destination
// changed, reviewed with `--base <git-ref>` and with `--base-dir`, as the CLI process a user runs.
// Figures, not a test: the machine may be shared, so only ratios from the same run compare.
// Targets: review <= 2x the floor, peak RSS <= 500 MB, one-destination pull request <= 1.0 s.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { discoverIntegrations } from '../src/discover/discover-integrations.js'
import { DirectoryFileSource } from '../src/source/directory-file-source.js'
import { isCodePath } from '../src/rules/support/integration-source-files.js'
import { DESTINATIONS_ROOT, generateRepository } from './synthetic-repo.js'
import { measureAppPath, type AppPathFigures } from './app-path.js'

const DESTINATIONS = Number(process.env.BENCH_DESTINATIONS ?? 260)
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3))
const BENCH_DIR = import.meta.dirname
let CONFIG_FILE = ''
const CLI_MAIN = join(BENCH_DIR, '..', 'dist', 'src', 'cli', 'main.js')

interface ProcessFigures {
  /** Wall clock inside the process, from its start (node bootstrap and module loading included). */
  processMs: number
  /** User + system CPU time of the process: steadier than wall clock when the machine is shared. */
  cpuMs: number
  /** Spawn to exit, as the parent saw it. */
  wallMs: number
  maxRssMb: number
  stderr: string
  /** Hash of the report on stdout: two engines agree when the hashes do. */
  stdoutSha256?: string
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function runNode(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {}
): { figures: Record<string, number> & { stdoutSha256?: string }; wallMs: number; stderr: string } {
  const resultFile = join(tmpdir(), `integration-review-bench-${process.pid}-${Math.random().toString(36).slice(2)}.json`)
  const started = performance.now()
  const child = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, BENCH_RESULT: resultFile },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  })
  const wallMs = performance.now() - started
  if (child.status !== 0 && child.status !== 1) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`)
  const json = existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : (child.stdout.trim().split('\n').at(-1) ?? '{}')
  rmSync(resultFile, { force: true })
  return { figures: JSON.parse(json) as Record<string, number> & { stdoutSha256?: string }, wallMs, stderr: child.stderr }
}

function floorRun(root: string, listFile: string): ProcessFigures & { parseMs: number } {
  const { figures, wallMs, stderr } = runNode([join(BENCH_DIR, 'parse-floor.mjs'), root, listFile])
  return { processMs: figures.processMs, cpuMs: figures.cpuMs, wallMs, maxRssMb: figures.maxRssMb, parseMs: figures.parseMs, stderr }
}

function cliRun(args: string[], env: Record<string, string> = {}): ProcessFigures {
  const { figures, wallMs, stderr } = runNode([join(BENCH_DIR, 'cli-runner.mjs'), ...args, '--config', CONFIG_FILE], { env })
  return {
    processMs: figures.processMs,
    cpuMs: figures.cpuMs,
    wallMs,
    maxRssMb: figures.maxRssMb,
    stderr,
    stdoutSha256: figures.stdoutSha256
  }
}

// BENCH_BASELINE_CLI=<other checkout>/dist/cli/main.js also runs that build (the engine before
// a change), alternated with this one, and checks that both print the same report.
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI
function baselineRun(args: string[]): ProcessFigures | undefined {
  return BASELINE_CLI ? cliRun(args, { BENCH_CLI_MAIN: BASELINE_CLI }) : undefined
}

function summary(label: string, runs: ProcessFigures[]): string {
  return `${label}: ${ms(median(runs.map((run) => run.processMs)))} wall, spawn to exit ${ms(median(runs.map((run) => run.wallMs)))}, CPU ${ms(median(runs.map((run) => run.cpuMs)))}, ${Math.max(...runs.map((run) => run.maxRssMb)).toFixed(0)} MB`
}

function sameReports(a: ProcessFigures[], b: ProcessFigures[]): string {
  const hashes = new Set([...a, ...b].map((run) => run.stdoutSha256))
  return hashes.size === 1 ? 'identical reports' : 'REPORTS DIFFER'
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`
}

function git(root: string, args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

if (!existsSync(CLI_MAIN)) {
  process.stderr.write(`bench: ${CLI_MAIN} is missing; run \`npm run build\` first (npm run bench does)\n`)
  process.exit(2)
}

// BENCH_KEEP_DIR keeps the generated repository (for profiling); by default it is removed.
const keepDir = process.env.BENCH_KEEP_DIR
// BENCH_REPO=<a checkout of an integrations repository> measures that repository instead of the
// synthetic one (read only: the one-destination pull request, which commits a change, is skipped).
const realRepo = process.env.BENCH_REPO ? resolve(process.env.BENCH_REPO) : undefined
const work = keepDir ?? mkdtempSync(join(tmpdir(), 'integration-review-review-bench-'))
const root = realRepo ?? join(work, 'repo')
const baseDir = join(work, 'base')
try {
  if (!realRepo) {
    process.stderr.write(`generating ${DESTINATIONS} destinations in ${root}...\n`)
    rmSync(root, { recursive: true, force: true })
    rmSync(baseDir, { recursive: true, force: true })
    generateRepository(root, DESTINATIONS)
  }
  const source = new DirectoryFileSource(root)
  const files = source.listFiles()
  // What the review parses: every code file of every integration (tests included: parse errors are findings).
  const integrationFolders = discoverIntegrations(source).map((location) => `${location.path}/`)
  const codeFiles = files.filter((path) => isCodePath(path) && integrationFolders.some((folder) => path.startsWith(folder)))
  const bytes = codeFiles.reduce((total, path) => total + statSync(join(root, path)).size, 0)
  const listFile = join(work, 'code-files.txt')
  writeFileSync(listFile, `${codeFiles.join('\n')}\n`)
  // The review's time budget (2 minutes by default) must not cut a slow run short on a busy machine:
  // a review that stops early does less work and prints another report.
  CONFIG_FILE = join(work, 'bench-config.yml')
  writeFileSync(CONFIG_FILE, 'limits:\n  maxReviewMs: 3600000\n')

  // One untimed run of each warms the file cache.
  floorRun(root, listFile)
  cliRun(['review', root, '--format', 'json'])
  const floors: Array<ReturnType<typeof floorRun>> = []
  const reviews: ProcessFigures[] = []
  const baselineReviews: ProcessFigures[] = []
  // The same review split across two threads (`--threads 2`, off by default), for the README's claim.
  const threadedReviews: ProcessFigures[] = []
  for (let run = 0; run < RUNS; run++) {
    process.stderr.write(`whole review, run ${run + 1} of ${RUNS}...\n`)
    floors.push(floorRun(root, listFile))
    reviews.push(cliRun(['review', root, '--format', 'json']))
    threadedReviews.push(cliRun(['review', root, '--format', 'json', '--threads', '2']))
    const baseline = baselineRun(['review', root, '--format', 'json'])
    if (baseline) baselineReviews.push(baseline)
  }
  const floorMs = median(floors.map((run) => run.processMs))
  const reviewMs = median(reviews.map((run) => run.processMs))
  const reviewRss = Math.max(...reviews.map((run) => run.maxRssMb))
  const timing = cliRun(['review', root, '--format', 'json'], { TIMING: '1' }).stderr.trim()

  // The one-integration pull request: the base is the generated tree (a git commit, and a copy).
  const gitBase: ProcessFigures[] = []
  const dirBase: ProcessFigures[] = []
  const baselineGit: ProcessFigures[] = []
  const baselineDir: ProcessFigures[] = []
  let appPath: AppPathFigures | undefined
  if (!realRepo) {
    cpSync(root, baseDir, { recursive: true })
    git(root, ['init', '-q'])
    git(root, ['add', '-A'])
    git(root, ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'base'])
    // Packed, as a clone's objects are: `git ls-tree --long` reads a packed object's size from the
    // pack's index but inflates every loose one, which only a freshly committed tree has by the thousand.
    git(root, ['gc', '--quiet'])
    const changed = join(root, DESTINATIONS_ROOT, 'bench-7', 'action0', 'index.ts')
    writeFileSync(
      changed,
      readFileSync(changed, 'utf8').replace(
        '  fields: {\n',
        "  fields: {\n    campaign_id: { label: 'Campaign ID', description: 'The campaign the event belongs to.', type: 'string', default: { '@path': '$.properties.campaign_id' } },\n"
      )
    )
    cliRun(['review', root, '--base', 'HEAD', '--format', 'json'])
    for (let run = 0; run < RUNS; run++) {
      process.stderr.write(`one-destination pull request, run ${run + 1} of ${RUNS}...\n`)
      gitBase.push(cliRun(['review', root, '--base', 'HEAD', '--format', 'json']))
      dirBase.push(cliRun(['review', root, '--base-dir', baseDir, '--format', 'json']))
      const git = baselineRun(['review', root, '--base', 'HEAD', '--format', 'json'])
      const dir = baselineRun(['review', root, '--base-dir', baseDir, '--format', 'json'])
      if (git) baselineGit.push(git)
      if (dir) baselineDir.push(dir)
    }
    if (process.env.BENCH_APP !== '0') {
      process.stderr.write('one-destination pull request, App path...\n')
      appPath = await measureAppPath(baseDir, root, relative(root, changed).split('\\').join('/'), RUNS)
    }
  }

  const lines = [
    `repository: ${realRepo ?? `${DESTINATIONS} synthetic destinations`}: ${integrationFolders.length} integrations, ${files.length} files; ${codeFiles.length} code files (${(bytes / 1024 / 1024).toFixed(1)} MB) parsed by both sides`,
    `runs: ${RUNS}, medians of processes alternated in the same run (wall clock from process start, module loading included)`,
    `floor (load TypeScript, read + createSourceFile every code file): ${ms(floorMs)} (parse alone ${ms(median(floors.map((run) => run.parseMs)))})`,
    `whole review (CLI, every integration, every rule, --format json): ${ms(reviewMs)}, spawn to exit ${ms(median(reviews.map((run) => run.wallMs)))}`,
    `ratio review / floor: ${(reviewMs / floorMs).toFixed(2)}x wall (target <= 2x); CPU time ${ms(median(reviews.map((run) => run.cpuMs)))} / ${ms(median(floors.map((run) => run.cpuMs)))} = ${(median(reviews.map((run) => run.cpuMs)) / median(floors.map((run) => run.cpuMs))).toFixed(2)}x`,
    `peak RSS: review ${reviewRss.toFixed(0)} MB (target <= 500 MB), floor ${Math.max(...floors.map((run) => run.maxRssMb)).toFixed(0)} MB`,
    `${summary('whole review with --threads 2', threadedReviews)}; ratio to floor ${(median(threadedReviews.map((run) => run.processMs)) / floorMs).toFixed(2)}x wall; ${sameReports(reviews, threadedReviews)}`
  ]
  if (gitBase.length > 0)
    lines.push(
      `one-destination pull request, --base HEAD (objects packed, as in a clone): ${ms(median(gitBase.map((run) => run.processMs)))}, spawn to exit ${ms(median(gitBase.map((run) => run.wallMs)))}, CPU ${ms(median(gitBase.map((run) => run.cpuMs)))}, ${Math.max(...gitBase.map((run) => run.maxRssMb)).toFixed(0)} MB (target <= 1000 ms)`,
      `one-destination pull request, --base-dir: ${ms(median(dirBase.map((run) => run.processMs)))}, spawn to exit ${ms(median(dirBase.map((run) => run.wallMs)))}, CPU ${ms(median(dirBase.map((run) => run.cpuMs)))}, ${Math.max(...dirBase.map((run) => run.maxRssMb)).toFixed(0)} MB (target <= 1000 ms)`
    )
  else lines.push('one-destination pull request: skipped (BENCH_REPO is read only)')
  if (appPath) {
    const agreed =
      new Set(appPath.conclusions).size === 1
        ? `every check run: ${appPath.conclusions[0]}`
        : `check runs differ: ${appPath.conclusions.join(' | ')}`
    lines.push(
      `one-destination pull request, App path (web process, review thread, GitHub on loopback answering at once), webhook to completed check run: ${ms(median(appPath.laterMs))} median of ${appPath.laterMs.length} (${appPath.laterMs.map(ms).join(', ')}), first after start ${ms(appPath.firstMs)} (target <= 1000 ms); ${agreed}`
    )
  } else if (gitBase.length > 0) lines.push('one-destination pull request, App path: skipped (BENCH_APP=0)')
  if (BASELINE_CLI) {
    lines.push(
      `baseline build (${BASELINE_CLI}), alternated with the runs above:`,
      `  ${summary('whole review', baselineReviews)}; ratio to floor ${(median(baselineReviews.map((run) => run.processMs)) / floorMs).toFixed(2)}x wall, ${(median(baselineReviews.map((run) => run.cpuMs)) / median(floors.map((run) => run.cpuMs))).toFixed(2)}x CPU; ${sameReports(reviews, baselineReviews)}`,
      ...(gitBase.length > 0
        ? [
            `  ${summary('one-destination pull request, --base HEAD', baselineGit)}; ${sameReports(gitBase, baselineGit)}`,
            `  ${summary('one-destination pull request, --base-dir', baselineDir)}; ${sameReports(dirBase, baselineDir)}`
          ]
        : [])
    )
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  if (timing) process.stdout.write(`\nwhole review with TIMING=1:\n${timing}\n`)
} finally {
  if (!keepDir) rmSync(work, { recursive: true, force: true })
}
