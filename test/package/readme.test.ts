// The README's TypeScript snippets are files under examples/ (which `tsc --noEmit` checks), so a
// snippet that stops compiling fails `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : f.endsWith('.ts') ? [p] : [];
  });
}

describe('README', () => {
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
  const examples = files(join(root, 'examples')).map((f) => readFileSync(f, 'utf8'));

  it('has TypeScript snippets, each one a part of an example file', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    for (const snippet of snippets) expect([snippet.slice(0, 60), examples.some((e) => e.includes(snippet))]).toEqual([snippet.slice(0, 60), true]);
  });

  it('imports the package by its npm name', () => {
    expect(readme).not.toMatch(/from 'stepwise'/);
    expect(readme).toMatch(/npm install stepwise-cdk/);
  });
});
