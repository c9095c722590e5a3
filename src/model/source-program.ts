// Parses the files an integration reaches, lazily and once, and resolves module
// specifiers between them. Nothing is executed: this is text in, syntax trees out.
import { ts } from './typescript.js'
import type { FileSource } from '../source/file-source.js'
import { normalizeRepoPath } from '../source/file-source.js'
import { timed } from '../phase-timing.js'
import { parseTree } from './parse-tree.js'
import type { SourceLocation } from './static-values.js'

export interface ModelLimits {
  /** Files larger than this are not parsed; the integration is modelled without them. */
  maxFileBytes: number
  /** Nesting depth beyond which evaluation stops and reports the value as unresolved. */
  maxEvaluationDepth: number
}

export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxEvaluationDepth: 150
}

export interface ModelError {
  path: string
  line?: number
  column?: number
  message: string
}

export interface ParsedFile {
  path: string
  text: string
  sourceFile: ts.SourceFile
  /** Syntax errors the parser recovered from. */
  syntaxErrors: ModelError[]
}

/** Shared between the base and the head of a review: identical files are parsed once. */
export class ParseCache {
  /** By path, every distinct content seen (base and head usually share one). */
  private readonly files = new Map<string, ts.SourceFile[]>()

  /**
   * `outer`: a longer-lived cache. Paths it `keeps` (code shared by many integrations) are parsed
   * into it; others it already holds are reused; the rest stay in this cache, which its owner
   * drops when done (one integration's files, once its rules have run), so memory stays bounded.
   */
  constructor(private readonly outer?: { cache: ParseCache; keeps: (path: string) => boolean }) {}

  parse(path: string, text: string): ts.SourceFile {
    if (this.outer?.keeps(path)) return this.outer.cache.parse(path, text)
    const known = this.known(path, text) ?? this.outer?.cache.known(path, text)
    if (known) return known
    const sourceFile = timed('parse', () => parseTree(path, text, scriptKindOf(path)))
    const versions = this.files.get(path)
    if (versions) versions.push(sourceFile)
    else this.files.set(path, [sourceFile])
    return sourceFile
  }

  private known(path: string, text: string): ts.SourceFile | undefined {
    return this.files.get(path)?.find((sourceFile) => sourceFile.text === text)
  }
}

function scriptKindOf(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX
  if (path.endsWith('.js') || path.endsWith('.mjs') || path.endsWith('.cjs')) return ts.ScriptKind.JS
  return ts.ScriptKind.TS
}

