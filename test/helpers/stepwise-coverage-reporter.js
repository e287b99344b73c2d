// Loads the coverage reporter from its TypeScript source for this repository's own jest.config
// (Jest loads reporters with plain require, which cannot read TypeScript). Users of the package
// point jest.config at the built file instead (README, "Coverage").
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('../../lib/testing/coverage-reporter.ts', __filename).default;
