// Flat config. The rules that matter most here: no eval in any form (hosts run under a strict
// CSP), no deep imports across packages (the `exports` maps are the contract), and no platform
// code in the engine core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';

const noEval = {
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-restricted-globals': [
    'error',
    { name: 'Function', message: 'Function() is eval; forbidden under a strict CSP.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Function']",
      message: 'new Function is eval; forbidden.',
    },
    {
      selector: "CallExpression[callee.name='Function']",
      message: 'Function() is eval; forbidden.',
    },
    { selector: "CallExpression[callee.property.name='eval']", message: 'eval is forbidden.' },
  ],
};

// Relative paths inside a package never name a package folder, so these only match imports
// that reach into another package (or `packages/` itself) instead of using its name.
const crossPackage = {
  patterns: [
    {
      group: ['@millrace/*/src/*', '@millrace/*/test/*'],
      message: 'Import a package through its exports map, not its internals.',
    },
    {
      group: [
        '**/packages/**',
        '**/engine/src/**',
        '**/designer/src/**',
        '**/adapters/src/**',
        '**/demo/src/**',
      ],
      message: 'Import another package by its name (@millrace/...), never by a relative path.',
    },
  ],
};

export default tseslint.config(
  // tmp/ and bench-results/ are git-ignored scratch space (.gitignore).
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '**/dist/**',
      'coverage/**',
      'tmp/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // Declared so that no-implied-eval recognises setTimeout('code') and friends.
      globals: {
        setTimeout: 'readonly',
        setInterval: 'readonly',
        globalThis: 'readonly',
        self: 'readonly',
      },
    },
    rules: {
      ...noEval,
      'no-restricted-imports': ['error', crossPackage],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': noEval['no-restricted-syntax'],
    },
  },
  {
    // TS enums and namespaces are out (CONVENTIONS: unions instead).
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        ...noEval['no-restricted-syntax'],
        {
          selector: 'TSEnumDeclaration',
          message: 'Use a union of string literals instead of enum.',
        },
        {
          selector: 'TSModuleDeclaration[kind="namespace"]',
          message: 'No namespaces; use modules.',
        },
      ],
    },
  },
  {
    // The engine core is pure: no DOM, no Node built-ins, no UI or storage libraries.
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['packages/engine/src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...crossPackage.patterns,
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'],
              message: 'Node built-ins belong in src/node/.',
            },
            {
              group: [
                'lit',
                'lit/*',
                'elkjs',
                'elkjs/*',
                'idb',
                '@millrace/designer',
                '@millrace/adapters',
              ],
              message: 'The engine imports neither the designer, the adapters nor their libraries.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Function', message: 'Function() is eval; forbidden.' },
        { name: 'document', message: 'No DOM in the engine core.' },
        { name: 'window', message: 'No DOM in the engine core.' },
        { name: 'process', message: 'No Node globals in the engine core.' },
      ],
    },
  },
  {
    files: ['packages/designer/src/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['**/*.mjs', '**/*.js', 'vite.config.ts'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
      },
    },
  },
  {
    files: ['**/test/**/*.browser.test.ts'],
    languageOptions: {
      globals: {
        describe: 'readonly',
        it: 'readonly',
        before: 'readonly',
        after: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
      },
    },
  },
);
