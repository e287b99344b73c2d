// Parallel: runs every branch on the same input; the output is the array of branch outputs in order.
import { StatesError, StatesErrors } from '../errors';
import type { StateRunner } from '../runtime';
import type { Json } from '../types';
import { dataFlow, isPromise, then, type StateCompiler } from './common';

export function compileParallel(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultSelector: true, resultPath: true });
  const branches = Array.isArray(c.def.Branches) ? c.def.Branches.map((b, i) => c.machine(b, `${c.pointer}/Branches/${i}`)) : [];
  if (!Array.isArray(c.def.Branches) || c.def.Branches.length === 0) c.problem('Branches', 'A Parallel state needs a non-empty Branches array');
  const next = c.next;
  return (input, scope) =>
    then(flow.args(input, scope), (branchInput) => {
      scope.record('ParallelStateStarted');
      const failed = (e: unknown): never => {
        if (!(e instanceof StatesError && e.error === StatesErrors.Runtime)) scope.failWith('ParallelStateFailed');
        throw e;
      };
      const results: (Json | Promise<Json>)[] = [];
      try {
        for (const b of branches) results.push(scope.runtime.runMachine(b, branchInput, scope));
      } catch (e) {
        failed(e);
      }
      const done = (outputs: Json[]) => {
        scope.record('ParallelStateSucceeded');
        return flow.finish(input, outputs, scope, next);
      };
      if (!results.some(isPromise)) return done(results as Json[]);
      return Promise.all(results).then(done, failed);
    });
}
