// security/dependency-change: supply-chain changes read from the pull request's own manifests
// and lockfiles (base vs head): new runtime dependencies, git/tarball/file sources, wildcard
// versions, install scripts, and lockfile edits without a manifest change. No registry is contacted.
import { z } from 'zod'
import { defineRule, type RawFinding } from '../rule.js'
import { textPosition } from './support/code-files.js'
import { redactUrlCredentials } from './support/redact-secret.js'

const RUNTIME_SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const
const ALL_SECTIONS = [...RUNTIME_SECTIONS, 'devDependencies'] as const
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'preprepare', 'postprepare'] as const
const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'])

const DependencyMapSchema = z.record(z.string(), z.unknown()).catch({})
const ManifestSchema = z
  .object({
    dependencies: DependencyMapSchema.optional(),
    optionalDependencies: DependencyMapSchema.optional(),
    peerDependencies: DependencyMapSchema.optional(),
    devDependencies: DependencyMapSchema.optional(),
    scripts: DependencyMapSchema.optional()
  })
  .passthrough()
type Manifest = z.infer<typeof ManifestSchema>

const LockfileSchema = z
  .object({ packages: z.record(z.string(), z.object({ hasInstallScript: z.boolean().optional() }).passthrough().catch({})).optional() })
  .passthrough()

