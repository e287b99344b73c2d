// Succeed: ends the machine successfully with its (filtered) input.
import type { StateRunner } from '../runtime';
import { dataFlow, type StateCompiler } from './common';

export function compileSucceed(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, {});
  return (input, scope) => flow.finish(input, flow.effective(input, scope), scope, undefined);
}
