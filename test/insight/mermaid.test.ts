// stepwise graph's Mermaid: every state, Next, Choice rule, Catch, and nested subgraphs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphCommand } from '../../lib/cli/commands/graph';
import { ExitCode } from '../../lib/cli/exit-codes';
import { toMermaid } from '../../lib/insight/mermaid';
import { shop } from './fixtures';

describe('toMermaid', () => {
  it('draws states, transitions, rules, catches and Parallel/Map subgraphs', () => {
    const m = toMermaid(shop).split('\n');
    expect(m[0]).toBe('flowchart TD');
    expect(m).toContain('  start((start)) --> s_Route');
    expect(m).toContain('  s_Route{"Route"}');
    expect(m).toContain('  s_Route -->|"$.kind == #quot;gift#quot;"| s_Checks');
    expect(m).toContain('  s_Route -->|"$.total #gt; 1000"| s_Rejected');
    expect(m).toContain('  s_Route -->|"Default"| s_Checks');
    expect(m).toContain('  subgraph s_Checks ["Checks (Parallel)"]');
    expect(m).toContain('    s_Checks_2f_Fetch["Fetch"]');
    expect(m).toContain('  s_Charge -.->|"catch Declined"| s_Rejected');
    expect(m).toContain('  subgraph s_Items ["Items (Map)"]');
    expect(m).toContain('  s_Done(["Done"])');
    expect(m).toContain('  s_Rejected[["Rejected"]]');
    expect(m).toContain('  s_Done --> finish((end))');
    // Every subgraph is closed.
    expect(m.filter((l) => l.trim().startsWith('subgraph')).length).toBe(m.filter((l) => l.trim() === 'end').length);
  });
});

describe('stepwise graph', () => {
  it('prints the Mermaid of a definition file, and names a broken definition', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-graph-'));
    const file = join(dir, 'shop.json');
    writeFileSync(file, JSON.stringify(shop));
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stdin: () => '' };
    expect(graphCommand({ definition: file }, io)).toBe(ExitCode.OK);
    expect(out).toBe(toMermaid(shop));
    writeFileSync(file, JSON.stringify({ StartAt: 'Nowhere', States: { A: { Type: 'Succeed' } } }));
    expect(graphCommand({ definition: file }, io)).toBe(ExitCode.INVALID_DEFINITION);
    expect(err).toMatch(/Nowhere/);
  });
});
