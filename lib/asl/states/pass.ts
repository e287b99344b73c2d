// Pass: passes its input (or `Result`, or `Parameters`) to its output.
import type { StateRunner } from '../runtime';
import { dataFlow, type StateCompiler } from './common';

export function compilePass(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultPath: true });
  const hasResult = c.def.Result !== undefined;
  const result = c.def.Result ?? null;
  const next = c.next;
  return (input, scope) => {
    const effective = flow.input(input, scope);
    return { next, output: flow.output(input, hasResult ? result : effective, scope) };
  };
}
