// Loads what a review of a pull request needs from the GitHub API: the pull request, its changed
// files, the config from the base branch, and the head and base files of the touched integrations
// (plus what they import) through the Git Trees and Blobs APIs, bounded by the config's limits.
// The tree walking and blob fetching are src/source's (commit-blobs, blob-texts, path-listing);
// this file chooses which files a review needs and holds them to the limits.
import { ts } from '../model/typescript.js'
import { z } from 'zod'
import {
  CONFIG_PATH,
  MAX_CONFIG_BYTES,
  configTooLarge,
  parseReviewConfig,
  type ParsedReviewConfig,
  type ReviewConfig
} from '../config/review-config.js'
import { integrationsTouchedBy } from '../discover/discover-integrations.js'
import { DEFAULT_MODULE_ALIASES, SourceProgram, formatBytes } from '../model/source-program.js'
import type { UnanalysedFile } from '../review/unanalysed-files.js'
import { BlobCache } from '../source/blob-cache.js'
import { BlobTexts } from '../source/blob-texts.js'
import { listCommitBlobs, type TreeEntry } from '../source/commit-blobs.js'
import { MemoryFileSource } from '../source/file-source.js'
import { PathListing } from '../source/path-listing.js'
import { errorMessage, statusOf, type GitHubClient, type PullRequestRef, type RepositoryRef, type ReviewLogger } from './github-client.js'
import { octokitTreeReader } from './octokit-tree-reader.js'

/** Folders integrations import from, listed on their own when GitHub truncates a commit's tree. */
const LIBRARY_FOLDERS = ['packages/destination-actions/src/lib', ...Object.values(DEFAULT_MODULE_ALIASES)]
/** Not analysable text; never fetched. */
const BINARY_EXTENSIONS = /\.(?:png|jpe?g|gif|ico|webp|bmp|svg|woff2?|ttf|eot|otf|pdf|zip|gz|tgz|jar|wasm|mp4|mp3|mov)$/i
const CODE_EXTENSIONS = /\.(?:ts|tsx|js|jsx|mjs|cjs)$/
const BLOB_FETCH_CONCURRENCY = 8

/** The default cache, shared by every review in the process. */
export const sharedBlobCache = new BlobCache()

// The fields of the pull request this project relies on (GitHub's REST shape).
// Only what a review cannot do without is required; the rest has a safe fallback.
const PullRequestSchema = z.object({
  number: z.number(),
  state: z.string().default('open'),
  html_url: z.string().optional(),
  title: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  // Unknown association: the author counts as a partner, the stricter side.
  author_association: z.string().default('NONE'),
  user: z.object({ login: z.string() }).nullable().optional(),
  labels: z
    .array(z.object({ name: z.string() }))
    .nullable()
    .optional(),
  head: z.object({ sha: z.string() }),
  base: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ html_url: z.string().optional() }).nullable().optional() })
})

export interface PullRequestSnapshot extends PullRequestRef {
  state: string
  headSha: string
  baseSha: string
  baseRef: string
  title: string
  body: string | undefined
  authorLogin: string
  authorAssociation: string
  labels: string[]
  htmlUrl: string
  /** `https://github.com/owner/repo`, for links in the report. */
  repositoryUrl: string
}

export async function fetchPullRequest(octokit: GitHubClient, ref: PullRequestRef): Promise<PullRequestSnapshot> {
  const { data } = await octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.number })
  const pr = PullRequestSchema.parse(data)
  return {
    ...ref,
    state: pr.state,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    title: pr.title ?? '',
    // GitHub sends null for an empty description: that is an empty body, not "not given" (which switches the PR-body rules off).
    body: pr.body ?? '',
    authorLogin: pr.user?.login ?? 'ghost',
    authorAssociation: pr.author_association,
    labels: (pr.labels ?? []).map((label) => label.name),
    htmlUrl: pr.html_url ?? `https://github.com/${ref.owner}/${ref.repo}/pull/${ref.number}`,
    repositoryUrl: pr.base.repo?.html_url ?? `https://github.com/${ref.owner}/${ref.repo}`
  }
}

