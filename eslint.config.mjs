// ESLint (flat config): typescript-eslint's recommended rules on the TypeScript of src, sim and test,
// plus the type-aware promise rules (a promise nobody awaits or catches is a rejection that takes
// Node-RED down, or a done() never called); ESLint's recommended rules on the Node scripts (bench,
// scripts) and on the browser code of the editor (resources/*.js and the inline scripts of
// src/nodes/*/*.html, read by eslint-plugin-html). Layout is Prettier's (npm run format): the
// rules that would disagree with it are off (eslint-config-prettier).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import html from 'eslint-plugin-html';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Arguments, variables and caught errors named with a leading underscore are unused on purpose. */
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }];
/** A `let` that a callback reads before its one assignment cannot be a `const` (it would be in its dead zone). */
const preferConst = ['error', { ignoreReadBeforeAssign: true }];

export default tseslint.config(
  { ignores: ['dist/', 'dist-*/', 'node_modules/', 'bench-results/', 'test-artifacts/', '.node-red-demo/', '.ci/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: path.dirname(fileURLToPath(import.meta.url)) } },
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test runs what test() and describe() return; nothing else awaits them.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'prefer-const': preferConst,
    },
  },
  {
    // Tests read JSON bodies, Node-RED messages and nodes, and the simulator's state, all untyped
    // by nature; spelling each as a type would say nothing a test's assertions do not.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['bench/**/*.js', 'scripts/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: {
      'no-unused-vars': unusedVars,
      'prefer-const': preferConst,
    },
  },
  {
    // The editor's code runs in the browser as plain scripts beside Node-RED's own (RED, jQuery).
    files: ['resources/**/*.js', 'src/nodes/*/*.html'],
    extends: [js.configs.recommended],
    plugins: { html },
    languageOptions: {
      ecmaVersion: 2015,
      sourceType: 'script',
      globals: { ...globals.browser, ...globals.jquery, RED: 'readonly' },
    },
    rules: {
      'no-unused-vars': unusedVars,
      'prefer-const': preferConst,
    },
  },
  prettier,
);
