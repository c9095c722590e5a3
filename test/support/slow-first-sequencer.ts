// Orders the test files for a 2-core runner: one project's files after the other's, because Vitest
// reuses a worker that does not isolate (isolate: false) only while the next file queued is of
// the same project (a switch starts a new worker, which imports everything again); and within a
// project the files that take longest first, so that the short files fill the gaps around them
// instead of one long file running alone at the end. Vitest's own order (durations of the last
// run, else file size) needs a results cache that a fresh clone lacks.
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/** Longest first, as measured (`npx vitest run --reporter=json`); the rest keep Vitest's order. */
const SLOW_FILES = [
  'test/app/scale-redis.test.ts',
  'test/app/scale-memory.test.ts',
  'test/app/security-end-to-end.test.ts',
  'test/security/regex-safety.test.ts',
  'test/action/action-bundle.test.ts',
  'test/app/server-end-to-end.test.ts',
  'test/action/bundle-fresh.test.ts',
  'test/rules/rule-fixtures.test.ts'
]

function slowRank(spec: TestSpecification): number {
  const path = spec.moduleId.split('\\').join('/')
  const rank = SLOW_FILES.findIndex((file) => path.endsWith(`/${file}`))
  return rank < 0 ? SLOW_FILES.length : rank
}

/** The project of the slow servers and processes first: it holds the longest files. */
const PROJECT_ORDER = ['app', 'engine']

function projectRank(spec: TestSpecification): number {
  const rank = PROJECT_ORDER.indexOf(spec.project.name)
  return rank < 0 ? PROJECT_ORDER.length : rank
}

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    // Array.prototype.sort is stable: files of equal rank keep Vitest's order.
    return sorted.sort((a, b) => projectRank(a) - projectRank(b) || slowRank(a) - slowRank(b))
  }
}