/** The config from the base branch (a pull request must not switch its own checks off). */
export async function loadReviewConfig(
  octokit: GitHubClient,
  repository: RepositoryRef,
  ref: string,
  path: string = CONFIG_PATH
): Promise<{ config: ReviewConfig; errors: string[] }> {
  let text: string | undefined
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repository, path, ref })
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
      return { config: parseReviewConfig(undefined).config, errors: [`${path} on ${ref} is not a file; using the defaults`] }
    }
    // Refused by size before its text is decoded or parsed (GitHub sends no content past 1 MB anyway).
    if (data.size > MAX_CONFIG_BYTES) return configAndErrors(configTooLarge(data.size))
    text = Buffer.from(data.content, 'base64').toString('utf8')
  } catch (error) {
    if (statusOf(error) !== 404) throw error
  }
  return configAndErrors(parseReviewConfig(text))
}

/** The pull-request flow reports a config's problems with their fallback (`errors`), never stopping. */
function configAndErrors({ config, errors }: ParsedReviewConfig): { config: ReviewConfig; errors: string[] } {
  return { config, errors }
}

/** Internal when the author's association, login or team membership says so; partner otherwise. */
export async function isInternalAuthor(
  octokit: GitHubClient,
  pullRequest: Pick<PullRequestSnapshot, 'owner' | 'authorLogin' | 'authorAssociation'>,
  config: ReviewConfig,
  log: ReviewLogger
): Promise<boolean> {
  const internal = config.internal
  if (internal.authorAssociations.includes(pullRequest.authorAssociation)) return true
  const login = pullRequest.authorLogin.toLowerCase()
  if (internal.users.some((user) => user.toLowerCase() === login)) return true
  for (const team of internal.teams) {
    const [org, slug] = team.includes('/') ? team.split('/', 2) : [pullRequest.owner, team]
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: pullRequest.authorLogin })
      if (data.state === 'active') return true
    } catch (error) {
      // 404: not a member (or a team the app cannot see). Anything else: count as partner, the stricter side.
      if (statusOf(error) !== 404)
        log.warn({ team, err: errorMessage(error) }, 'team membership check failed; treating the author as a partner')
    }
  }
  return false
}

export interface ChangedFile {
  path: string
  status: string
  previousPath?: string
}

/** The pull request's changed files, page by page, stopping at the config's file limit. */
export async function listChangedFiles(
  octokit: GitHubClient,
  ref: PullRequestRef,
  maxFiles: number
): Promise<{ files: ChangedFile[]; truncated: boolean }> {
  const files: ChangedFile[] = []
  let truncated = false
  await octokit.paginate(
    octokit.rest.pulls.listFiles,
    { owner: ref.owner, repo: ref.repo, pull_number: ref.number, per_page: 100 },
    (response, done) => {
      for (const file of response.data) {
        if (files.length >= maxFiles) {
          truncated = true
          done()
          break
        }
        files.push({
          path: file.filename,
          status: file.status,
          ...(file.previous_filename ? { previousPath: file.previous_filename } : {})
        })
      }
      return []
    }
  )
  return { files, truncated }
}

/** What a truncated changed-file listing left out: not known by name, so it blocks the pull request as a whole. */
function unlistedChanges(changed: { truncated: boolean }, maxFiles: number): UnanalysedFile[] {
  return changed.truncated
    ? [
        {
          path: null,
          reason: `the pull request changes more than ${maxFiles} files; those past the first ${maxFiles} were not reviewed (limits.maxFiles)`
        }
      ]
    : []
}

/** Every path a change touches: added, modified, removed, and both sides of a rename. */
export function changedPathsOf(files: readonly ChangedFile[]): string[] {
  const paths = new Set<string>()
  for (const file of files) {
    paths.add(file.path)
    if (file.previousPath) paths.add(file.previousPath)
  }
  return [...paths].sort()
}

export interface RevisionLoadOptions {
  changedPaths: readonly string[]
  config: ReviewConfig
  cache?: BlobCache
  log?: ReviewLogger
}

export interface LoadedRevisions {
  head: MemoryFileSource
  base: MemoryFileSource
  /** What the limits kept out, in words for the report. */
  skipped: string[]
  /** The same, file by file: the review blocks what they belong to (fail closed). */
  unanalysed: UnanalysedFile[]
  stats: { blobsFetched: number; blobsFromCache: number; bytesLoaded: number }
}

