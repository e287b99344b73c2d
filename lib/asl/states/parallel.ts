// Parallel: runs every branch on the same input; the output is the array of branch outputs in order.
import { StatesError, StatesErrors } from '../errors';
import type { CompiledMachine, StateRunner, StepResult, ThreadSink } from '../runtime';
import type { Json } from '../types';
import { dataFlow, then, type Maybe, type StateCompiler } from './common';

export function compileParallel(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultSelector: true, resultPath: true });
  const branches = Array.isArray(c.def.Branches) ? c.def.Branches.map((b, i) => c.machine(b, `${c.pointer}/Branches/${i}`)) : [];
  if (!Array.isArray(c.def.Branches) || c.def.Branches.length === 0) c.problem('Branches', 'A Parallel state needs a non-empty Branches array');
  const next = c.next;
  return (input, scope) =>
    then(flow.args(input, scope), (branchInput) => {
      scope.record('ParallelStateStarted');
      const failWith = (e: unknown): never => {
        if (!(e instanceof StatesError && e.error === StatesErrors.Runtime)) scope.failWith('ParallelStateFailed');
        throw e;
      };
      const done = () => {
        scope.record('ParallelStateSucceeded');
        return flow.finish(input, outputs, scope, next, sizesKnown ? outputsSize : undefined);
      };
      // Branches report to the sink; once one waits, the state's promise settles on the last
      // success or the first failure (before that, a failure is thrown to the state).
      const outputs: Json[] = new Array<Json>(branches.length);
      let remaining = branches.length;
      let outputsSize = 2;
      let sizesKnown = true;
      let closed = false;
      let resolve: ((r: Maybe<StepResult>) => void) | undefined;
      let reject: ((e: unknown) => void) | undefined;
      const sink: ThreadSink = {
        settled(i, output, size) {
          outputs[i] = output;
          if (size === undefined) sizesKnown = false;
          else outputsSize += size + 1;
          remaining -= 1;
          if (remaining > 0 || !resolve || closed) return;
          closed = true;
          try {
            resolve(done());
          } catch (e) {
            (reject as (e: unknown) => void)(e);
          }
        },
        failed(_i, e) {
          if (!resolve) failWith(e);
          if (closed) return;
          closed = true;
          try {
            failWith(e);
          } catch (err) {
            (reject as (e: unknown) => void)(err);
          }
        },
      };
      for (let i = 0; i < branches.length; i++) scope.runtime.runThread(branches[i] as CompiledMachine, branchInput, scope, false, i, sink);
      if (remaining === 0) return done();
      return new Promise<StepResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
    });
}
