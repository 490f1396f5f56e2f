// ESB_UNIT_ONLY=1 skips starting the Temporal server, for fast runs of pure-module tests.
const unitOnly = process.env.ESB_UNIT_ONLY === '1';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: unitOnly ? undefined : '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: unitOnly ? undefined : '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 60000,
  // Temporal workers and servers are heavy; two cores, so keep parallelism modest.
  maxWorkers: 2,
};
