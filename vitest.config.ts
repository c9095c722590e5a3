import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.js'

// Tests that start servers or processes, patch http with nock, or drive Probot run in forked
// processes; the rest (the pure engine, rules, reports) in worker threads. Neither pool re-imports
// per file (isolate: false): ts-morph, TypeScript, Probot and the rules are imported once per
// worker, not once per file, which was most of the suite's time. Every file of both projects
// leaves the process as it found it: nock's interceptors are cleaned and net connect re-enabled in
// afterAll, servers and queues are stopped, environment variables restored.
const SERVERS_AND_GITHUB = [
  'test/app/**/*.test.ts',
  'test/action/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/github/**/*.test.ts',
  'test/pr-commands/authorise.test.ts'
]

export default defineConfig({
  test: {
    // Fixtures are integration code under review: read as text by the tests, never run.
    exclude: ['test/fixtures/**', 'examples/**', 'node_modules/**', 'dist/**'],
    // Vitest's default is cores - 1, one worker on 2 cores: the files would run one after another
    // while many of them wait on child processes, review threads or sockets part of the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The key of the sticky comment's signed state block (INTEGRATION_REVIEW_STATE_SECRET in production).
    env: { INTEGRATION_REVIEW_STATE_SECRET: 'test-state-secret' },
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts'],
          exclude: [...SERVERS_AND_GITHUB, 'test/fixtures/**'],
          pool: 'threads',
          isolate: false
        }
      },
      {
        extends: true,
        test: { name: 'app', include: SERVERS_AND_GITHUB, pool: 'forks', isolate: false }
      }
    ]
  }
})
