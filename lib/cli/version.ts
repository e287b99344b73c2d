// The package's version, read from its package.json (bin/ runs from source and from dist/bin).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version of stepwise-cdk that is running. */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'stepwise-cdk' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
