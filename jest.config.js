// Tests run against the real PostgreSQL and Redis of the machine; each test file gets its own
// database schema and queue prefix (test/support/test-context.ts), so files never share state.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // The generated Prisma client imports its siblings as './x.js'; resolve those to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/support/env.ts'],
};
