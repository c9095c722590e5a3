// The kit for rules that report uses of a module or global: `process.exit`, `eval`, writes to
// built-ins, `process.env`. Such a rule is its metadata plus the uses it reports: each use names
// the node kinds it looks at and says what a node of those kinds is, when it is one to report.
// The kit owns the rest — the integration's code files, one pass per file over the nodes of the
// wanted kinds (from the file's shared syntax index, in walk order), module and global resolution
// shared by every rule, positions and the finding.
import type { IntegrationKind } from '../../../discover/integration-layouts.js'
import { ts } from '../../../model/typescript.js'
import type { ParsedFile } from '../../../model/source-program.js'
import { defineRule, type IntegrationRuleContext, type RawFinding, type RuleMeta } from '../../rule.js'
import { nodesOfKinds } from '../../../model/syntax-index.js'
import { codeFilesOf, fileLabel, positionOf, type CodeFile } from './code-files.js'
import { globalPath, moduleReferencesFor, type ModuleLoadSite, type ModuleRef, type ModuleReferences } from './module-references.js'

/** What a rule learns about the file it is looking at. */
export interface CallSite {
  file: CodeFile
  parsed: ParsedFile
  context: IntegrationRuleContext
  references: ModuleReferences
  /** The module or global an expression refers to (`cp.exec` → child_process + ['exec']). */
  resolve(expression: ts.Expression): ModuleRef | undefined
  /** The global path an expression refers to (`process.exit`, also when imported from `node:process`). */
  globalPath(expression: ts.Expression): string[] | undefined
}

/** A use to report: what the message names, and (when it differs) what identifies it in the finding's key. */
export interface ModuleUse {
  what: string
  key?: string
  /** Where to report, when not at the node that matched. */
  node?: ts.Node
}

/** One kind of use a rule reports: the node kinds it looks at and how it recognises one. */
export interface UsePattern<N extends ts.Node = ts.Node> {
  kinds: readonly ts.SyntaxKind[]
  match(node: N, site: CallSite): ModuleUse | string | undefined
}

/** Declares a pattern with its node type checked (the kinds decide which nodes it receives). */
export function usePattern<N extends ts.Node>(
  kinds: readonly ts.SyntaxKind[],
  match: (node: N, site: CallSite) => ModuleUse | string | undefined
): UsePattern {
  return { kinds, match }
}

export interface ModuleCallRuleSpec extends RuleMeta {
  /** Tests, mocks and fixtures are left out unless the rule says otherwise. */
  includeTests?: boolean
  /** Report at most one use per line (the first one a walk of the file meets). */
  onePerLine?: boolean
  /** Module loads (imports, `require`, `import()`) to report, before the uses in the code. */
  loads?: (site: ModuleLoadSite) => ModuleUse | string | undefined
  /** The uses to report; for a node, the first pattern that matches it wins. */
  uses: readonly UsePattern[]
  /** The finding's message for one use in the file named `file` (as `fileLabel` names it), in an integration of `kind`. */
  message: (use: ModuleUse, file: string, kind: IntegrationKind) => string
}

/** A rule made of metadata and the uses it reports. */
export function defineModuleCallRule(spec: ModuleCallRuleSpec) {
  const { includeTests, onePerLine, loads, uses, message, ...meta } = spec
  const kinds = [...new Set(uses.flatMap((pattern) => pattern.kinds))]
  const patternsByKind = new Map<ts.SyntaxKind, UsePattern[]>()
  for (const pattern of uses) {
    for (const kind of pattern.kinds) patternsByKind.set(kind, [...(patternsByKind.get(kind) ?? []), pattern])
  }
  return defineRule({
    ...meta,
    scope: 'integration',
    check(context: IntegrationRuleContext): RawFinding[] {
      const references = moduleReferencesFor(context.head.program)
      const findings: RawFinding[] = []
      for (const file of codeFilesOf(context)) {
        if (file.isTest && !includeTests) continue
        const sourceFile = file.parsed.sourceFile
        const label = fileLabel(file.path)
        const reportedLines = new Set<number>()
        const report = (at: ts.Node, found: ModuleUse | string) => {
          const use = typeof found === 'string' ? { what: found } : found
          const { line, column } = positionOf(sourceFile, use.node ?? at)
          if (onePerLine) {
            if (reportedLines.has(line)) return
            reportedLines.add(line)
          }
          findings.push({
            message: message(use, label, context.integration.kind),
            path: file.path,
            line,
            column,
            key: `${use.key ?? use.what}@${file.path}`
          })
        }
        const site: CallSite = {
          file,
          parsed: file.parsed,
          context,
          references,
          resolve: (expression) => references.resolve(file.parsed, expression),
          globalPath: (expression) => globalPath(references.resolve(file.parsed, expression))
        }
        if (loads) {
          for (const load of references.loadSites(file.parsed)) {
            const found = loads(load)
            if (found !== undefined) report(load.node, found)
          }
        }
        for (const node of nodesOfKinds(sourceFile, kinds)) {
          for (const pattern of patternsByKind.get(node.kind) ?? []) {
            const found = pattern.match(node, site)
            if (found === undefined) continue
            report(node, found)
            break
          }
        }
      }
      return findings
    }
  })
}
