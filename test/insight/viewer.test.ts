// The viewer's data and page, checked without a browser (viewer.browser.test.ts renders it).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, execute, type Json } from '../../lib/asl';
import { runCommand } from '../../lib/cli/commands/run';
import { ExitCode } from '../../lib/cli/exit-codes';
import { renderExecutionHtml, viewerScript, writeExecutionHtml } from '../../lib/insight/viewer';
import { viewerData } from '../../lib/insight/viewer-data';
import { shop, shopTasks } from './fixtures';

const run = (input: Json, errors: string[] = []) => execute(compile(shop), input, { seed: 1, tasks: shopTasks(errors) });

describe('viewer data', () => {
  it('marks the edges taken, each visit with its outcome, retries and errors, and ties events to states', async () => {
    // Charge retried once (Busy), then the Map fails on sku 'none' and its Catch goes to Rejected.
    const r = await run({ kind: 'plain', total: 5, items: [{ sku: 'a' }, { sku: 'none' }] }, ['Busy']);
    const d = viewerData(shop, r, 'Shop');
    expect(d.status).toBe('FAILED');
    expect(d.taken).toEqual(expect.arrayContaining(['start->Route', 'Route->Checks', 'Checks->Charge', 'Charge->Items', 'Items->Rejected']));
    expect(d.taken).not.toContain('Items->Done');
    expect(d.visits.Charge).toEqual([
      expect.objectContaining({
        outcome: 'succeeded',
        attempts: 2,
        retries: 1,
        failures: [{ error: 'Busy', cause: 'charge attempt 1 failed', retried: true, event: 'TaskFailed' }],
      }),
    ]);
    expect(d.visits.Items?.[0]).toMatchObject({ outcome: 'caught', failures: [{ error: 'OutOfStock', retried: false }] });
    expect(d.visits['Items/Reserve']?.map((v) => [v.iteration, v.outcome])).toEqual([
      [0, 'succeeded'],
      [1, 'failed'],
    ]);
    expect(d.visits['Checks/Fetch']?.[0]?.input).toEqual({ kind: 'plain', total: 5, items: [{ sku: 'a' }, { sku: 'none' }] });
    expect(d.visits.Done).toBeUndefined();
    expect(d.events).toHaveLength(r.history.length);
    expect(d.events.find((e) => e.type === 'TaskFailed' && e.state === 'Charge')?.summary).toBe(
      'error: Busy, cause: charge attempt 1 failed, resource: charge',
    );
    // The graph nests the Parallel's branches and the Map's processor.
    const checks = d.graph.states.find((s) => s.path === 'Checks');
    expect(checks?.branches.map((b) => b.states.map((s) => s.path))).toEqual([['Checks/Fetch'], ['Checks/Check']]);
    expect(d.graph.states.find((s) => s.path === 'Charge')?.edges).toEqual([
      { to: 'Items', kind: 'next' },
      { to: 'Rejected', kind: 'catch', label: 'catch Declined' },
      { to: 'Rejected', kind: 'catch', label: 'catch States.ALL' },
    ]);
  });
});

describe('the HTML page', () => {
  it('is one self-contained file: inline script with elkjs, data escaped, a policy that forbids every request', async () => {
    const r = await run({ kind: 'plain', total: 5, items: [{ sku: '</script><script>alert(1)</script>' }] });
    const html = renderExecutionHtml(r, { definition: shop, title: 'Shop' });
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    // No external resource of any kind.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[^\s"'<>)]+\.(js|css|png|woff2?)/);
    // The payload cannot close the data element.
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)');
    // The layout library is in the page.
    expect(viewerScript()).toContain('org.eclipse.elk');
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  it('needs the definition for a result that LocalWorkflow did not run, and a kept history', async () => {
    const r = await run({ kind: 'plain', total: 5, items: [] });
    expect(() => renderExecutionHtml(r)).toThrow(/needs the definition the execution ran: pass \{ definition \}/);
    const noHistory = await execute(compile(shop), { kind: 'x', total: 1, items: [] }, { seed: 1, tasks: shopTasks(), history: false });
    expect(() => renderExecutionHtml(noHistory, { definition: shop })).toThrow(/kept no history/);
  });

  it('writeExecutionHtml writes the page to a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sw-viewer-')), 'run.html');
    writeExecutionHtml(await run({ kind: 'plain', total: 5, items: [] }), file, { definition: shop });
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
  });
});

describe('stepwise run --html', () => {
  it('writes the viewer next to the usual output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-run-html-'));
    const definition = join(dir, 'machine.json');
    writeFileSync(
      definition,
      JSON.stringify({
        StartAt: 'Hello',
        States: { Hello: { Type: 'Pass', Result: { hi: 1 }, Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 5, End: true } },
      }),
    );
    const html = join(dir, 'out.html');
    let out = '';
    const code = await runCommand({ definition, html }, { out: (t) => void (out += t), err: (t) => void (out += t), stdin: () => '' });
    expect(code).toBe(ExitCode.OK);
    expect(out).toContain(`Execution viewer written to ${html}`);
    const page = readFileSync(html, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="stepwise-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}');
    expect(data.taken).toEqual(['start->Hello', 'Hello->Pause', 'Pause->end']);
    expect(data.visits.Pause[0]).toMatchObject({ enteredAt: 0, exitedAt: 5000, output: { hi: 1 } });
  });
});
