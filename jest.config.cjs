/**
 * Two projects: unit tests (no network, no root) and end-to-end tests against the lab, which
 * brings up real droplets once for all e2e suites (globalSetup) and tears them down after.
 */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } },
    ],
  },
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.cjs',
      globalTeardown: '<rootDir>/__tests__/e2e/global-teardown.cjs',
    },
  ],
  // The e2e suites share one lab: they run one at a time (npm test passes --runInBand).
  testTimeout: 180000,
};
