import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layers are folders, and this file is where their borders are kept:
 * shared ← core ← main / web / cli; preload and renderer see only shared. The central server
 * (server/) is its own program: it shares the contract and the engine's package format code, never
 * a host, the UI or better-sqlite3 (its database is PostgreSQL or PGlite).
 */
const nodeOnly = ['fs', 'fs/*', 'node:*', 'child_process', 'better-sqlite3', 'worker_threads', 'path', 'os', 'crypto'];
const uiOnly = ['react', 'react-dom', 'react-dom/*', '@tanstack/*'];

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report', 'e2e/screenshots', '.data', '.bench'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: restrict(
      [...nodeOnly, ...uiOnly, 'electron', '**/core/**', '**/main/**', '**/renderer/**', '**/web/**', '**/cli/**'],
      'src/shared is the contract: zod and plain TypeScript only.',
    ),
  },
  {
    files: ['src/core/**'],
    rules: restrict(
      [...uiOnly, 'electron', '**/main/**', '**/renderer/**', '**/web/**', '**/cli/**', '**/preload/**'],
      'The engine knows nothing of Electron, React or its hosts.',
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [...nodeOnly, 'electron', '**/core/**', '**/main/**', '**/web/**', '**/cli/**', '**/preload/**'],
        'The renderer talks only to the contract in src/shared.',
      ),
    },
  },
  {
    files: ['src/preload/**'],
    rules: restrict(
      [...uiOnly, 'better-sqlite3', 'fs', 'child_process', '**/core/**', '**/renderer/**', '**/web/**', '**/cli/**'],
      'The preload exposes the contract and nothing else.',
    ),
  },
  {
    files: ['src/web/**', 'src/cli/**'],
    rules: restrict([...uiOnly, 'electron', '**/main/**', '**/renderer/**', '**/preload/**'], 'Hosts use the engine.'),
  },
  {
    files: ['server/**'],
    rules: restrict(
      [
        ...uiOnly,
        'electron',
        'better-sqlite3',
        '**/main/**',
        '**/renderer/**',
        '**/web/**',
        '**/cli/**',
        '**/preload/**',
      ],
      'The central server shares src/shared and the package format, nothing of the station hosts.',
    ),
  },
);
