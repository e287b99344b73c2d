// Parallel: runs every branch on the same input; the output is the array of branch outputs in
// order. The first failing branch stops the others (the scheduler cancels them) and fails the state.
import { StatesErrors } from '../errors';
import type { CompiledMachine, StateRunner } from '../runtime';
import { dataFlow, then, type StateCompiler } from './common';

export function compileParallel(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, { parameters: true, resultSelector: true, resultPath: true });
  const branches = Array.isArray(c.def.Branches) ? c.def.Branches.map((b, i) => c.machine(b, `${c.pointer}/Branches/${i}`)) : [];
  if (!Array.isArray(c.def.Branches) || c.def.Branches.length === 0) c.problem('Branches', 'A Parallel state needs a non-empty Branches array');
  const next = c.next;
  const machine = (i: number): CompiledMachine => {
    const branch = branches[i];
    if (branch === undefined) throw new Error(`Parallel state '${c.name}' has no branch ${i} (of ${branches.length})`);
    return branch;
  };
  return (input, scope) =>
    then(flow.args(input, scope), (branchInput) => {
      scope.record('ParallelStateStarted');
      const run = scope.runChildren({ count: branches.length, concurrency: 0, machine, input: () => branchInput, stopsOn: () => true });
      return then(run, (done) => {
        if (done.stopped) {
          if (done.stopped.error !== StatesErrors.Runtime) scope.failWith('ParallelStateFailed');
          throw done.stopped;
        }
        scope.record('ParallelStateSucceeded');
        return flow.finish(input, done.outputs, scope, next, done.size);
      });
    });
}
