import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixtures are integration code under review: read as text by the tests, never run.
    exclude: ['test/fixtures/**', 'examples/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The key of the sticky comment's signed state block (INTEGRATION_REVIEW_STATE_SECRET in production).
    env: { INTEGRATION_REVIEW_STATE_SECRET: 'test-state-secret' }
  }
})
