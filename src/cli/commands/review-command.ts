// `integration-review review`: reviews a repository directory (optionally against a base revision)
// and prints the review; the exit code says whether something blocks.
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFIG_PATH, parseReviewConfig } from '../../config/review-config.js'
import { findIntegration } from '../../discover/discover-integrations.js'
import { InputError } from '../../input-error.js'
import { PhaseTimer, timed, withPhaseTimer } from '../../phase-timing.js'
import { renderCheckRun } from '../../report/check-run-report.js'
import { renderJson } from '../../report/json-report.js'
import { renderMarkdown } from '../../report/markdown-report.js'
import { renderSarif } from '../../report/sarif-report.js'
import { renderText } from '../../report/text-report.js'
import { ALL_RULES } from '../../rules/all-rules.js'
import { StageSchema } from '../../rules/rule.js'
import { reviewBlocks, runReview } from '../../review/run-review.js'
import { DirectoryFileSource } from '../../source/directory-file-source.js'
import type { FileSource } from '../../source/file-source.js'
import { GitRevisionFileSource, gitAsync, resolveCommit } from '../../source/git-revision-file-source.js'
import type { CliCommand } from '../cli-command.js'
import { COMMAND_INFO } from '../command-list.js'

const FORMATS = ['text', 'json', 'markdown', 'sarif', 'check-run'] as const
type Format = (typeof FORMATS)[number]

export const reviewCommand: CliCommand = {
  ...COMMAND_INFO.review,
  async run(args, io) {
    // Process start to here: node, module loading, argument parsing.
    const startupMs = performance.now()
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: 'string' },
        'base-dir': { type: 'string' },
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        'pr-body': { type: 'string' },
        author: { type: 'string', default: 'partner' },
        stage: { type: 'string', default: 'public' },
        integration: { type: 'string', multiple: true },
        timing: { type: 'boolean', default: false },
        threads: { type: 'string' }
      }
    })
    if (positionals.length !== 1) throw new InputError(`expected one repository directory; usage: ${this.usage}`)
    if (values.base !== undefined && values['base-dir'] !== undefined) throw new InputError('give either --base or --base-dir, not both')
    const format = values.format as Format
    if (!FORMATS.includes(format)) throw new InputError(`unknown --format "${values.format}"; use one of ${FORMATS.join(', ')}`)
    if (values.author !== 'internal' && values.author !== 'partner')
      throw new InputError(`--author must be "internal" or "partner", not "${values.author}"`)
    const threads = threadCount(values.threads)
    const stage = StageSchema.safeParse(values.stage)
    if (!stage.success) throw new InputError(`--stage must be "private-beta" or "public", not "${values.stage}"`)

    // ESLint's convention: TIMING=1 in the environment does what --timing does.
    const timingRows = timingRowsOf(io.env?.TIMING)
    const timer = values.timing || timingRows !== undefined ? new PhaseTimer(() => performance.now()) : undefined
    timer?.add('start-up (node, modules)', startupMs)
    const repoDir = resolve(io.cwd, positionals[0])
    const head = new DirectoryFileSource(repoDir)
    let base: FileSource | undefined
    let changedPaths: string[] | undefined
    if (values.base !== undefined) {
      // git works in other processes while this one lists the working tree.
      const gitStarted = performance.now()
      const asked = gitBase(repoDir, values.base)
      asked.catch(() => undefined) // awaited just below; a failure is not unhandled while the listing runs
      head.listFiles()
      ;({ revision: base, changedPaths } = await asked)
      timer?.add('git, and listing the working tree meanwhile', performance.now() - gitStarted)
    } else if (values['base-dir'] !== undefined) {
      base = new DirectoryFileSource(resolve(io.cwd, values['base-dir']))
    }
    const reviewRepository = (): number => {
      const knownRuleIds = ALL_RULES.map((rule) => rule.id)
      let configText: string | undefined
      let configErrors: string[]
      let config
      if (values.config !== undefined) {
        configText = readUserFile(resolve(io.cwd, values.config), '--config')
        const parsed = parseReviewConfig(configText, knownRuleIds)
        // A config file named on the command line must be right: say what is wrong, in that file, and stop
        // (no fallback to the defaults, and not the default path the pull-request flow reads).
        if (parsed.problems.length > 0)
          throw new InputError(`invalid config ${values.config}: ${parsed.problems.map((entry) => entry.problem).join('; ')}`)
        config = parsed.config
        configErrors = []
      } else {
        // As in the pull-request flow, the base revision's config governs the review of a change.
        configText = (base ?? head).readFile(CONFIG_PATH)
        const parsed = parseReviewConfig(configText, knownRuleIds)
        config = parsed.config
        configErrors = parsed.errors.map((error) => `${CONFIG_PATH} (${(base ?? head).description}): ${error}`)
        // The text report prints them itself; machine formats keep stdout clean, so say it on stderr.
        if (format !== 'text') for (const error of configErrors) io.stderr(`integration-review review: ${error}\n`)
      }

      const body = values['pr-body'] === undefined ? undefined : readUserFile(resolve(io.cwd, values['pr-body']), '--pr-body')
      const integrationPaths = (values.integration ?? []).map((path) => {
        const found = findIntegration(head, path, config.layouts)
        if (!found) throw new InputError(`no integration at ${path} in ${head.description}`)
        return found.path
      })

      const review = timed('review (other)', () =>
        runReview({
          head,
          base,
          config,
          configErrors,
          pullRequest: { body, authorIsPartner: values.author === 'partner' },
          integrationPaths: integrationPaths.length > 0 ? integrationPaths : undefined,
          changedPaths,
          threads
        })
      )
      if (format === 'json') io.stdout(timed('render', () => renderJson(review)))
      else if (format === 'markdown') io.stdout(timed('render', () => renderMarkdown(review)))
      else if (format === 'sarif') io.stdout(timed('render', () => `${JSON.stringify(renderSarif(review), null, 2)}\n`))
      else if (format === 'check-run') io.stdout(timed('render', () => `${JSON.stringify(renderCheckRun(review, config), null, 2)}\n`))
      else io.stdout(timed('render', () => renderText(review, { color: io.isTty, stage: stage.data })))
      return reviewBlocks(review, stage.data) ? 1 : 0
    }
    const code = withPhaseTimer(timer, () => timed('cli (sources, git, config)', reviewRepository))
    if (timer)
      io.stderr(
        `integration-review review: where the time went (self time, most first)\n${timer.report(timingRows ?? DEFAULT_TIMING_ROWS)}`
      )
    return code
  }
}