function parseJson<T>(text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = schema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Why a version spec does not come from the npm registry, or undefined when it does. */
export function nonRegistrySource(spec: string): string | undefined {
  const lower = spec.trim().toLowerCase()
  for (const prefix of ['git+', 'git://', 'git@', 'github:', 'gitlab:', 'bitbucket:', 'gist:'])
    if (lower.startsWith(prefix)) return 'a git repository'
  if (lower.startsWith('http://') || lower.startsWith('https://')) return 'a tarball URL'
  if (
    lower.startsWith('file:') ||
    lower.startsWith('link:') ||
    lower.startsWith('./') ||
    lower.startsWith('../') ||
    lower.startsWith('/') ||
    lower.startsWith('~/')
  )
    return 'a local path'
  // `user/repo` is GitHub shorthand.
  if (
    !lower.startsWith('@') &&
    !lower.startsWith('.') &&
    !lower.includes(' ') &&
    !lower.includes(':') &&
    lower.split('/').length === 2 &&
    !lower.startsWith('/')
  )
    return 'a GitHub repository'
  return undefined
}

/** Ranges that accept any future release. */
export function isUnboundedRange(spec: string): boolean {
  const trimmed = spec.trim()
  if (trimmed === '' || trimmed === '*' || trimmed === 'x' || trimmed === 'X' || trimmed === 'latest' || trimmed === 'next') return true
  return trimmed.startsWith('>') && !trimmed.includes('<') && !trimmed.includes('||')
}

/** Line of `"key":` inside the `"section"` object of a JSON text (falls back to the section, then 1). */
function lineOfKey(text: string, section: string | undefined, key: string): number {
  const sectionIndex = section === undefined ? 0 : text.indexOf(`"${section}"`)
  const start = sectionIndex === -1 ? 0 : sectionIndex
  const keyIndex = text.indexOf(`"${key}"`, start)
  return textPosition(text, keyIndex !== -1 ? keyIndex : start).line
}

function sectionOf(manifest: Manifest | undefined, section: (typeof ALL_SECTIONS)[number]): Record<string, unknown> {
  return manifest?.[section] ?? {}
}

export const dependencyChange = defineRule({
  id: 'security/dependency-change',
  category: 'security',
  stages: { 'private-beta': 'warning' },
  who: 'everyone',
  title: 'Dependency changes are visible and come from the registry',
  docs: {
    why: "Every dependency runs with the same rights as Segment's workers. Integrations rarely need new ones; code from git, tarballs or local paths escapes the registry's integrity checks, wildcard versions pull whatever is published next, and install scripts run on every machine that installs the repository.",
    fix: 'Prefer the framework and existing shared helpers. If a dependency is needed, pin a registry version range (`^1.4.2`), avoid install scripts, and change package.json together with its lockfile.',
    bad: '"dependencies": { "acme-sdk": "github:acme/sdk#main" }',
    good: '"dependencies": { "acme-sdk": "^2.3.1" }'
  },
  scope: 'pull-request',
  check(context) {
    const findings: RawFinding[] = []
    // Reviewing a tree on its own (no base revision) has no change to judge: only facts about
    // the tree itself (non-registry sources, unbounded ranges) are reported.
    const hasBase = context.baseSource !== undefined
    const manifestsChanged = context.changedPaths.some((path) => path === 'package.json' || path.endsWith('/package.json'))
    for (const path of context.changedPaths) {
      const name = path.slice(path.lastIndexOf('/') + 1)
      const headText = context.headSource.readFile(path)
      if (headText === undefined) continue
      const baseText = context.baseSource?.readFile(path)
      if (name === 'package.json') {
        const head = parseJson(headText, ManifestSchema)
        if (!head) continue
        const base = parseJson(baseText, ManifestSchema)
        const baseRuntime = new Set(RUNTIME_SECTIONS.flatMap((section) => Object.keys(sectionOf(base, section))))
        for (const section of ALL_SECTIONS) {
          const headDependencies = sectionOf(head, section)
          const baseDependencies = sectionOf(base, section)
          for (const [dependency, rawSpec] of Object.entries(headDependencies)) {
            if (typeof rawSpec !== 'string' || baseDependencies[dependency] === rawSpec) continue
            // Git and tarball URLs can carry tokens (`https://user:token@host`): never echo them.
            const spec = redactUrlCredentials(rawSpec.trim())
            if (spec.startsWith('workspace:')) continue
            const line = lineOfKey(headText, section, dependency)
            const source = nonRegistrySource(spec)
            if (source) {
              findings.push({
                message: `\`${dependency}\` in ${section} of \`${path}\` comes from ${source} (\`${spec}\`), outside the npm registry and its integrity checks. Publish it to npm and depend on a version range instead.`,
                path,
                line,
                severity: 'error',
                key: `${path}#${section}/${dependency}`
              })
            } else if (isUnboundedRange(spec)) {
              findings.push({
                message: `\`${dependency}\` in ${section} of \`${path}\` accepts any future version (\`${spec}\`), so the next publish — or a hijacked one — is installed unreviewed. Pin a range such as \`^1.2.3\`.`,
                path,
                line,
                key: `${path}#${section}/${dependency}`
              })
            } else if (hasBase && (RUNTIME_SECTIONS as readonly string[]).includes(section) && !baseRuntime.has(dependency)) {
              findings.push({
                message: `The pull request adds the runtime dependency \`${dependency}@${spec}\` in \`${path}\`. Its code runs inside Segment's workers: explain why the framework and existing helpers are not enough, so an owner can approve it.`,
                path,
                line,
                key: `${path}#${section}/${dependency}`
              })
            }
          }
        }
        const headScripts = head.scripts ?? {}
        const baseScripts = base?.scripts ?? {}
        for (const script of hasBase ? INSTALL_SCRIPTS : []) {
          const command = headScripts[script]
          if (typeof command !== 'string' || baseScripts[script] === command) continue
          findings.push({
            message: `\`${path}\` ${baseScripts[script] === undefined ? 'adds' : 'changes'} the \`${script}\` script, which runs automatically on every machine that installs the repository. Remove it or move the step into an explicit build command.`,
            path,
            line: lineOfKey(headText, 'scripts', script),
            severity: 'error',
            key: `${path}#scripts/${script}`
          })
        }
      } else if (hasBase && LOCKFILES.has(name)) {
        if (!manifestsChanged) {
          findings.push({
            message: `\`${path}\` changes without any package.json change. Lockfiles are generated: an edit by hand can swap a package's source or integrity. Regenerate it from a package.json change, or drop the edit.`,
            path,
            line: 1,
            key: `${path}#lockfile-only`
          })
        }
        if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') {
          const head = parseJson(headText, LockfileSchema)
          const base = parseJson(baseText, LockfileSchema)
          for (const [entry, info] of Object.entries(head?.packages ?? {})) {
            if (info.hasInstallScript !== true || base?.packages?.[entry]?.hasInstallScript === true) continue
            findings.push({
              message: `The lockfile \`${path}\` now installs \`${entry}\`, which has an install script that runs on every machine installing the repository. Check that this package is expected, or pick one without install scripts.`,
              path,
              line: lineOfKey(headText, 'packages', entry),
              severity: 'error',
              key: `${path}#${entry}`
            })
          }
        }
      }
    }
    return findings
  }
})
