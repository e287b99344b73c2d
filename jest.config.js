/** Type checking runs once in `npm test` (tsc --noEmit); Jest only transpiles, which keeps it fast. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips the types file by file (tsconfig's isolatedModules holds), about 40 times faster than
  // ts-jest's TypeScript transpiler on a cold cache; its options mirror tsconfig.json's target and
  // useDefineForClassFields. One difference shows in tests: swc's CommonJS exports are read-only
  // getters, so jest.spyOn on a module's export needs that module mocked as a plain object first
  // (test/behaviour/duplicate-delivery.test.ts).
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2022',
          transform: { useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
      },
    ],
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
