// Parallel: runs every branch on the same input; the output is the array of branch outputs in order.
import { StatesError, StatesErrors } from '../errors';
import type { StateRunner } from '../runtime';
import type { Json } from '../types';
import { dataFlow, isPromise, type StateCompiler } from './common';

export function compileParallel(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultSelector: true, resultPath: true });
  const branches = Array.isArray(c.def.Branches) ? c.def.Branches.map((b, i) => c.machine(b, `${c.pointer}/Branches/${i}`)) : [];
  if (!Array.isArray(c.def.Branches) || c.def.Branches.length === 0) c.problem('Branches', 'A Parallel state needs a non-empty Branches array');
  const next = c.next;
  return (input, scope) => {
    const effective = flow.input(input, scope);
    scope.record('ParallelStateStarted');
    const results: (Json | Promise<Json>)[] = [];
    const failed = (e: unknown): never => {
      if (!(e instanceof StatesError && e.error === StatesErrors.Runtime)) scope.failWith('ParallelStateFailed');
      throw e;
    };
    try {
      for (const b of branches) results.push(scope.runtime.runMachine(b, effective, scope));
    } catch (e) {
      failed(e);
    }
    const done = (outputs: Json[]) => {
      scope.record('ParallelStateSucceeded');
      return { next, output: flow.output(input, outputs, scope) };
    };
    if (!results.some(isPromise)) return done(results as Json[]);
    return Promise.all(results).then(done, failed);
  };
}