/**
 * `--threads N` (1 to 64); one by default. A worker thread loads and warms up the engine again
 * (about 2 s of CPU on the benchmark's 260 destinations), and two busy threads on the two-core
 * machines measured each ran at about two thirds of their speed alone: there threads are no
 * faster; see the README.
 */
function threadCount(value: string | undefined): number {
  if (value === undefined) return 1
  const count = Number(value)
  if (!/^\d+$/.test(value) || count < 1 || count > 64) throw new InputError(`--threads must be a whole number from 1 to 64, not "${value}"`)
  return count
}

/** Rows of the timing table unless TIMING asks for another number. */
const DEFAULT_TIMING_ROWS = 20

/**
 * ESLint's convention for TIMING: any value but empty, `0` or `false` turns timing on; a number
 * above the default rows is how many to print (so `TIMING=1` stays "on"), and `all` prints every
 * phase and rule. Undefined when timing is off.
 */
function timingRowsOf(value: string | undefined): number | undefined {
  if (value === undefined || ['', '0', 'false'].includes(value.toLowerCase())) return undefined
  if (value.toLowerCase() === 'all') return Number.POSITIVE_INFINITY
  return /^\d+$/.test(value) ? Math.max(DEFAULT_TIMING_ROWS, Number(value)) : DEFAULT_TIMING_ROWS
}

function readUserFile(path: string, flag: string): string {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat || !stat.isFile()) throw new InputError(`${flag}: no such file: ${path}`)
  return readFileSync(path, 'utf8')
}

/** True for a repository and for any folder inside one (a subfolder is read as its own tree). */
async function insideGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await gitAsync(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true'
  } catch {
    return false
  }
}

/**
 * The base revision and what the working tree changes against it, as git sees it: tracked files
 * that differ and untracked files that are not ignored. Asking git avoids reading every file of
 * both revisions. The listing of the commit and the two questions run side by side.
 */
async function gitBase(repoDir: string, ref: string): Promise<{ revision: GitRevisionFileSource; changedPaths: string[] }> {
  if (!(await insideGitWorkTree(repoDir)))
    throw new InputError(`--base needs a git repository, and ${repoDir} is not one (use --base-dir for a plain directory)`)
  // Untracked files do not depend on the revision: git lists them while the revision resolves.
  const listingUntracked = gitAsync(repoDir, ['ls-files', '--others', '--exclude-standard', '-z'])
  listingUntracked.catch(() => undefined) // awaited below, unless resolving fails first
  const commit = await resolveCommit(repoDir, ref)
  const [revision, tracked, untracked] = await Promise.all([
    GitRevisionFileSource.open(repoDir, ref, commit),
    gitAsync(repoDir, ['diff', '--name-only', '--no-renames', '-z', '--relative', commit, '--']),
    listingUntracked
  ])
  const paths = new Set([...tracked.split('\0'), ...untracked.split('\0')].filter((path) => path.length > 0))
  return { revision, changedPaths: [...paths].sort() }
}
