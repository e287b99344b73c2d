// The benchmark compares like with like only if every engine computes the same thing: check that
// Stepwise and the handwritten baselines agree on each workload's output.
import { compile, execute, type Json } from '../../lib/asl';
import { WORKLOADS, TASKS } from '../../bench/workloads';

const lambda = (name: string, payload: Json) => (TASKS[name.slice(name.lastIndexOf(':') + 1)] as (i: Json) => Promise<Json>)(payload);
const withoutUuids = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'));

describe('benchmark workloads', () => {
  it.each(WORKLOADS.map((w) => [w.name, w] as const))('%s: Stepwise and the handwritten version produce the same output', async (_name, w) => {
    const r = await execute(compile(w.definition, { type: 'EXPRESS' }), w.input, { lambda, seed: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(withoutUuids(r.output)).toEqual(withoutUuids(await w.handwritten(w.input)));
    // The transition count the benchmark reports per execution is the number of states entered.
    expect(r.statesEntered).toHaveLength(w.transitions);
  });
});
