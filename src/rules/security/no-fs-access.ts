// security/no-fs-access: the file system (`fs`, `fs/promises`, fs-extra) in integration code.
// Tests may read fixtures, so test files are not checked.
import { defineRule } from '../rule.js'
import { findModuleLoads } from './support/module-rule.js'

const FS_MODULES = ['fs', 'fs-extra', 'graceful-fs'] as const

export const noFsAccess = defineRule({
  id: 'security/no-fs-access',
  category: 'security',
  stages: { 'private-beta': 'error' },
  who: 'everyone',
  title: 'No file-system access outside tests',
  docs: {
    why: "An integration has no files of its own at run time. Reading the worker's file system can expose Segment's credentials and configuration; writing to it leaks data between customers.",
    fix: 'Remove the import. Keep static data in a TypeScript module (`export const REGIONS = {...}`) and fetch dynamic data with `request`.',
    bad: "import { readFileSync } from 'fs'\nconst regions = JSON.parse(readFileSync('./regions.json', 'utf8'))",
    good: "import { REGIONS } from './regions'"
  },
  scope: 'integration',
  check(context) {
    return findModuleLoads(context, {
      modules: FS_MODULES,
      includeTests: false,
      reason:
        "Integrations must not touch the worker's file system, which holds Segment's configuration and is shared between customers: move static data into a TypeScript module and remove the import."
    })
  }
})
