// Jest's Node.js environment (jest.config.js), with two changes that make `npm test` cheaper and
// change nothing a test sees.
//
// 1. The async hooks a test file enables are disabled when it ends. jest-circus creates an
//    AsyncLocalStorage for every test file and never disables it, and each load of the X-Ray SDK
//    (Powertools' Tracer, in the order handlers) enables an async hook (cls-hooked) for good. Node.js
//    keeps them all: in a worker that has run n test files, every promise calls n of them, and the
//    hooks' bookkeeping keeps memory alive. Measured, whole Jest run in band: async_hooks 2.9 s -> 0.35 s
//    of the profile, garbage collection 10.3 s -> 6.7 s; in parallel, 3 runs each, 92.9-99.5
//    CPU-seconds against 93.9-106.0.
//
// 2. Code coverage without Jest copying Istanbul's maps after every test file (with
//    coverage-counters-reporter.js). Istanbul's record of a source file has two parts: the counters
//    (s, f, b), which running tests change, and the maps (statementMap, fnMap, branchMap and the
//    source map), which depend only on the instrumented code and are most of its size. After each
//    test file Jest deep-copies the record of every lib/ file that test file loaded, sends the copy
//    to the main process and parses it there. This environment strips the maps once a test file has
//    run, after storing each record's maps under the hash Istanbul gives the record (a SHA-1 of the
//    whole record, maps included, so a stored file can only ever hold the maps of that record) in
//    Jest's cache folder. The reporter, which Jest calls before its own coverage reporter, puts them
//    back: Jest's coverage reporter merges, remaps and checks the same records as without this.
const asyncHooks = require('node:async_hooks');
const { existsSync, mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

/** The keys of a coverage record that stay with it; every other key is part of its maps. */
const COUNTERS = new Set(['path', 'hash', 's', 'f', 'b', 'bT']);

/** Where a coverage record's maps are stored. */
const mapsFile = (cacheDirectory, hash) => join(cacheDirectory, 'stepwise-coverage-maps', `${hash}.json`);

/** Hashes whose maps are stored already: a worker process runs many test files. */
const stored = new Set();

class StepwiseTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.cacheDirectory = config.projectConfig.cacheDirectory;
    /** Async hooks and AsyncLocalStorage instances created while this test file runs. */
    this.hooks = [];
    this.storages = [];
  }

  // Jest requires the test framework and the test file after setup: what they create is recorded.
  async setup() {
    await super.setup();
    const { createHook, AsyncLocalStorage } = asyncHooks;
    const { hooks, storages } = this;
    this.restoreAsyncHooks = () => Object.assign(asyncHooks, { createHook, AsyncLocalStorage });
    asyncHooks.createHook = (callbacks) => {
      const hook = createHook(callbacks);
      hooks.push(hook);
      return hook;
    };
    asyncHooks.AsyncLocalStorage = class extends AsyncLocalStorage {
      constructor(...args) {
        super(...args);
        storages.push(this);
      }
    };
  }

  async teardown() {
    this.restoreAsyncHooks?.();
    for (const hook of this.hooks) hook.disable();
    for (const storage of this.storages) storage.disable();
    await super.teardown();
  }

  // run_finish is the last event of a test file; Jest copies the coverage right after it.
  async handleTestEvent(event) {
    if (event.name !== 'run_finish' || !this.global.__coverage__) return;
    for (const record of Object.values(this.global.__coverage__)) {
      if (typeof record.hash !== 'string' || !record.statementMap) continue;
      if (!stored.has(record.hash)) {
        const file = mapsFile(this.cacheDirectory, record.hash);
        if (!existsSync(file)) {
          const maps = Object.fromEntries(Object.entries(record).filter(([key]) => !COUNTERS.has(key)));
          mkdirSync(join(file, '..'), { recursive: true });
          // Written whole under another name, then renamed: another worker may be reading it.
          writeFileSync(`${file}.${process.pid}`, JSON.stringify(maps));
          renameSync(`${file}.${process.pid}`, file);
        }
        stored.add(record.hash);
      }
      for (const key of Object.keys(record)) if (!COUNTERS.has(key)) delete record[key];
    }
  }
}

StepwiseTestEnvironment.mapsFile = mapsFile;
module.exports = StepwiseTestEnvironment;
