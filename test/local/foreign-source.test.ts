// A CDK app's own NodejsFunction runs from its TypeScript entry under Jest, with no code of the app's
// own (so `jest --coverage` covers it and `jest --watch` reruns on a handler edit).
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { discoverEntries } from '../../lib/local/entry-discovery';
import { loadStateMachine, stepwiseMatchers, testApp } from '../../lib/testing';
import { foreignStack } from '../fixtures/foreign/app';

expect.extend(stepwiseMatchers);

const entry = join(__dirname, '..', 'fixtures', 'foreign', 'handler.ts');
// The app with bundling, built once for the two tests that need it (esbuild runs through npx: about
// 0.8 s and 0.8 CPU-seconds a bundling).
const bundled = foreignStack(testApp({ bundling: true }));

describe('entry discovery', () => {
  it("finds a NodejsFunction's entry by its construct path, bundled or not", () => {
    expect(discoverEntries(foreignStack(testApp()))).toEqual(new Map([['Foreign/Doubler', entry]]));
    expect(discoverEntries(bundled)).toEqual(new Map([['Foreign/Doubler', entry]]));
  });

  it('finds nothing for a function that was not bundled from an entry', () => {
    const stack = new Stack(testApp(), 'Inline');
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
    });
    expect(discoverEntries(stack).size).toBe(0);
  });
});

describe("a foreign app's handler under Jest", () => {
  it('runs from its TypeScript entry, even when the app skips bundling', async () => {
    const workflow = loadStateMachine(foreignStack(testApp()));
    const r = await workflow.run({ numbers: [2], label: 'x' });
    expect(r).toSucceed();
    expect((r.output as { results: { ranFrom: string }[] }).results[0]?.ranFrom).toBe(entry);
  });

  it('runs from its TypeScript entry when the app bundles, too', async () => {
    const workflow = loadStateMachine(bundled);
    const r = await workflow.run({ numbers: [2], label: 'x' });
    expect((r.output as { results: { ranFrom: string }[] }).results[0]?.ranFrom).toBe(entry);
  });
});
