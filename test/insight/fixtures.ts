// Small machines the insight tests run: every Choice, Retry, Catch, Parallel and Map feature
// coverage, the viewer and the cost estimate read, in a few states.
import { StatesError, type Json, type MachineDefinition, type TaskHandler } from '../../lib/asl';

/** Route → (Parallel of Fetch/Check) → Charge (Retry, Catch) → Items (Map of Reserve with Catch) → Done. */
export const shop: MachineDefinition = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.kind', StringEquals: 'gift', Next: 'Checks' },
        { Variable: '$.kind', StringEquals: 'promo', Next: 'Checks' },
        { Variable: '$.total', NumericGreaterThan: 1000, Next: 'Rejected' },
      ],
      Default: 'Checks',
    },
    Checks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Fetch', States: { Fetch: { Type: 'Pass', End: true } } },
        { StartAt: 'Check', States: { Check: { Type: 'Task', Resource: 'arn:aws:states:::shop:check', End: true } } },
      ],
      ResultPath: null,
      Next: 'Charge',
    },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::shop:charge',
      Retry: [
        { ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 2 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 },
      ],
      Catch: [
        { ErrorEquals: ['Declined'], Next: 'Rejected', ResultPath: '$.error' },
        { ErrorEquals: ['States.ALL'], Next: 'Rejected', ResultPath: '$.error' },
      ],
      ResultPath: '$.charge',
      Next: 'Items',
    },
    Items: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Reserve', States: { Reserve: { Type: 'Task', Resource: 'arn:aws:states:::shop:reserve', End: true } } },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Rejected', ResultPath: '$.error' }],
      ResultPath: '$.reserved',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Rejected: { Type: 'Fail', Error: 'Rejected' },
  },
};

/** Answers the shop's tasks from the input: `charge` fails with the listed errors in turn, `reserve` fails on sku 'none'. */
export function shopTasks(chargeErrors: string[] = []): TaskHandler {
  let charges = 0;
  return (req): Json => {
    if (req.resource.endsWith('check')) return { ok: true };
    if (req.resource.endsWith('charge')) {
      const e = chargeErrors[charges++];
      if (e) throw new StatesError(e, `charge attempt ${charges} failed`);
      return { id: 'ch-1' };
    }
    const item = req.parameters as { sku: string };
    if (item.sku === 'none') throw new StatesError('OutOfStock', `${item.sku} is out of stock`);
    return { sku: item.sku };
  };
}
