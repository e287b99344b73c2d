// README example: the interpreter alone (type-checked by `npm test`).
import { compile, execute, type Json, type MachineDefinition } from 'stepwise-cdk';

const definition: MachineDefinition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
  },
};
const handlers: Record<string, (payload: Json) => Json> = { charge: (order) => ({ charged: order }) };

export async function main(): Promise<void> {
  const machine = compile(definition); // validates; throws DefinitionError listing every problem with a JSON pointer
  const result = await execute(
    machine,
    { total: 40 },
    {
      lambda: async (functionName, payload) => handlers[functionName]?.(payload) ?? null,
      seed: 1, // repeatable names, UUIDs, tokens, jitter
    },
  );
  console.log(result.status); // 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'
  console.log(result.history); // GetExecutionHistory-shaped events
}
