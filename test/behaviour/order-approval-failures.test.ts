// The approval step's failure paths, which the main behaviour suite does not reach: the approver
// answers with a failure, or never answers. Both leave RequestApproval through its Catch, so with
// these the order suite exercises every state and every Catch (see the coverage reporter's table).
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { VirtualClock, type Json } from '../../lib/asl';
import { OrderStack } from '../../lib/constructs/order-stack';
import { addExecution } from '../../lib/insight/coverage';
import { readStack } from '../../lib/local/assembly';
import { loadStateMachine, startLocalDynamoDb, stepwiseMatchers, testApp, type LocalDynamoDb, type LocalWorkflow } from '../../lib/testing';
import { sampleOrder } from '../helpers/dynamodb';

expect.extend(stepwiseMatchers);

const stack = new OrderStack(testApp(), 'ApprovalFailures', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
let standard: LocalWorkflow;
let dynamo: LocalDynamoDb;

beforeAll(async () => {
  standard = loadStateMachine(stack);
  dynamo = await startLocalDynamoDb([readStack(stack)]);
  await dynamo.put('InventoryTable', [{ sku: 'piano', stock: 5 }]);
});
afterAll(() => dynamo.stop());

const bigOrder = (id: string) => sampleOrder({ orderId: id, items: [{ sku: 'piano', quantity: 1, unitPrice: 150_000 }] }) as Json;

describe('approval failures', () => {
  it('fails the order through the Catch when the approver reports a failure', async () => {
    const exec = standard.start(bigOrder('appr-fail'), {
      handlers: { environment: dynamo.environment },
      dynamodb: dynamo,
      onTaskToken: (token) => setImmediate(() => exec.sendTaskFailure(token, 'ApproverUnavailable', 'the approvals service is down')),
    });
    const r = await exec.result;
    expect(r).toHaveTransitionedThrough(['RequestApproval', 'OrderFailed']);
    expect(r).not.toHaveVisited('ApprovalDecision');
    expect(r.status).toBe('FAILED');
    const hits = addExecution(standard.stateMachine.definition, r).hits;
    expect(hits['catch:RequestApproval#0']).toBe(1);
    expect(hits['callback:RequestApproval#failed']).toBe(1);
  });

  it('fails the order through the Catch when no answer comes within the seven-day timeout', async () => {
    const clock = new VirtualClock(0);
    // Timers (the callback's TimeoutSeconds) fire when the test advances the virtual clock.
    const exec = standard.start(bigOrder('appr-timeout'), {
      clock,
      handlers: { environment: dynamo.environment },
      dynamodb: dynamo,
      onTaskToken: () => setImmediate(() => clock.advance(604_800_000)),
    });
    const r = await exec.result;
    expect(r).toHaveTransitionedThrough(['RequestApproval', 'OrderFailed']);
    expect(r.history.some((e) => e.type === 'TaskTimedOut')).toBe(true);
    // Virtual time: the week passes at once.
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBeGreaterThanOrEqual(604_800_000);
    const hits = addExecution(standard.stateMachine.definition, r).hits;
    expect(hits['catch:RequestApproval#0']).toBe(1);
    expect(hits['callback:RequestApproval#timedOut']).toBe(1);
  });
});
