import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'dns',
  'stream', 'worker_threads', 'cluster', 'timers', 'process', 'tls', 'zlib', 'readline', 'events',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.temporal/**', '.esb-data/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node APIs, no I/O.
    files: ['src/workflows/**/*.ts'],
    rules: {
      // Type-only imports are erased at compile time, so config *types* are allowed.
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must stay deterministic: no Node APIs.' })),
          ...nodeBuiltins.map((name) => ({ name: `node:${name}`, message: 'Workflow code must stay deterministic: no Node APIs.' })),
          { name: 'express', message: 'No HTTP servers in workflow code.' },
          { name: 'undici', message: 'No I/O in workflow code: use an activity.' },
          { name: 'js-yaml', message: 'Config is loaded outside workflows.' },
          { name: 'yaml', message: 'Config is loaded outside workflows.' },
          { name: '@temporalio/client', message: 'Use @temporalio/workflow inside workflows.' },
          { name: '@temporalio/worker', message: 'Use @temporalio/workflow inside workflows.' },
          { name: '@temporalio/activity', message: 'Use @temporalio/workflow inside workflows.' },
        ],
        patterns: [{ group: ['**/config', '**/config/**', '**/api/**', '**/cli/**', '**/temporal/**', '**/activities', '**/activities/**'], message: 'Workflows import only pure modules (types are fine: use import type).', allowTypeImports: true }],
      }],
    },
  },
  {
    // Expressions may run inside workflow code, so the same rule holds for them.
    files: ['src/expressions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Expressions run inside workflows: no Node APIs.' })),
      }],
    },
  },
);
