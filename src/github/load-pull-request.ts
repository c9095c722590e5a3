// Loads what a review of a pull request needs from the GitHub API: the pull request, its changed
// files, the config from the base branch, and the head and base files of the touched integrations
// (plus what they import) through the Git Trees and Blobs APIs, bounded by the config's limits.
import { ts } from '../model/typescript.js'
import { z } from 'zod'
import { CONFIG_PATH, MAX_CONFIG_BYTES, configTooLarge, parseReviewConfig, type ParsedReviewConfig, type ReviewConfig } from '../config/review-config.js'
import { integrationsTouchedBy } from '../discover/discover-integrations.js'
import { DEFAULT_MODULE_ALIASES, SourceProgram, formatBytes } from '../model/source-program.js'
import type { UnanalysedFile } from '../review/unanalysed-files.js'
import { MemoryFileSource, type FileSource } from '../source/file-source.js'
import { BlobCache } from './blob-cache.js'
import { errorMessage, statusOf, type GitHubClient, type PullRequestRef, type RepositoryRef, type ReviewLogger } from './github-client.js'

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
  labels: z.array(z.object({ name: z.string() })).nullable().optional(),
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
      if (statusOf(error) !== 404) log.warn({ team, err: errorMessage(error) }, 'team membership check failed; treating the author as a partner')
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
  await octokit.paginate(octokit.rest.pulls.listFiles, { owner: ref.owner, repo: ref.repo, pull_number: ref.number, per_page: 100 }, (response, done) => {
    for (const file of response.data) {
      if (files.length >= maxFiles) {
        truncated = true
        done()
        break
      }
      files.push({ path: file.filename, status: file.status, ...(file.previous_filename ? { previousPath: file.previous_filename } : {}) })
    }
    return []
  })
  return { files, truncated }
}

