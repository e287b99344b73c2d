// Pass: passes its input (or `Result`, or `Parameters`; in JSONata, `Output`) to its output.
import type { StateRunner } from '../runtime';
import { dataFlow, then, type StateCompiler } from './common';

export function compilePass(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultPath: true });
  const hasResult = c.def.Result !== undefined;
  const result = c.def.Result ?? null;
  const next = c.next;
  return (input, scope) =>
    then(flow.args(input, scope), (effective) =>
      then(flow.finish(input, flow.jsonata ? input : hasResult ? result : effective, scope), (f) => ({ next, output: f.output, assigned: f.assigned })),
    );
}
