// The stepwise CLI as its own process, for the tests whose subject is the process: its exit codes,
// its output through a pipe, its --help and --version. bin/, lib/ and lambda/ are transpiled with
// esbuild, file by file, into the layout `npm run build` gives dist/ (type checking is `npm test`'s
// first step), once per test file: about 0.3 CPU-seconds. A call then costs a Node.js start and the
// CLI's modules, 0.3-0.4 CPU-seconds, where `node --require tsx/cjs bin/stepwise.ts` took 0.65-1.1
// (tsx hooks every require and reads each file's compiled copy from its cache).
import { type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = join(__dirname, '..', '..');

/** The CLI's entry, transpiled with the code it runs; removed after the calling test file. */
export interface BuiltCli {
  /** The folder holding the build: bin/, lib/ and lambda/ as JavaScript, laid out as in dist/. */
  readonly dir: string;
  /** The built bin/stepwise.js. */
  readonly bin: string;
  /** Runs `stepwise ...args` in a Node.js process of its own, from the repository's root. */
  run(args: readonly string[], options?: Partial<SpawnSyncOptionsWithStringEncoding>): SpawnSyncReturns<string>;
}

/** Builds the CLI for this test file (call it at the top of a file or describe block). */
export function buildCli(): BuiltCli {
  // Inside node_modules/, so the built files find the packages the way dist/ does.
  const cache = join(root, 'node_modules', '.cache', 'stepwise');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, 'cli-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const sources = (dir: string) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name));
  buildSync({
    entryPoints: [join(root, 'bin', 'stepwise.ts'), ...sources('lib'), ...sources('lambda')],
    outdir,
    outbase: root,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const bin = join(outdir, 'bin', 'stepwise.js');
  return {
    dir: outdir,
    bin,
    run: (args, options = {}) => spawnSync(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024, ...options, encoding: 'utf8' }),
  };
}
