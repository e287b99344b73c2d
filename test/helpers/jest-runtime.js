// Jest's module runtime (jest.config.js, `runtime`), with V8's code cache shared by the test files
// of one worker. Nothing a test sees changes: every test file still gets its own module registry
// and runs every module's code again; only compiling that code is skipped.
//
// Jest compiles each module of each test file with vm.compileFunction and an
// `importModuleDynamically` callback, which keeps V8 from reusing its in-memory compilation cache:
// every test file that builds a CDK stack compiled aws-cdk-lib again, and every test file compiled
// the instrumented lib/ again. In a profile of the whole run in band, compiling was 11 s of 90.
// Here a module is compiled as a vm.Script (the same function wrapper Node's CommonJS loader uses,
// on the source's first line), and when the test file ends, each script compiled from scratch
// gives its code cache: bytecode of the wrapper and of every function that ran, so later test
// files of the worker skip lazy compilation too. V8 checks that a cache matches the source and its
// own version and flags, and compiles as usual when it does not (`cachedDataRejected`); the cache is
// also keyed by the exact transformed source, so a changed file is compiled again.
// Measured, in band, test/behaviour + test/server + test/local: 28.0 -> 20.1 s of profile samples
// (compiling 3.7 -> 1.3 s, aws-cdk-lib's own time 3.2 -> 1.9 s, much of it lazy compilation).
const vm = require('node:vm');

/**
 * The runtime class for a base runtime class (jest-runtime's; the guardrail test passes a stand-in).
 * `stats` counts the modules compiled from scratch and from the cache, for that test.
 */
function withCodeCache(Runtime) {
  /** filename -> { source, data }: the worker's code caches, kept across its test files. */
  const caches = new Map();
  const stats = { compiled: 0, fromCache: 0 };

  class CodeCachingRuntime extends Runtime {
    constructor(...args) {
      super(...args);
      // jest-runtime's module executor is internal: fail loudly if an upgrade changes it, rather
      // than run slower without a word. The fix is to adapt this file or drop it from jest.config.js.
      const executor = this.executor;
      if (!executor || typeof executor.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) {
        throw new Error(
          'test/helpers/jest-runtime.js: jest-runtime has no executor.compile any more; adapt the code cache to it or remove `runtime` from jest.config.js',
        );
      }
      /** Scripts this test file compiled without a usable cache, to give theirs at teardown. */
      this.uncached = [];
      const compile = executor.compile.bind(executor);
      executor.compile = (source, filename) => {
        const context = executor.environment.getVmContext();
        if (context == null || executor.resolution.isCoreModule(filename)) return compile(source, filename);
        const cached = caches.get(filename);
        const cachedData = cached !== undefined && cached.source === source ? cached.data : undefined;
        let script;
        try {
          script = new vm.Script(`(function (${executor.injectedModuleParameters.join(', ')}) {${source}\n})`, {
            filename,
            cachedData,
            // As Jest's own callback: import() from a CommonJS module.
            importModuleDynamically: (specifier, _script, attributes, ...rest) => executor.dynamicImport(specifier, filename, context, attributes, rest[0]),
          });
        } catch {
          // A syntax error: Jest's compile reports it in its own words.
          return compile(source, filename);
        }
        // V8's own verdict: false only when it took the cache.
        if (script.cachedDataRejected === false) {
          stats.fromCache += 1;
        } else {
          stats.compiled += 1;
          this.uncached.push({ filename, source, script });
        }
        return script.runInContext(context);
      };
    }

    teardown() {
      for (const { filename, source, script } of this.uncached) caches.set(filename, { source, data: script.createCachedData() });
      this.uncached = [];
      return super.teardown();
    }
  }
  CodeCachingRuntime.stats = stats;
  return CodeCachingRuntime;
}

module.exports = withCodeCache(require('jest-runtime').default);
module.exports.withCodeCache = withCodeCache;
