// Lint for the whole repository: typescript-eslint's strictest type-checked rule set on the
// TypeScript (src, test, bench), plain recommended rules on the CommonJS launchers. Formatting is
// Prettier's job (eslint-config-prettier, last, turns off every rule that would disagree with it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated code (Prisma client, GraphQL types) and build output are not ours to lint.
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/generated/', '**/__generated__/', '.data/', '.scratch/'] },
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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The built-in engine's hot loops index typed arrays (Float32Array, Int32Array) with indices
    // bounded by construction (i < n where n is the array's own length or a count the arrays were
    // sized from). Narrowing every read there would cost a branch per element in the inner loops
    // for a case that cannot happen; `!` states that bound. Everywhere else a missing element is a
    // real case and gets narrowed.
    files: ['src/engine/local/**/*.ts'],
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
  // OUTSTANDING, not a policy: 152 findings in 42 test and bench files were not fixed yet when lint
  // went into CI (most are raw SQL rows typed `any` that need a row type on pool.query<...>, jest's
  // asymmetric matchers typed `any`, async test stubs, and `!` in the benchmarks' typed-array loops).
  // Each entry turns off only the rules that file still breaks; fix a file, then delete its entry.
  {
    files: ['bench/quality/quality.bench.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['test/gateway/schema.test.ts'],
    rules: { '@typescript-eslint/no-base-to-string': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/restrict-template-expressions': 'off' },
  },
  {
    files: ['bench/pipeline/pipeline.bench.ts'],
    rules: { '@typescript-eslint/no-confusing-void-expression': 'off', '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off' },
  },
  {
    files: ['bench/shopify/shopify.bench.ts'],
    rules: { '@typescript-eslint/no-meaningless-void-operator': 'off' },
  },
  {
    files: ['bench/serving/serving.bench.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['bench/quality/basket-experiment.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['bench/engine/engine.bench.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['test/e2e/online-retail-e2e.test.ts', 'test/results/atomic-swap.test.ts', 'test/results/batch-provenance.test.ts'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  {
    files: ['test/support/aws-pipeline-harness.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-parameters': 'off' },
  },
  {
    files: ['test/gateway/auth.test.ts', 'test/pipeline/stage-runner.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  {
    files: ['test/aws/personalize-batch.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['test/gateway/events.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-call': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  {
    files: ['test/pipeline/schedules.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-class-instance-assignment': 'off' },
  },
  {
    files: ['test/connectors/shopify-webhooks.test.ts', 'test/generate/synthetic-store-writer.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-return': 'off' },
  },
  {
    files: ['test/gateway/recommendations.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['test/aws/aws-pipeline-e2e.test.ts', 'test/gateway/response-cache.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  {
    files: ['test/connectors/shopify-order-mapper.test.ts', 'test/connectors/shopify-sync.test.ts', 'test/csv/csv-records.test.ts', 'test/results/warm-cache.test.ts', 'test/support/fake-shopify-server.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['test/pipeline/pipeline-e2e.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-return': 'off' },
  },
  {
    files: ['test/aws/personalize-setup.test.ts', 'test/db/migrator.test.ts', 'test/gateway/admin.test.ts', 'test/gateway/degraded.test.ts', 'test/importers/import-command.test.ts', 'test/results/result-loader.test.ts', 'test/support/serving-fixtures.ts'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off' },
  },
  {
    files: ['test/aws/dataset-import.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-return': 'off' },
  },
  {
    files: ['test/support/datasets.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['bench/import/import.bench.ts', 'test/aws/aws-call.test.ts', 'test/results/hot-cache.test.ts', 'test/support/aws-engine-harness.ts', 'test/support/scripted-engine.ts', 'test/workers/worker-startup.test.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['test/aws/personalize-evaluation.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  prettier,
);
