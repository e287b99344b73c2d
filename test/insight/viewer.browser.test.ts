// The execution viewer in a real browser: Debian's Chromium, driven by playwright-core (which
// never downloads a browser). The page must render the graph, show the path taken, show a state's
// input and output on click, log no console error and make no network request. It also writes a
// screenshot for people to look at: stepwise-coverage/viewer.png (gitignored), or the README's
// docs/viewer.png when STEPWISE_UPDATE_SCREENSHOT=1, so a test run never edits a tracked file.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { chromium, type BrowserContext } from 'playwright-core';
import type { ExecutionResult, Json } from '../../lib/asl';
import { OrderStack } from '../../lib/constructs/order-stack';
import { writeExecutionHtml } from '../../lib/insight/viewer';
import { readStack } from '../../lib/local/assembly';
import { loadStateMachine, startLocalDynamoDb, testApp } from '../../lib/testing';
import { sampleOrder } from '../helpers/dynamodb';

const CHROMIUM = process.env.STEPWISE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`CI must run the browser test, but Chromium is missing at ${CHROMIUM}: .ci/run installs it with apt-get`);
if (!hasChromium) {
  process.stderr.write(
    `\n[stepwise] SKIPPED the execution viewer browser test: no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (or set STEPWISE_CHROMIUM) to run it; .ci/run does.\n\n`,
  );
}
const browserIt = hasChromium ? it : it.skip;
const skipNote = hasChromium ? '' : ` [SKIPPED: no Chromium at ${CHROMIUM}; apt-get install -y chromium]`;

const dir = mkdtempSync(join(tmpdir(), 'stepwise-viewer-'));
let context: BrowserContext | undefined;
let result: ExecutionResult;
let page: string;

beforeAll(async () => {
  if (!hasChromium) return;
  // An order whose payment is retried once (tok_flaky) and whose reservation runs out of lamps
  // (the inventory check is mocked to pass): ReserveInventory's Catch sends it to compensation.
  const stack = new OrderStack(testApp(), 'Viewer', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
  const orders = loadStateMachine(stack);
  const dynamo = await startLocalDynamoDb([readStack(stack)]);
  try {
    await dynamo.put('InventoryTable', [
      { sku: 'book', stock: 10 },
      { sku: 'lamp', stock: 0 },
    ]);
    const order = sampleOrder({
      orderId: 'o-1001',
      payment: { token: 'tok_flaky' },
      items: [
        { sku: 'book', quantity: 2, unitPrice: 1500 },
        { sku: 'lamp', quantity: 1, unitPrice: 4200 },
      ],
    });
    result = await orders.run(order as Json, {
      seed: 7,
      handlers: { environment: dynamo.environment },
      dynamodb: dynamo,
      mocks: { CheckInventory: { Return: { StatusCode: 200, Payload: { available: true } } } },
    });
  } finally {
    await dynamo.stop();
  }
  page = join(dir, 'execution.html');
  // The definition comes from the LocalWorkflow run itself.
  writeExecutionHtml(result, page, { title: 'Order o-1001' });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 1000 },
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('execution viewer in Chromium', () => {
  browserIt(`renders the graph and the path taken, shows a state's input and output on click, with no console error and no request${skipNote}`, async () => {
    const ctx = context as BrowserContext;
    const url = pathToFileURL(page).href;
    const requests: string[] = [];
    const problems: string[] = [];
    // Every request goes through here: the page's own file is served, anything else is refused and noted.
    await ctx.route('**/*', (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      requests.push(u);
      return route.abort();
    });
    const tab = await ctx.newPage();
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    tab.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await tab.goto(url);
    await tab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });

    // GIVEN the rendered graph: every state of the definition is drawn, nested ones included.
    expect(await tab.locator('#status').textContent()).toBe('FAILED');
    // (20 order states + the status record on both ends and the OrderConfirmed event)
    expect(await tab.locator('.node').count()).toBe(23);
    expect(await tab.locator('.node.compound').count()).toBe(2);
    // THEN the path taken is coloured by outcome.
    const outcome = (path: string) => tab.locator(`.node[data-path="${path}"]`).getAttribute('data-outcome');
    expect(await outcome('ValidateOrder')).toBe('succeeded');
    expect(await outcome('PreChecks/CheckCredit')).toBe('succeeded');
    expect(await outcome('ReserveInventory')).toBe('caught');
    expect(await outcome('ReserveInventory/ReserveItem')).toBe('failed');
    expect(await outcome('OrderFailed')).toBe('failed');
    expect(await outcome('ShipOrder')).toBe('unvisited');
    expect(await tab.locator('.edge.taken[data-edge="ProcessPayment->ReserveInventory"]').count()).toBeGreaterThan(0);
    expect(await tab.locator('.edge.taken[data-edge="ReserveInventory->ReleaseInventory"]').count()).toBeGreaterThan(0);
    expect(await tab.locator('.edge.taken[data-edge="ReserveInventory->ShipOrder"]').count()).toBe(0);
    // AND the retry and the caught error are marked.
    expect(await tab.locator('.node[data-path="ProcessPayment"] .badge.retry').textContent()).toBe('↻ 1 retry');
    expect(await tab.locator('.node[data-path="ReserveInventory"] .badge.caught').textContent()).toBe('⚠ caught OutOfStockError');

    // WHEN a state is clicked THEN its input, output, error and timing show.
    await tab.click('.node[data-path="ProcessPayment"]');
    expect(await tab.locator('#details h2').textContent()).toBe('ProcessPayment');
    const input = JSON.parse((await tab.locator('#details pre.input').first().textContent()) ?? 'null');
    const output = JSON.parse((await tab.locator('#details pre.output').first().textContent()) ?? 'null');
    expect(input.order.orderId).toBe('o-1001');
    expect(output.payment.paymentId).toBe('pay_o-1001');
    expect(await tab.locator('#details p.error.retried').textContent()).toMatch(/^retried after PaymentTransientError/);
    expect(await tab.locator('#details p.timing').textContent()).toMatch(/2 attempts \(1 retry\)/);
    // AND the timeline lists every event, its rows tied to the selected state.
    expect(await tab.locator('#timeline tbody tr').count()).toBe(result.history.length);
    expect(await tab.locator('#timeline tr.selected').count()).toBeGreaterThan(3);

    const shot = process.env.STEPWISE_UPDATE_SCREENSHOT === '1' ? '../../docs/viewer.png' : '../../stepwise-coverage/viewer.png';
    await tab.screenshot({ path: join(__dirname, shot), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  browserIt(`refuses every request: a page that tries to load something is reported${skipNote}`, async () => {
    // The check above can fail: this page asks for an image and the interception notes it.
    const ctx = context as BrowserContext;
    const requests: string[] = [];
    await ctx.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const tab = await ctx.newPage();
    await tab.setContent('<img src="https://example.invalid/x.png">');
    await tab.waitForTimeout(200);
    expect(requests).toEqual(['https://example.invalid/x.png']);
    await ctx.unrouteAll();
  });
});
