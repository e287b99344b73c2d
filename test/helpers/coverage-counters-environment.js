// Code coverage without the copy of Istanbul's maps for every test file (jest.config.js, with
// coverage-counters-reporter.js). Istanbul's record of a source file has two parts: the counters
// (s, f, b), which running tests change, and the maps (statementMap, fnMap, branchMap and the
// source map), which depend only on the instrumented code and are most of its size. After each
// test file Jest deep-copies the record of every lib/ file that test file loaded, sends the copy
// to the main process and parses it there: for 61 test files, most of what coverage costs.
//
// This test environment strips the maps once a test file has run, after storing each record's
// maps under the hash Istanbul gives the record (a SHA-1 of the whole record, maps included, so a
// stored file can only ever hold the maps of that record) in Jest's cache folder. The reporter,
// which Jest calls before its own coverage reporter, puts them back: Jest's coverage reporter then
// merges, remaps and checks the same records as without this, to the same summary and lcov.info.
const { existsSync, mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

/** The keys of a record that stay with it; every other key is part of its maps. */
const COUNTERS = new Set(['path', 'hash', 's', 'f', 'b', 'bT']);

/** Where a record's maps are stored. */
const mapsFile = (cacheDirectory, hash) => join(cacheDirectory, 'stepwise-coverage-maps', `${hash}.json`);

/** Hashes whose maps are stored already: a worker process runs many test files. */
const stored = new Set();

class CoverageCountersEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.cacheDirectory = config.projectConfig.cacheDirectory;
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

CoverageCountersEnvironment.mapsFile = mapsFile;
module.exports = CoverageCountersEnvironment;
