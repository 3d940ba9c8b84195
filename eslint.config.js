// ESLint flat config: typescript-eslint's type-checked recommended rules on shipped code (src/,
// the console's front end in console/) and the benchmark (bench/). `npm run lint`; `npm test` runs it first (pretest).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'dist-bench/', 'data/', 'coverage/', 'bench/results/'] },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The root tsconfig covers src, test and bench (bench/tsconfig.json leaves out its vitest runs).
        project: './tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Adapters implement Promise-returning ports with synchronous bodies: `async` turns a throw into the rejection callers await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The console runs in a browser: its own tsconfig (DOM, Preact's JSX).
    files: ['console/src/**/*.ts', 'console/src/**/*.tsx'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './console/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
);
