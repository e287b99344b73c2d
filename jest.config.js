/** Type checking runs once in `npm test` (tsc --noEmit); Jest only transpiles, which keeps it fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  collectCoverageFrom: ['lib/asl/**/*.ts'],
  testTimeout: 60000,
  // State machine coverage of the order workflow's suite (README, "Coverage"); files go to the
  // gitignored stepwise-coverage/.
  reporters: [
    'default',
    ['<rootDir>/test/helpers/stepwise-coverage-reporter.js', { testFiles: ['test/behaviour/'], threshold: { states: 100, catches: 100 } }],
  ],
};
