module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  collectCoverageFrom: ['handlers/**/*.ts'],
  coverageReporters: ['json-summary', 'text'],
  testTimeout: 120000,
};
