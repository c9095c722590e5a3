import { defineConfig } from 'vitest/config'

// Tests that start servers or processes, patch http with nock, or drive Probot run each file in a
// fresh process. The rest (the pure engine, rules, reports) share one module registry per
// worker, so ts-morph, TypeScript and the rules are imported once per worker, not once per file.
const SERVERS_AND_GITHUB = ['test/app/**/*.test.ts', 'test/action/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/github/**/*.test.ts', 'test/pr-commands/authorise.test.ts']
// The engine keeps what reviewed code writes to built-ins on its own copies (static-evaluator.ts),
// so the files that review the rule fixtures share a worker safely.
const ISOLATED = SERVERS_AND_GITHUB

export default defineConfig({
  test: {
    // Fixtures are integration code under review: read as text by the tests, never run.
    exclude: ['test/fixtures/**', 'examples/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The key of the sticky comment's signed state block (INTEGRATION_REVIEW_STATE_SECRET in production).
    env: { INTEGRATION_REVIEW_STATE_SECRET: 'test-state-secret' },
    projects: [
      {
        extends: true,
        test: { name: 'engine', include: ['test/**/*.test.ts'], exclude: [...ISOLATED, 'test/fixtures/**'], pool: 'threads', isolate: false }
      },
      {
        extends: true,
        test: { name: 'app', include: ISOLATED, pool: 'forks', isolate: true }
      }
    ]
  }
})
