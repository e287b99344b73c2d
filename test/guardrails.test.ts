// The tooling guardrails (issue #14) can fail: the compiler settings and Biome's rules are checked
// here, so switching one off breaks `npm test` instead of quietly letting through what it caught.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;

describe('tsconfig.json', () => {
  it('type-checks strictly, with indexed reads typed as possibly undefined', () => {
    const options = readJson('tsconfig.json').compilerOptions as Record<string, unknown>;
    expect(options.strict).toBe(true);
    expect(options.noUncheckedIndexedAccess).toBe(true);
  });
});

describe('package.json', () => {
  it('runs the type check and Biome before Jest in npm test', () => {
    // The three steps run in this order, each gating the next.
    const steps = (readJson('package.json').scripts as Record<string, string>).test?.split(' && ').map((step) => step.split(' ')[0]);
    expect(steps).toEqual(['tsc', 'biome', 'node']);
    // Jest under Node.js with a 64 MB young generation, which Jest's workers inherit (their
    // execArgv): the suite allocates much and short-lived (aws-cdk-lib loaded per test file), and
    // with V8's default semi-space most of that was copied by scavenges. Measured in band, 2 runs
    // each, alternating: 67-69 user CPU-seconds against 77-83.
    expect((readJson('package.json').scripts as Record<string, string>).test).toMatch(
      /^tsc --build tsconfig\.check\.json && biome check \. && node --max-semi-space-size=64 node_modules\/jest\/bin\/jest\.js$/,
    );
    // tsc --build takes its options from the file: tsconfig.json's, emitting nothing.
    const check = JSON.parse(readFileSync(join(root, 'tsconfig.check.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
      extends?: string;
      compilerOptions?: Record<string, unknown>;
      include?: unknown;
    };
    expect(check.extends).toBe('./tsconfig.json');
    expect(check.compilerOptions?.noEmit).toBe(true);
    expect(check.include).toBeUndefined();
  });
});

describe('biome.jsonc', () => {
  // Snippets, keyed by the path each is linted as (the config treats lib/ and test/ differently).
  // Biome's stdin mode (--stdin-file-path) prints no diagnostics, so they are written to a scratch
  // folder next to a copy of the config and linted there in one run.
  const snippets: Record<string, string> = {
    'test/focused.test.ts': "it.only('runs alone', () => {});\n",
    'test/skipped.test.ts': "describe.skip('never runs', () => {\n  it('passes', () => {});\n});\n",
    'test/ts-ignore.test.ts': "// @ts-ignore\nexport const n: number = 'one';\n",
    'lib/non-null.ts': 'export const size = (s?: string): number => s!.length;\n',
    'test/non-null.test.ts': "it('reads a length', () => {\n  const s: string | undefined = 'ab';\n  expect(s!.length).toBe(2);\n});\n",
    'lib/clean.ts': 'export const size = (s?: string): number => s?.length ?? 0;\n',
  };
  let rules: Map<string, string[]>;

  beforeAll(() => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-biome-')));
    try {
      copyFileSync(join(root, 'biome.jsonc'), join(dir, 'biome.jsonc'));
      for (const [path, text] of Object.entries(snippets)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      // The scratch folder is no git repository: VCS integration (the ignore file) is off for it.
      const biome = require.resolve('@biomejs/biome/bin/biome');
      const run = spawnSync(process.execPath, [biome, 'lint', '--vcs-enabled=false', '--reporter=github', '.'], { cwd: dir, encoding: 'utf8' });
      if (run.error) throw run.error;
      // One line per diagnostic: ::error title=lint/<group>/<rule>,file=<path>,line=…::<message>
      rules = new Map(Object.keys(snippets).map((path) => [path, []]));
      for (const m of run.stdout.matchAll(/^::\w+ title=([^,]+),file=([^,]+),/gm)) {
        const [, rule = '', file = ''] = m;
        rules.get(relative(dir, file))?.push(rule);
      }
      if (run.status !== 1) throw new Error(`biome lint exited with ${run.status}, expected 1 (errors found):\n${run.stdout}${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a focused test', 'test/focused.test.ts', 'lint/suspicious/noFocusedTests'],
    ['a skipped suite', 'test/skipped.test.ts', 'lint/suspicious/noSkippedTests'],
    ['// @ts-ignore', 'test/ts-ignore.test.ts', 'lint/suspicious/noTsIgnore'],
    ['a non-null assertion in lib/', 'lib/non-null.ts', 'lint/style/noNonNullAssertion'],
  ])('rejects %s', (_what, path, rule) => {
    expect(rules.get(path)).toContain(rule);
  });

  it('accepts a non-null assertion in a test, and clean code in lib/', () => {
    expect(rules.get('test/non-null.test.ts')).toEqual([]);
    expect(rules.get('lib/clean.ts')).toEqual([]);
  });
});

describe("Jest's test environment (test/helpers/test-environment.js)", () => {
  type Environment = {
    setup(): Promise<void>;
    teardown(): Promise<void>;
    handleTestEvent(event: { name: string }): Promise<void>;
    global: Record<string, unknown>;
  };
  const Environment = require('./helpers/test-environment') as new (config: unknown, context: unknown) => Environment;
  const Reporter = require('./helpers/coverage-counters-reporter') as new () => {
    onTestResult(test: unknown, result: { coverage?: Record<string, unknown> }): void;
  };
  const environment = (cacheDirectory: string) =>
    new Environment(
      { globalConfig: {}, projectConfig: { cacheDirectory, testEnvironmentOptions: {}, globals: {} } },
      { console, docblockPragmas: {}, testPath: __filename },
    );

  let cacheDirectory: string;
  beforeEach(() => {
    cacheDirectory = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-test-environment-')));
  });
  afterEach(() => rmSync(cacheDirectory, { recursive: true, force: true }));

  it('disables the async hooks and AsyncLocalStorage instances a test file created when it ends', async () => {
    const env = environment(cacheDirectory);
    await env.setup();
    const asyncHooks = require('node:async_hooks') as typeof import('node:async_hooks');
    let inits = 0;
    const hook = asyncHooks.createHook({ init: () => void (inits += 1) }).enable();
    const storage = new asyncHooks.AsyncLocalStorage<string>();
    storage.enterWith('inside');
    await Promise.resolve();
    expect(inits).toBeGreaterThan(0);
    expect(storage.getStore()).toBe('inside');
    await env.teardown();
    const before = inits;
    await Promise.resolve();
    expect(inits).toBe(before);
    expect(storage.getStore()).toBeUndefined();
    hook.disable();
  });

  // The environment sends the counters only; the reporter must hand Jest's coverage reporter the
  // record the test file produced, maps included, or the coverage summary would be wrong.
  it('strips the coverage maps after a test file and the reporter puts them back in the main process', async () => {
    const record = () => ({
      path: '/lib/x.ts',
      hash: 'a1b2',
      statementMap: { 0: { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } } },
      fnMap: {},
      branchMap: {},
      inputSourceMap: { version: 3, mappings: 'AAAA' },
      _coverageSchema: 'c0ffee',
      s: { 0: 3 },
      f: {},
      b: {},
    });
    const env = environment(cacheDirectory);
    const coverage = { '/lib/x.ts': record() };
    env.global.__coverage__ = coverage;
    await env.handleTestEvent({ name: 'run_finish' });
    expect(coverage['/lib/x.ts']).toEqual({ path: '/lib/x.ts', hash: 'a1b2', s: { 0: 3 }, f: {}, b: {} });
    await env.teardown();

    const result = { coverage: JSON.parse(JSON.stringify(coverage)) as Record<string, unknown> };
    new Reporter().onTestResult({ context: { config: { cacheDirectory } } }, result);
    expect(result.coverage['/lib/x.ts']).toEqual(record());
  });
});

describe("Jest's runtime (test/helpers/jest-runtime.js)", () => {
  type Executor = {
    compile(source: string, filename: string): ((...args: unknown[]) => unknown) | null;
    injectedModuleParameters: string[];
    environment: { getVmContext(): object | null };
    resolution: { isCoreModule(name: string): boolean };
    dynamicImport(): Promise<unknown>;
  };
  type Stats = { compiled: number; fromCache: number };
  type CachingRuntime = (new () => { executor: Executor; teardown(): Promise<void> }) & { stats: Stats };
  const { withCodeCache } = require('./helpers/jest-runtime') as { withCodeCache(base: unknown): CachingRuntime };
  const vm = require('node:vm') as typeof import('node:vm');

  // A stand-in for jest-runtime's Runtime: the parts of its module executor the cache uses, with
  // its own compile counting what it is left to compile.
  function standIn(context: object) {
    return class {
      jestCompiled = 0;
      executor: Executor;
      constructor() {
        this.executor = {
          compile: () => {
            this.jestCompiled += 1;
            return null;
          },
          injectedModuleParameters: ['module', 'exports'],
          environment: { getVmContext: () => context },
          resolution: { isCoreModule: () => false },
          dynamicImport: () => Promise.reject(new Error('no import() here')),
        };
      }
      async teardown(): Promise<void> {}
    };
  }

  it('compiles a module once for the test files of a worker, and again when its source changes', async () => {
    const context = vm.createContext({});
    const Runtime = withCodeCache(standIn(context));
    const load = async (source: string) => {
      const runtime = new Runtime();
      const module = { exports: {} as Record<string, unknown> };
      runtime.executor.compile(source, '/repo/lib/m.js')?.(module, module.exports);
      await runtime.teardown();
      return module.exports;
    };
    const source = "'use strict'; exports.twice = (n) => 2 * n; exports.strict = (function () { return this === undefined; })();";
    // The module runs in each test file's context and behaves as compiled by Jest (strict mode kept).
    expect((await load(source)).strict).toBe(true);
    expect(Runtime.stats).toEqual({ compiled: 1, fromCache: 0 });
    const again = await load(source);
    expect((again.twice as (n: number) => number)(21)).toBe(42);
    expect(Runtime.stats).toEqual({ compiled: 1, fromCache: 1 });
    // Compiled in the test file's context, as Jest compiles it.
    expect(Object.getPrototypeOf(again.twice)).toBe(vm.runInContext('Function.prototype', context));
    await load(source.replace('2 * n', '3 * n'));
    expect(Runtime.stats).toEqual({ compiled: 2, fromCache: 1 });
  });

  it("leaves a syntax error to Jest's own compile, and fails loudly without the executor it hooks", () => {
    const Runtime = withCodeCache(standIn(vm.createContext({})));
    const runtime = new Runtime() as unknown as { executor: Executor; jestCompiled: number };
    expect(runtime.executor.compile('exports.x = (', '/repo/lib/broken.js')).toBeNull();
    expect(runtime.jestCompiled).toBe(1);
    const NoExecutor = withCodeCache(class {});
    expect(() => new NoExecutor()).toThrow(/jest-runtime has no executor.compile any more/);
  });
});