/** Package names mapped to folders of the repository (the shared libraries real code imports). */
export const DEFAULT_MODULE_ALIASES: Record<string, string> = {
  '@segment/actions-shared': 'packages/actions-shared/src'
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs']

export type ModuleResolution =
  | { kind: 'file'; path: string }
  | { kind: 'json'; path: string }
  | { kind: 'external'; specifier: string }
  | { kind: 'missing'; specifier: string }

export class SourceProgram {
  private readonly parsed = new Map<string, ParsedFile | null>()
  /** By importing file, then specifier: every module reference asks again, without building a key. */
  private readonly resolutions = new Map<string, Map<string, ModuleResolution>>()
  readonly errors: ModelError[] = []
  private readonly fileSet: Set<string>

  constructor(
    readonly source: FileSource,
    readonly limits: ModelLimits = DEFAULT_MODEL_LIMITS,
    private readonly cache: ParseCache = new ParseCache(),
    private readonly aliases: Record<string, string> = DEFAULT_MODULE_ALIASES
  ) {
    this.fileSet = fileSetOf(source)
  }

  hasFile(path: string): boolean {
    return this.fileSet.has(normalizeRepoPath(path))
  }

  /** Every file parsed so far: what the integration reaches. */
  parsedFiles(): ParsedFile[] {
    return [...this.parsed.values()].filter((file): file is ParsedFile => file !== null)
  }

  /** The file's text, or undefined (with an error) when it is over the size limit or unreadable. */
  private readWithinLimit(path: string): string | undefined {
    const tooLarge = (size: number) => {
      this.errors.push({
        path,
        message: `file not analysed: ${formatBytes(size)} exceeds the ${formatBytes(this.limits.maxFileBytes)} limit`
      })
      return undefined
    }
    if (this.source.readFileWithin) {
      const read = this.source.readFileWithin(path, this.limits.maxFileBytes)
      if (!read) return undefined
      return 'size' in read ? tooLarge(read.size) : read.text
    }
    const size = this.source.fileSize?.(path)
    if (size !== undefined && size > this.limits.maxFileBytes) return tooLarge(size)
    const text = this.source.readFile(path)
    if (text === undefined) return undefined
    if (size === undefined && Buffer.byteLength(text) > this.limits.maxFileBytes) return tooLarge(Buffer.byteLength(text))
    return text
  }

  /** Parses a file once. Unreadable, oversized or unparsable files yield undefined and an error. */
  getFile(rawPath: string): ParsedFile | undefined {
    const path = normalizeRepoPath(rawPath)
    const known = this.parsed.get(path)
    if (known !== undefined) return known ?? undefined
    this.parsed.set(path, null)
    const text = this.readWithinLimit(path)
    if (text === undefined) return undefined
    let sourceFile: ts.SourceFile
    try {
      sourceFile = this.cache.parse(path, text)
    } catch (error) {
      // The parser recurses; pathological nesting can exhaust the stack.
      this.errors.push({ path, message: `file could not be parsed: ${error instanceof Error ? error.message : String(error)}` })
      return undefined
    }
    const syntaxErrors = syntaxErrorsOf(sourceFile, path)
    this.errors.push(...syntaxErrors)
    const file: ParsedFile = { path, text, sourceFile, syntaxErrors }
    this.parsed.set(path, file)
    return file
  }

  /** Resolves an import specifier written in `fromPath` the way TypeScript's bundler resolution would. */
  resolveModule(fromPath: string, specifier: string): ModuleResolution {
    let byFile = this.resolutions.get(fromPath)
    if (!byFile) this.resolutions.set(fromPath, (byFile = new Map<string, ModuleResolution>()))
    let resolution = byFile.get(specifier)
    if (!resolution) byFile.set(specifier, (resolution = this.resolveUncached(fromPath, specifier)))
    return resolution
  }

  private resolveUncached(fromPath: string, specifier: string): ModuleResolution {
    let base: string | undefined
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      base = normalizeRepoPath(`${dirname(fromPath)}/${specifier}`)
    } else {
      for (const [name, folder] of Object.entries(this.aliases)) {
        if (specifier === name) base = folder
        else if (specifier.startsWith(`${name}/`)) base = `${folder}/${specifier.slice(name.length + 1)}`
      }
      if (base === undefined) return { kind: 'external', specifier }
    }
    if (base.endsWith('.json') && this.hasFile(base)) return { kind: 'json', path: base }
    const stripped = base.replace(/\.(js|jsx|mjs|cjs)$/, '')
    const candidates = [...SOURCE_EXTENSIONS.map((ext) => `${stripped}${ext}`), ...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`)]
    if (/\.(ts|tsx)$/.test(base)) candidates.unshift(base)
    // Candidates are built from a normalised base, so the file set answers directly.
    for (const candidate of candidates) {
      if (this.fileSet.has(candidate)) return { kind: 'file', path: candidate }
    }
    return { kind: 'missing', specifier }
  }

  locate(sourceFile: ts.SourceFile, node: ts.Node): SourceLocation {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
    return { path: sourceFile.fileName, line: line + 1, column: character + 1 }
  }
}

function syntaxErrorsOf(sourceFile: ts.SourceFile, path: string): ModelError[] {
  // The parser keeps what it recovered from on the source file; no program or type checker is needed.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? []
  return diagnostics.map((diagnostic) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start)
    return {
      path,
      line: line + 1,
      column: character + 1,
      message: `syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`
    }
  })
}

const fileSets = new WeakMap<FileSource, Set<string>>()

/** One lookup set per revision, shared by every integration modelled from it. */
function fileSetOf(source: FileSource): Set<string> {
  let set = fileSets.get(source)
  if (!set) fileSets.set(source, (set = new Set(source.listFiles())))
  return set
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${bytes} B`
}
