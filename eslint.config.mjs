// Lint for the whole repository: typescript-eslint's strictest type-checked rule set on the
// TypeScript (src, test, bench), plain recommended rules on the CommonJS launchers. Formatting is
// Prettier's job (eslint-config-prettier, last, turns off every rule that would disagree with it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated code (Prisma client, GraphQL types) and build output are not ours to lint.
  {
    ignores: [
      'dist/',
      'web/dist/',
      'coverage/',
      'node_modules/',
      'src/generated/',
      '**/__generated__/',
      '.data/',
      '.scratch/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers and booleans print the same everywhere; objects, null and undefined are the
      // template bugs this rule exists for, and they stay reported.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `_`-prefixed names are deliberate (an ignored loop value, a key omitted by rest destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The dashboard (web/): the same strict rules over its own tsconfig (DOM, JSX), plus React's
    // rules of hooks, which catch the effects and state updates that would misbehave at run time.
    files: ['web/**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // The built-in engine's hot loops index typed arrays (Float32Array, Int32Array) with indices
    // bounded by construction (i < n where n is the array's own length or a count the arrays were
    // sized from). Narrowing every read there would cost a branch per element in the inner loops
    // for a case that cannot happen; `!` states that bound. Everywhere else a missing element is a
    // real case and gets narrowed. The quality bench's reference models (bench/quality) are
    // the same kind of loops over the same arrays.
    files: ['src/engine/local/**/*.ts', 'bench/quality/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // In tests `x!` on a value that is missing throws at once and fails the test with a stack
    // pointing at the line, which is the outcome a guard would produce, only longer.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // bin/, scripts/ and jest.config.js are CommonJS launchers run by plain node, outside the
    // TypeScript project, so the type-aware rules cannot see them.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  prettier,
);
