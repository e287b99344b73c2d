// Step Functions Local mock files on the endpoint: start `<stateMachineArn>#<TestCase>`.
import { StartExecutionCommand, StartSyncExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { parseMockConfig } from '../../lib/local/mocks';
import type { StepwiseServer } from '../../lib/server/server';
import { ROLE, errorOf, serve, sfnClient, waitForEnd } from './harness';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';

const SHOP = {
  StartAt: 'Pay',
  States: {
    Pay: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'pay', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Check',
    },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Declined' },
    Done: { Type: 'Succeed' },
    Declined: { Type: 'Fail', Error: 'PaymentDeclined', Cause: 'card refused' },
  },
};

let server: StepwiseServer;
let sfn: SFNClient;
let standard: string;
let express: string;

beforeAll(async () => {
  server = await serve({
    virtualTime: true,
    mockFile: parseMockConfig({
      StateMachines: { Shop: { TestCases: { Ok: { Pay: 'PayOk' }, Refused: { Pay: 'PayRefused' } } }, ShopExpress: { TestCases: { Ok: { Pay: 'PayOk' } } } },
      MockedResponses: { PayOk: { '0': { Return: { Payload: { ok: true, id: 7 } } } }, PayRefused: { '0': { Return: { Payload: { ok: false } } } } },
    }),
  });
  sfn = sfnClient(server);
  standard = (await sfn.send(new CreateStateMachineCommand({ name: 'Shop', definition: JSON.stringify(SHOP), roleArn: ROLE }))).stateMachineArn as string;
  express = (await sfn.send(new CreateStateMachineCommand({ name: 'ShopExpress', type: 'EXPRESS', definition: JSON.stringify(SHOP), roleArn: ROLE })))
    .stateMachineArn as string;
});
afterAll(async () => {
  sfn.destroy();
  await server.close();
});

describe('mock file test cases', () => {
  it('answers the mocked states of the chosen test case', async () => {
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${standard}#Ok`, input: '{}' }));
    expect(ok.executionArn).toMatch(/:execution:Shop:/);
    expect(await waitForEnd(sfn, ok.executionArn as string)).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true,"id":7}' });
    const refused = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${standard}#Refused`, input: '{}' }));
    expect(await waitForEnd(sfn, refused.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'PaymentDeclined' });
    const sync = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: `${express}#Ok`, input: '{}' }));
    expect(sync.status).toBe('SUCCEEDED');
  });

  it('runs the real handler without a test case (and fails here, as no function is served)', async () => {
    const r = await sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input: '{}' }));
    expect(await waitForEnd(sfn, r.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });

  it('refuses an unknown test case with ValidationException naming the known ones', async () => {
    expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: `${standard}#Nope` })))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Nope.*Ok, Refused/),
    });
  });
});
