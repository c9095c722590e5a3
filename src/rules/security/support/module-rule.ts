// The shared shape of the "this module is not expected in an integration" rules: report each
// place a listed module is loaded (import, re-export, require, import()), once per line.
import type { IntegrationRuleContext, RawFinding } from '../../rule.js'
import { codeFilesOf, positionOf } from './code-files.js'
import { moduleReferencesFor } from './module-references.js'

export interface ModuleLoadQuery {
  /** Module names (canonical, without `node:`); a name also matches its subpaths (`fs` → `fs/promises`). */
  modules: readonly string[]
  includeTests: boolean
  message: (module: string, path: string) => string
}

export function matchesModule(module: string, names: readonly string[]): string | undefined {
  return names.find((name) => module === name || module.startsWith(`${name}/`))
}

export function findModuleLoads(context: IntegrationRuleContext, query: ModuleLoadQuery): RawFinding[] {
  const references = moduleReferencesFor(context.head.program)
  const findings: RawFinding[] = []
  for (const file of codeFilesOf(context)) {
    if (file.isTest && !query.includeTests) continue
    const seen = new Set<number>()
    for (const site of references.loadSites(file.parsed)) {
      if (!site.loadsAtRuntime || site.dynamic) continue
      const module = matchesModule(site.module, query.modules)
      if (!module) continue
      const { line, column } = positionOf(file.parsed.sourceFile, site.node)
      if (seen.has(line)) continue
      seen.add(line)
      findings.push({ message: query.message(site.module, file.path), path: file.path, line, column, key: `${site.module}@${file.path}` })
    }
  }
  return findings
}