/**
 * Loads the head and base files a review needs: the touched integrations' folders, the changed
 * files, and, transitively, every repository file they import (shared libraries such as
 * `packages/destination-actions/src/lib/` and `packages/actions-shared/` come in this way).
 */
export async function loadRevisions(
  octokit: GitHubClient,
  repository: RepositoryRef,
  commits: { headSha: string; baseSha: string },
  options: RevisionLoadOptions
): Promise<LoadedRevisions> {
  const limits = options.config.limits
  const skipped: string[] = []
  const unanalysed: UnanalysedFile[] = []
  const changed = new Set(options.changedPaths)
  const notLoaded = (path: string | null, reason: string) =>
    unanalysed.push({ path, reason, ...(path !== null && changed.has(path) ? { changed: true } : {}) })
  const budget = { countedBlobs: new Set<string>(), bytesLoaded: 0 }
  const touched = integrationsTouchedBy(options.changedPaths, options.config.layouts)
  const reader = octokitTreeReader(octokit, repository)
  const blobTexts = new BlobTexts(reader, options.cache ?? sharedBlobCache)

  const loadRevision = async (sha: string, label: 'head' | 'base'): Promise<MemoryFileSource> => {
    const needed = { folders: [...touched.map((integration) => integration.path), ...LIBRARY_FOLDERS], files: options.changedPaths }
    const entries = await listCommitBlobs(reader, sha, needed, (treeSha) => {
      skipped.push(`${label}: GitHub truncated the file listing of ${treeSha.slice(0, 12)} too; files outside it were not loaded`)
      notLoaded(null, `${label}: GitHub truncated the file listing of ${treeSha.slice(0, 12)}; files past it were not loaded`)
    })
    const files = new Map<string, string>()
    const wanted: string[] = []
    const queued = new Set<string>()
    const want = (path: string) => {
      if (queued.has(path) || !entries.has(path) || BINARY_EXTENSIONS.test(path)) return
      queued.add(path)
      wanted.push(path)
    }
    for (const integration of touched) {
      const prefix = `${integration.path}/`
      for (const path of entries.keys()) if (path.startsWith(prefix)) want(path)
    }
    // Every changed file too (shared libraries, package manifests, lockfiles, dotfiles): the
    // pull-request rules read them at head and base.
    for (const path of options.changedPaths) want(path)
    const program = new SourceProgram(new PathListing(entries.keys()))
    const admission = { label, limits, budget, skipped, notLoaded, limitNoted: false }
    while (wanted.length > 0) {
      const accepted = admitWithinLimits(wanted.splice(0, wanted.length), entries, files.size, admission)
      const texts = await blobTexts.textsOf(
        accepted.map((entry) => entry.sha),
        BLOB_FETCH_CONCURRENCY
      )
      accepted.forEach((entry, index) => {
        const text = texts[index]
        if (text === undefined) {
          // Not a binary by its name, yet not text: nobody has read what it holds.
          notLoaded(entry.path, `${label}: holds NUL bytes, not text the review can read`)
          return
        }
        files.set(entry.path, text)
        if (CODE_EXTENSIONS.test(entry.path)) for (const imported of importsOf(program, entry.path, text)) want(imported)
      })
    }
    return new MemoryFileSource(files, `${label} ${sha.slice(0, 12)}`)
  }

  // Head first: the base then finds every unchanged blob in the cache.
  const head = await loadRevision(commits.headSha, 'head')
  const base = await loadRevision(commits.baseSha, 'base')
  const stats = { blobsFetched: blobTexts.counts.fetched, blobsFromCache: blobTexts.counts.fromCache, bytesLoaded: budget.bytesLoaded }
  options.log?.debug({ ...stats, headFiles: head.listFiles().length, baseFiles: base.listFiles().length }, 'revisions loaded')
  return { head, base, skipped, unanalysed, stats }
}

interface Admission {
  label: 'head' | 'base'
  limits: ReviewConfig['limits']
  /** Shared by head and base: a blob counts once against the total. */
  budget: { countedBlobs: Set<string>; bytesLoaded: number }
  skipped: string[]
  notLoaded: (path: string, reason: string) => void
  /** The stop at the limits is said once per revision. */
  limitNoted: boolean
}

