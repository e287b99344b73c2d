/** Type checking runs once in `npm test` (tsc --build tsconfig.check.json, which emits nothing); Jest only transpiles, which keeps it fast. */
module.exports = {
  // Node's environment, which disables the async hooks a test file leaves behind and sends the main
  // process only the counters of each coverage record (the reporter coverage-counters-reporter.js,
  // below, puts the maps back); see test/helpers/test-environment.js.
  testEnvironment: '<rootDir>/test/helpers/test-environment.js',
  // Jest's runtime, with V8's code cache shared by the test files of a worker: a module is compiled
  // once per worker instead of once per test file (test/helpers/jest-runtime.js says why and how much).
  runtime: '<rootDir>/test/helpers/jest-runtime.js',
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
  // One worker per core: Jest's default (cores - 1) runs a 2-core machine in band, one file at a
  // time, while the main process only waits.
  maxWorkers: '100%',
  // Code coverage of lib/ on every run; a drop below the threshold fails `npm test`. Left out:
  // lib/insight/viewer-client.ts, the execution viewer's script, which runs in the browser
  // (test/insight/viewer.browser.test.ts drives it in Chromium, where Jest cannot count it).
  // The report goes to the gitignored coverage/ (coverage/lcov-report/index.html, file by file).
  // Provider: Istanbul ('babel', Jest's default), which counts in lib/ only. 'v8' cost more here:
  // measured back to back, about +40 CPU-seconds over a run without coverage against +20, as it
  // switches V8's debugger on for every test file (and so, it seems, its compilation cache off:
  // aws-cdk-lib is compiled again for each file) and keeps every script a worker has loaded.
  // Most of Istanbul's +20 was Jest copying, sending and parsing each lib/ file's coverage maps
  // again for every test file: test/helpers/test-environment.js sends the counters
  // only (same summary, same lcov.info); measured back to back, 3 runs each, 84-104 CPU-seconds
  // for the whole Jest run against 96-117 before.
  collectCoverage: true,
  coverageProvider: 'babel',
  collectCoverageFrom: ['lib/**/*.ts', '!lib/insight/viewer-client.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // The level measured when this was set, rounded down (statements 91.7%, branches 83.4%, functions
  // 93.1%, lines 94.6%). Raise it as coverage grows.
  coverageThreshold: { global: { statements: 91, branches: 83, functions: 93, lines: 94 } },
  testTimeout: 60000,
  // coverage-counters-reporter.js must come before Jest's coverage reporter, which Jest adds after
  // these. State machine coverage of the order workflow's suite (README, "Coverage"); files go to
  // the gitignored stepwise-coverage/.
  reporters: [
    'default',
    '<rootDir>/test/helpers/coverage-counters-reporter.js',
    ['<rootDir>/test/helpers/stepwise-coverage-reporter.js', { testFiles: ['test/behaviour/'], threshold: { states: 100, catches: 100 } }],
  ],
};
