import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fn, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { execute, compile, type Json, type MachineDefinition } from '../../lib/asl';
import { readStack } from '../../lib/local/assembly';
import { stateMachinesOf } from '../../lib/local/state-machines';
import {
  createTaskMock,
  fromCloudAssembly,
  loadStateMachine,
  loadStateMachines,
  parseMockConfig,
  stepwiseMatchers,
  historySerializer,
  MockConfigError,
  testApp,
} from '../../lib/testing';
import { foreignStack } from '../fixtures/foreign/app';
import { OrderStack } from '../../lib/constructs/order-stack';

expect.extend(stepwiseMatchers);
expect.addSnapshotSerializer(historySerializer);

// The foreign app, bundled and synthesized once into a folder of its own for the tests that need
// its bundle: each bundling runs esbuild through npx (about 0.8 s and 0.8 CPU-seconds).
const bundledOutdir = mkdtempSync(join(tmpdir(), 'stepwise-cdkout-'));
const bundledApp = testApp({ outdir: bundledOutdir, bundling: true, context: { extra: 'kept' } });
const bundledStack = foreignStack(bundledApp);
bundledApp.synth();

describe("a CDK app that is not Stepwise's", () => {
  // Its function is not a Stepwise construct: it runs from its esbuild bundle, so keep bundling.
  const workflow = loadStateMachine(bundledStack);

  it('is found with its Lambda, and runs the esbuild bundle from the cloud assembly', async () => {
    // Under Jest the default is the TypeScript entry (test/local/foreign-source.test.ts); ask for the bundle.
    const r = await workflow.run({ numbers: [3, 8], label: 'x' }, { handlers: { mode: 'asset' } });
    expect(r).toSucceed();
    const out = r.output as { results: { doubled: number; ranFrom: string; greeting: string }[]; size: string };
    expect(out.results.map((x) => x.doubled)).toEqual([6, 16]);
    expect(out.size).toBe('small');
    expect(out.results[0]?.ranFrom).toMatch(/asset\.[0-9a-f]{64}[/\\]index\.js$/);
    expect(out.results[0]?.greeting).toBe('hello');
    expect(r).toHaveTransitionedThrough(['Prepare', 'EachNumber', 'Double', 'Double', 'HowBig', 'Small']);
  });

  it("reports a handler's thrown error with its name and a Node.js-style cause", async () => {
    const r = await workflow.run({ numbers: ['nope'], label: 'x' });
    expect(r).toFailWith('BadInput', /"errorMessage":"n must be a number, got \\"nope\\""/);
  });

  it('times a handler out after the function Timeout with Sandbox.Timedout', async () => {
    // The handler sleeps 1.5 s past its 1 s Timeout; Jest's fake timers stand in for both (promises
    // and setImmediate stay real), so the run takes no real second.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    try {
      let done = false;
      const pending = workflow.run({ numbers: [99], label: 'x' }).finally(() => (done = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await pending).toFailWith('Sandbox.Timedout', /Task timed out after 1.00 seconds/);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads the same app from a synthesized cloud assembly folder', async () => {
    const fromDisk = fromCloudAssembly(bundledOutdir, 'Foreign');
    const r = await fromDisk.run({ numbers: [6], label: 'y' });
    expect(r).toSucceed();
    expect((r.output as { size: string }).size).toBe('big');
    expect(fromDisk.stateMachine.constructPath).toBe('Foreign/Machine');
  });
});

describe('testApp', () => {
  const bundles = (outdir: string) => readdirSync(outdir).filter((d) => d.startsWith('asset.') && existsSync(join(outdir, d, 'index.js')));

  it('skips bundling and the CloudFormation validation, and the order workflow still runs from its sources', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'stepwise-testapp-'));
    const stack = new OrderStack(testApp({ outdir }), 'Fast');
    const orders = loadStateMachine(stack);
    expect(bundles(outdir)).toEqual([]);
    expect(existsSync(join(outdir, 'validation-report.json'))).toBe(false);
    // An order without items is refused by the real ValidateOrder handler, run from lambda/.
    // The direct DynamoDB/EventBridge steps need a local DynamoDB or a mock; this run mocks them.
    const done = { Return: {} };
    const r = await orders.run(
      { orderId: 'o-1', customerId: 'c-1', items: [] },
      { mocks: { RecordOrderCompleted: done, RecordOrderFailed: done, PublishOrderConfirmed: done } },
    );
    expect(r).toFailWith('InvalidOrderError');
    expect(r).toHaveTransitionedThrough(['ValidateOrder']);
  });

  it('bundles when asked, for runs of the bundles', () => {
    // bundledApp, above: testApp({ outdir, bundling: true, context: { extra: 'kept' } }), synthesized.
    expect(bundles(bundledOutdir)).toHaveLength(1);
    expect(bundledApp.node.tryGetContext('extra')).toBe('kept');
  });

  it('says how to fix a run of a bundle that was never built (a setup error: the run rejects)', async () => {
    // Under Jest the TypeScript entry would run (test/local/foreign-source.test.ts): ask for the bundle.
    const run = loadStateMachine(foreignStack(testApp())).run({ numbers: [1], label: 'x' }, { handlers: { mode: 'asset' } });
    await expect(run).rejects.toThrow(/No code found to run function Foreign\/Doubler.*testApp\(\{ bundling: true \}\)/);
  });
});