/** What a truncated changed-file listing left out: not known by name, so it blocks the pull request as a whole. */
export function unlistedChanges(changed: { truncated: boolean }, maxFiles: number): UnanalysedFile[] {
  return changed.truncated ? [{ path: null, reason: `the pull request changes more than ${maxFiles} files; those past the first ${maxFiles} were not reviewed (limits.maxFiles)` }] : []
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

interface TreeEntry {
  path: string
  sha: string
  size: number
}

const TreeSchema = z.object({
  truncated: z.boolean().default(false),
  tree: z.array(z.object({ path: z.string(), type: z.string(), sha: z.string(), size: z.number().optional() }))
})

/** Only the list of paths: enough for SourceProgram to resolve module specifiers. */
class TreeListing implements FileSource {
  readonly description = 'tree listing'
  private readonly paths: string[]
  constructor(entries: Map<string, TreeEntry>) {
    this.paths = [...entries.keys()].sort()
  }
  listFiles(): readonly string[] {
    return this.paths
  }
  readFile(): string | undefined {
    return undefined
  }
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
  const cache = options.cache ?? sharedBlobCache
  const limits = options.config.limits
  const skipped: string[] = []
  const unanalysed: UnanalysedFile[] = []
  const changed = new Set(options.changedPaths)
  const notLoaded = (path: string | null, reason: string) => unanalysed.push({ path, reason, ...(path !== null && changed.has(path) ? { changed: true } : {}) })
  const stats = { blobsFetched: 0, blobsFromCache: 0, bytesLoaded: 0 }
  const countedBlobs = new Set<string>()
  const touched = integrationsTouchedBy(options.changedPaths, options.config.layouts)

  // Files with the same content share one request, even when fetched at the same time.
  const inFlight = new Map<string, Promise<string | undefined>>()
  const fetchBlob = (entry: TreeEntry): Promise<string | undefined> => {
    const cached = cache.get(entry.sha)
    if (cached !== undefined) {
      stats.blobsFromCache++
      return Promise.resolve(cached)
    }
    let pending = inFlight.get(entry.sha)
    if (!pending) {
      pending = (async () => {
        const { data } = await octokit.rest.git.getBlob({ ...repository, file_sha: entry.sha })
        stats.blobsFetched++
        const bytes = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
        // A NUL byte means binary content that slipped past the extension check.
        if (bytes.includes(0)) return undefined
        const text = bytes.toString('utf8')
        cache.set(entry.sha, text)
        return text
      })()
      inFlight.set(entry.sha, pending)
    }
    return pending
  }

  const loadRevision = async (sha: string, label: 'head' | 'base'): Promise<MemoryFileSource> => {
    const entries = await fetchTree(octokit, repository, sha, label, skipped, notLoaded, {
      folders: [...touched.map((integration) => integration.path), ...LIBRARY_FOLDERS],
      files: options.changedPaths
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
    const program = new SourceProgram(new TreeListing(entries))
    let limitNoted = false
    while (wanted.length > 0) {
      const batch = wanted.splice(0, wanted.length)
      const accepted: TreeEntry[] = []
      for (const path of batch) {
        const entry = entries.get(path)
        if (!entry) continue
        if (entry.size > limits.maxFileBytes) {
          skipped.push(`${path} (${label}): ${formatBytes(entry.size)} is over the ${formatBytes(limits.maxFileBytes)} per-file limit; not loaded`)
          notLoaded(path, `${label}: ${formatBytes(entry.size)} is over the ${formatBytes(limits.maxFileBytes)} per-file limit`)
          continue
        }
        const newBytes = countedBlobs.has(entry.sha) ? 0 : entry.size
        if (files.size + accepted.length >= limits.maxFiles || stats.bytesLoaded + newBytes > limits.maxTotalBytes) {
          if (!limitNoted) {
            skipped.push(
              `${label}: stopped loading files at the limits (${limits.maxFiles} files, ${formatBytes(limits.maxTotalBytes)} in total); ${path} and others were not loaded`
            )
            limitNoted = true
          }
          notLoaded(path, `${label}: past the loading limits (${limits.maxFiles} files, ${formatBytes(limits.maxTotalBytes)} in total)`)
          continue
        }
        if (!countedBlobs.has(entry.sha)) {
          countedBlobs.add(entry.sha)
          stats.bytesLoaded += entry.size
        }
        accepted.push(entry)
      }
      const texts = await mapWithConcurrency(accepted, BLOB_FETCH_CONCURRENCY, fetchBlob)
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
  options.log?.debug({ ...stats, headFiles: head.listFiles().length, baseFiles: base.listFiles().length }, 'revisions loaded')
  return { head, base, skipped, unanalysed, stats }
}

/**
 * The blob entries of a commit. GitHub truncates a recursive listing past 100,000 entries or 7 MB;
 * then the folders the review needs are listed one by one, walking down from the root tree.
 */
async function fetchTree(
  octokit: GitHubClient,
  repository: RepositoryRef,
  sha: string,
  label: string,
  skipped: string[],
  notLoaded: (path: string | null, reason: string) => void,
  needed: { folders: readonly string[]; files: readonly string[] }
): Promise<Map<string, TreeEntry>> {
  const { data } = await octokit.rest.git.getTree({ ...repository, tree_sha: sha, recursive: '1' })
  const tree = TreeSchema.parse(data)
  const entries = new Map<string, TreeEntry>()
  const addBlobs = (items: z.infer<typeof TreeSchema>['tree'], prefix: string) => {
    for (const item of items) {
      const path = `${prefix}${item.path}`
      if (item.type === 'blob') entries.set(path, { path, sha: item.sha, size: item.size ?? 0 })
    }
  }
  addBlobs(tree.tree, '')
  if (!tree.truncated) return entries

  const listings = new Map<string, z.infer<typeof TreeSchema>['tree']>()
  const list = async (treeSha: string, recursive: boolean) => {
    const key = `${treeSha}:${recursive}`
    let items = listings.get(key)
    if (!items) {
      const response = await octokit.rest.git.getTree({ ...repository, tree_sha: treeSha, ...(recursive ? { recursive: '1' } : {}) })
      const parsed = TreeSchema.parse(response.data)
      if (parsed.truncated) {
        skipped.push(`${label}: GitHub truncated the file listing of ${treeSha.slice(0, 12)} too; files outside it were not loaded`)
        notLoaded(null, `${label}: GitHub truncated the file listing of ${treeSha.slice(0, 12)}; files past it were not loaded`)
      }
      items = parsed.tree
      listings.set(key, items)
    }
    return items
  }
  /** The SHA of a folder's tree, or undefined when the folder does not exist in this commit. */
  const folderSha = async (folder: string): Promise<string | undefined> => {
    let current = sha
    for (const segment of folder.split('/').filter(Boolean)) {
      const next = (await list(current, false)).find((item) => item.type === 'tree' && item.path === segment)
      if (!next) return undefined
      current = next.sha
    }
    return current
  }
  for (const folder of new Set(needed.folders)) {
    const treeSha = await folderSha(folder)
    if (treeSha) addBlobs(await list(treeSha, true), `${folder}/`)
  }
  for (const file of new Set(needed.files)) {
    const slash = file.lastIndexOf('/')
    const folder = file.slice(0, Math.max(0, slash))
    const treeSha = await folderSha(folder)
    if (treeSha) addBlobs((await list(treeSha, false)).filter((item) => item.path === file.slice(slash + 1)), slash < 0 ? '' : `${folder}/`)
  }
  return entries
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

async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await map(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return results
}
