// Puts back the maps that test-environment.js took out of each coverage record, before
// Jest's own coverage reporter (which Jest calls after the reporters of jest.config.js) reads them.
const { readFileSync } = require('node:fs');
const { mapsFile } = require('./test-environment');

class CoverageCountersReporter {
  /** Maps read so far, by hash. */
  maps = new Map();

  onTestResult(test, testResult) {
    for (const [path, record] of Object.entries(testResult.coverage ?? {})) {
      if (record.statementMap || typeof record.hash !== 'string') continue;
      let maps = this.maps.get(record.hash);
      if (!maps) {
        maps = JSON.parse(readFileSync(mapsFile(test.context.config.cacheDirectory, record.hash), 'utf8'));
        this.maps.set(record.hash, maps);
      }
      testResult.coverage[path] = { ...maps, ...record };
    }
  }
}

module.exports = CoverageCountersReporter;
