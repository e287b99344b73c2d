// Pass: passes its input (or `Result`, or `Parameters`; in JSONata, `Output`) to its output.
import type { StateRunner } from '../runtime';
import type { Json } from '../types';
import { cloneJson, freezeDeep } from '../data/isolate';
import { dataFlow, type StateCompiler } from './common';

export function compilePass(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultPath: true });
  const hasResult = c.def.Result !== undefined;
  // A copy of the definition's Result, frozen: outputs share it and nobody may change it.
  const result = freezeDeep(cloneJson(c.def.Result ?? null));
  const next = c.next;
  if (flow.jsonata) return (input, scope) => flow.finish(input, input, scope, next);
  return (input, scope) => flow.finish(input, hasResult ? result : (flow.args(input, scope) as Json), scope, next);
}