describe('loading', () => {
  it('names the state and the token it cannot resolve', () => {
    const stack = new Stack(testApp(), 'Unresolvable');
    new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromString(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation ${...} substitution, not a template literal
        JSON.stringify({ StartAt: 'Lookup', States: { Lookup: { Type: 'Pass', Parameters: { table: '${Table}' }, End: true } } }),
      ),
      definitionSubstitutions: { Table: Fn.importValue('SharedTableName') },
    });
    expect(() => stateMachinesOf(readStack(stack))).toThrow(/state 'Lookup'.*Fn::ImportValue is not supported locally/);
  });

  it("resolves Ref, Fn::Sub and Fn::GetAtt names against the template's own resources and parameters only", () => {
    for (const [id, token] of [
      ['Ref', Fn.ref('toString')],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation ${...} substitution, not a template literal
      ['Sub', Fn.sub('${constructor}')],
      ['GetAtt', Fn.getAtt('hasOwnProperty', 'Arn')],
    ] as const) {
      const stack = new Stack(testApp(), `Inherited${id}`);
      new sfn.StateMachine(stack, 'M', {
        definitionBody: sfn.DefinitionBody.fromString(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation ${...} substitution, not a template literal
          JSON.stringify({ StartAt: 'Use', States: { Use: { Type: 'Pass', Parameters: { v: '${V}' }, End: true } } }),
        ),
        definitionSubstitutions: { V: token.toString() },
      });
      expect(() => stateMachinesOf(readStack(stack))).toThrow(/state 'Use'.*no resource (or parameter )?named (toString|constructor|hasOwnProperty)/);
    }
  });

  it('resolves DefinitionSubstitutions, Ref and GetAtt to local names and ARNs', () => {
    const stack = new Stack(testApp(), 'Subs');
    const other = new sfn.StateMachine(stack, 'Other', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
    new sfn.StateMachine(stack, 'M', {
      definitionBody: sfn.DefinitionBody.fromString(
        JSON.stringify({
          StartAt: 'A',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation ${...} substitution, not a template literal
          States: { A: { Type: 'Pass', Parameters: { arn: '${OtherArn}', region: '${Region}', literal: '${toString}' }, End: true } },
        }),
      ),
      definitionSubstitutions: { OtherArn: other.stateMachineArn, Region: Stack.of(stack).region },
    });
    const m = loadStateMachines(stack).find((w) => w.stateMachine.logicalId.startsWith('M'));
    const params = m?.stateMachine.definition.States.A?.Parameters as { arn: string; region: string; literal: string };
    expect(params.arn).toMatch(/^arn:aws:states:us-east-1:123456789012:stateMachine:Other/);
    expect(params.region).toBe('us-east-1');
    // Not a substitution of this template: left as written.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation ${...} substitution, not a template literal
    expect(params.literal).toBe('${toString}');
  });

  it('lists the choices when a selector matches no state machine', () => {
    expect(() => loadStateMachine(foreignStack(testApp()), 'Nope')).toThrow(/No state machine matches 'Nope'; choose one of: Foreign\/Machine/);
  });
});

