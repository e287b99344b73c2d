// Succeed: ends the machine successfully with its (filtered) input.
import type { StateRunner } from '../runtime';
import { dataFlow, then, type StateCompiler } from './common';

export function compileSucceed(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, {});
  return (input, scope) => then(flow.finish(input, flow.effective(input, scope), scope), (f) => ({ next: undefined, output: f.output }));
}