/** The entries of `batch` the per-file, file-count and total-byte limits let in; each one kept out is said. */
function admitWithinLimits(
  batch: readonly string[],
  entries: ReadonlyMap<string, TreeEntry>,
  filesLoaded: number,
  admission: Admission
): TreeEntry[] {
  const { label, limits, budget } = admission
  const accepted: TreeEntry[] = []
  for (const path of batch) {
    const entry = entries.get(path)
    if (!entry) continue
    if (entry.size > limits.maxFileBytes) {
      admission.skipped.push(
        `${path} (${label}): ${formatBytes(entry.size)} is over the ${formatBytes(limits.maxFileBytes)} per-file limit; not loaded`
      )
      admission.notLoaded(path, `${label}: ${formatBytes(entry.size)} is over the ${formatBytes(limits.maxFileBytes)} per-file limit`)
      continue
    }
    const newBytes = budget.countedBlobs.has(entry.sha) ? 0 : entry.size
    if (filesLoaded + accepted.length >= limits.maxFiles || budget.bytesLoaded + newBytes > limits.maxTotalBytes) {
      if (!admission.limitNoted) {
        admission.skipped.push(
          `${label}: stopped loading files at the limits (${limits.maxFiles} files, ${formatBytes(limits.maxTotalBytes)} in total); ${path} and others were not loaded`
        )
        admission.limitNoted = true
      }
      admission.notLoaded(
        path,
        `${label}: past the loading limits (${limits.maxFiles} files, ${formatBytes(limits.maxTotalBytes)} in total)`
      )
      continue
    }
    if (!budget.countedBlobs.has(entry.sha)) {
      budget.countedBlobs.add(entry.sha)
      budget.bytesLoaded += entry.size
    }
    accepted.push(entry)
  }
  return accepted
}

/** The repository files a module imports, resolved the way the model resolves them. Nothing runs. */
function importsOf(program: SourceProgram, path: string, text: string): string[] {
  const found: string[] = []
  const info = ts.preProcessFile(text, true, true)
  for (const imported of info.importedFiles) {
    const resolution = program.resolveModule(path, imported.fileName)
    if (resolution.kind === 'file' || resolution.kind === 'json') found.push(resolution.path)
  }
  return found
}

export interface LoadedChange {
  /** The author belongs to the owning organisation (partner-only rules then say info). */
  internal: boolean
  changedPaths: string[]
  revisions: LoadedRevisions
  /** What loading left out (a truncated file listing, the limits), in words for the report. */
  skipped: string[]
  /** The same, file by file or for the whole change: each blocks what it belongs to (fail closed). */
  unanalysed: UnanalysedFile[]
}

/**
 * What a review of the pull request at `headSha` loads once its config is known: the author's
 * standing, the changed files and both revisions. The queued review and `/approve`'s gate load
 * the same way, so they review the same change. `time` names each step for the caller's log.
 */
export async function loadChange(
  octokit: GitHubClient,
  ref: PullRequestRef,
  pr: PullRequestSnapshot,
  headSha: string,
  config: ReviewConfig,
  options: { cache?: BlobCache; log: ReviewLogger; time?: <T>(name: string, step: () => Promise<T>) => Promise<T> }
): Promise<LoadedChange> {
  const time = options.time ?? (<T>(_name: string, step: () => Promise<T>) => step())
  const { maxFiles } = config.limits
  const internal = await time('author', () => isInternalAuthor(octokit, pr, config, options.log))
  const changed = await time('changedFiles', () => listChangedFiles(octokit, ref, maxFiles))
  const changedPaths = changedPathsOf(changed.files)
  const revisions = await time('files', () =>
    loadRevisions(
      octokit,
      { owner: ref.owner, repo: ref.repo },
      { headSha, baseSha: pr.baseSha },
      { changedPaths, config, cache: options.cache ?? sharedBlobCache, log: options.log }
    )
  )
  return {
    internal,
    changedPaths,
    revisions,
    skipped: [
      ...(changed.truncated ? [`only the first ${maxFiles} changed files were reviewed (the limit is limits.maxFiles)`] : []),
      ...revisions.skipped
    ],
    unanalysed: [...unlistedChanges(changed, maxFiles), ...revisions.unanalysed]
  }
}