describe('mocks', () => {
  const def = compile({
    StartAt: 'Pay',
    States: {
      Pay: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'pay' },
        Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 3 }],
        Next: 'Each',
      },
      Each: {
        Type: 'Map',
        ItemsPath: '$.Payload.items',
        ItemProcessor: { StartAt: 'Ship', States: { Ship: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:ship', End: true } } },
        End: true,
      },
    },
  });
  const file = parseMockConfig({
    StateMachines: {
      Orders: {
        TestCases: {
          HappyPath: { Pay: 'PayOk', Ship: 'ShipTwice' },
          RetryThenOk: { Pay: 'PayFlaky', Ship: 'ShipTwice' },
          ShipMissing: { Pay: 'PayOk', Ship: 'ShipOnce' },
        },
      },
    },
    MockedResponses: {
      PayOk: { '0': { Return: { StatusCode: 200, Payload: { items: [1, 2] } } } },
      PayFlaky: { '0-1': { Throw: { Error: 'Transient', Cause: 'try again' } }, '2': { Return: { Payload: { items: [7] } } } },
      ShipTwice: { '0-1': { Return: 'shipped' } },
      ShipOnce: { '0': { Return: 'shipped' } },
    },
  });
  const run = (testCase: string) => execute(def, {}, { mock: createTaskMock({ file, stateMachine: 'Orders', testCase }), seed: 1 });

  it('returns the mocked response as the task result, without the Lambda envelope', async () => {
    const r = await run('HappyPath');
    expect(r).toSucceed();
    expect(r.output).toEqual(['shipped', 'shipped']);
  });

  it('consumes invocation keys across retries, with inclusive ranges', async () => {
    const r = await run('RetryThenOk');
    expect(r.output).toEqual(['shipped']);
    expect(r.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(2);
  });

  it('fails an invocation that no key covers', async () => {
    const r = await run('ShipMissing');
    expect(r.status).toBe('FAILED');
    expect(r.cause).toContain("has no entry for invocation 1 of state 'Ship'");
  });

  it('names the unknown test case and lists the known ones', () => {
    expect(() => createTaskMock({ file, stateMachine: 'Orders', testCase: 'Nope' })).toThrow(
      /no test case 'Nope'; it has: HappyPath, RetryThenOk, ShipMissing/,
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['both Return and Throw', { StateMachines: {}, MockedResponses: { R: { '0': { Return: 1, Throw: { Error: 'E' } } } } }, /exactly one of Return or Throw/],
    ['a bad invocation key', { StateMachines: {}, MockedResponses: { R: { first: { Return: 1 } } } }, /key "first" must be an invocation index/],
    [
      'a test case naming no response',
      { StateMachines: { S: { TestCases: { T: { A: 'Missing' } } } }, MockedResponses: {} },
      /names the mocked response "Missing"/,
    ],
    [
      'a test case naming an Object method as its response',
      { StateMachines: { S: { TestCases: { T: { A: 'toString' } } } }, MockedResponses: {} },
      /names the mocked response "toString"/,
    ],
    ['a Throw without Error', { StateMachines: {}, MockedResponses: { R: { '0': { Throw: { Cause: 'c' } } } } }, /Throw must be/],
  ])('refuses a mock file with %s', (_name, cfg, message) => {
    expect(() => parseMockConfig(cfg)).toThrow(MockConfigError);
    expect(() => parseMockConfig(cfg)).toThrow(message);
  });

  it('leaves a state named like an Object method unmocked', async () => {
    const machine = compile({
      StartAt: 'toString',
      States: { toString: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:real', End: true } },
    } as MachineDefinition);
    const r = await execute(machine, {}, { seed: 1, lambda: () => 'from the function', mock: createTaskMock({ states: { Other: { Return: 'mocked' } } }) });
    expect(r.output).toBe('from the function');
  });

  it('mocks one state by name in a test, with a function per invocation', async () => {
    const r = await execute(
      def,
      {},
      {
        seed: 1,
        mock: createTaskMock({
          states: { Pay: { Return: { Payload: { items: ['a'] } } }, Ship: (req, n) => ({ Return: { item: req.parameters, n } as Json }) },
        }),
      },
    );
    expect(r.output).toEqual([{ item: 'a', n: 0 }]);
  });
});

describe('snapshot serializer', () => {
  it('keeps histories stable: ARNs, UUIDs and times normalized', async () => {
    const r = await execute(
      compile({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id', 'u.$': 'States.UUID()' }, Next: 'W' },
          W: { Type: 'Wait', Seconds: 5, End: true },
        },
      }),
      {},
    );
    expect(r.history).toMatchSnapshot();
  });
});

describe('matchers', () => {
  it('explain what the execution did when they fail', async () => {
    const r = await execute(compile({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } }), {});
    expect(() => expect(r).toSucceed()).toThrow(/it ended FAILED after \[F\], error Nope: because/);
    expect(() => expect(r).toHaveVisited('G')).toThrow(/to visit G; it went \[F\]/);
    expect(() => expect(r).toHaveTransitionedThrough(['F', 'G'])).toThrow(/missing from G/);
    expect(() => expect({ status: 'x' }).toSucceed()).toThrow(/expects an ExecutionResult/);
    expect(r).toFailWith('Nope', 'because');
  });
});
