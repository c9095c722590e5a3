// ESLint's recommended rules and typescript-eslint's type-aware ones (floating and misused
// promises, unsafe `any`) over the project's own code. Test fixtures are integration code under
// review: read as text, never linted or run.
import eslint from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['dist/**', 'action/dist/**', 'test/fixtures/**', 'examples/**', 'node_modules/**', 'coverage/**', '.scratch/**']
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // The TypeScript project service reads tsconfig.json once, as the editor does.
        projectService: true,
        tsconfigRootDir: import.meta.dirname
      }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An `async` method that implements a promise-returning interface without awaiting is fine: it
      // turns a throw into a rejection, which is what its callers handle.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are placeholders kept for a signature's shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    // Plain JavaScript (the CLI's bin, bench helpers, the TypeScript loader) is outside tsconfig.json.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked
  }
)
