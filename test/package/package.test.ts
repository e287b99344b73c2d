// What makes stepwise-cdk installable and cheap to load, checked without the registry (the full
// install into a scratch app is test/package/install.sh, `npm run test:package`).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli } from '../helpers/cli';

const root = join(__dirname, '..', '..');
interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.ts$/.test(f) ? [p] : [];
  });
}

/** Packages a file imports at run time (not relative, not node:, not type-only), by package name. */
function importedPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/import type [^;]*;/g, '')
    .replace(/typeof import\('[^']*'\)/g, '');
  const specs = [...text.matchAll(/(?:from\s+|require\(|import\()\s*'([^'.][^']*)'/g)].map((m) => m[1] as string);
  return specs.filter((s) => !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] as string)));
}

describe('package.json', () => {
  it('has a name of its own (`stepwise` on npm is an unrelated package)', () => {
    expect(pkg.name).toBe('stepwise-cdk');
    expect(pkg.bin).toEqual({ stepwise: 'dist/bin/stepwise.js', 'stepwise-cdk': 'dist/bin/stepwise.js' });
  });

  it('builds dist/ on prepare, which npm runs for npm ci, npm pack and git installs', () => {
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  it('takes aws-cdk-lib and constructs from the app (peer dependencies), keeping them for its own development', () => {
    expect(pkg.peerDependencies).toEqual({ 'aws-cdk-lib': '^2.200.0', constructs: '^10.0.0' });
    expect(pkg.dependencies).not.toHaveProperty('aws-cdk-lib');
    expect(pkg.dependencies).not.toHaveProperty('constructs');
    expect(pkg.devDependencies).toHaveProperty('aws-cdk-lib');
    expect(pkg.devDependencies).toHaveProperty('constructs');
  });

  it("declares every package the shipped handlers import (they are bundled in the app's synth and run in-process by the testing tools)", () => {
    const needed = new Set(sourceFiles(join(root, 'lambda')).flatMap(importedPackages));
    const missing = [...needed].filter((p) => !Object.hasOwn(pkg.dependencies, p));
    expect(missing).toEqual([]);
  });

  it('declares every package lib/ and bin/ import at run time, aws-cdk-lib and constructs as peers', () => {
    const files = [...sourceFiles(join(root, 'lib')), ...sourceFiles(join(root, 'bin'))].filter((f) => !f.endsWith('bin/app.ts'));
    const needed = new Set(files.flatMap(importedPackages));
    const missing = [...needed].filter((p) => !Object.hasOwn(pkg.dependencies, p) && !Object.hasOwn(pkg.peerDependencies, p));
    expect(missing).toEqual([]);
  });

  it('ships dist/ only: no sources, tests, benchmarks or CI', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('package.json');
    expect(files.filter((f) => /^(test|bench|\.ci|examples|lib|bin|lambda)\//.test(f) || f.endsWith('.map'))).toEqual([]);
  });

  it('exports the interpreter, the constructs and the testing tools, each from a built file of its own', () => {
    const entry = (key: string) => {
      const e = pkg.exports[key];
      return typeof e === 'string' ? e : e?.default;
    };
    expect(entry('.')).toBe('./dist/lib/index.js');
    expect(entry('./asl')).toBe('./dist/lib/asl/index.js');
    expect(entry('./constructs')).toBe('./dist/lib/constructs/index.js');
    expect(entry('./testing')).toBe('./dist/lib/testing/index.js');
    for (const key of ['.', './asl', './constructs', './testing']) {
      const source = (entry(key) as string).replace('./dist/', '').replace(/\.js$/, '.ts');
      expect(statSync(join(root, source)).isFile()).toBe(true);
    }
  });
});

describe('entry points', () => {
  // lib/ transpiled to JavaScript as in dist/ (a Node.js process through tsx would load tsx and
  // esbuild too, and cost twice the CPU).
  const built = buildCli();
  /** The packages a fresh Node.js process has loaded after running `code` in the built lib/. */
  const loadedBy = (code: string): string[] => {
    const out = execFileSync(process.execPath, ['-e', `${code}; console.log(JSON.stringify(Object.keys(require.cache)))`], {
      cwd: built.dir,
      encoding: 'utf8',
    });
    const loaded = JSON.parse(out.trim().split('\n').at(-1) as string) as string[];
    expect(loaded.some((f) => f.startsWith(join(built.dir, 'lib')))).toBe(true);
    // The build's own files sit in node_modules/.cache: they are not packages.
    const files = loaded.filter((f) => !f.startsWith(built.dir));
    return [...new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => p !== undefined))];
  };

  it('the root loads neither aws-cdk-lib nor the AWS SDK for the interpreter', () => {
    const loaded = loadedBy("const { compile, execute } = require('./lib'); compile({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })");
    expect(loaded.filter((p) => p === 'aws-cdk-lib' || p === 'constructs' || p.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('the interpreter entry loads no package but its own', () => {
    expect(loadedBy("require('./lib/asl')")).toEqual([]);
  });

  it('the testing tools load the AWS SDK only for the features that use it', () => {
    expect(loadedBy("require('./lib/testing')").filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('the root gives the constructs and testing tools on first use, the same values as their entry points', () => {
    const rootApi = require('../../lib') as Record<string, unknown>;
    const constructs = require('../../lib/constructs') as Record<string, unknown>;
    const testing = require('../../lib/testing') as Record<string, unknown>;
    for (const [name, value] of Object.entries(constructs)) expect([name, rootApi[name]]).toEqual([name, value]);
    const shared = Object.keys(rootApi).filter((k) => Object.hasOwn(testing, k));
    expect(shared.length).toBeGreaterThan(15);
    for (const name of shared) expect([name, rootApi[name]]).toEqual([name, testing[name]]);
    for (const name of Object.keys(rootApi)) expect([name, rootApi[name]]).not.toEqual([name, undefined]);
  });
});
