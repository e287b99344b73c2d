// The benchmark compares like with like only if every engine computes the same thing: check that
// Stepwise and the handwritten baselines agree on each workload's output.
import { compile, execute, type Json } from '../../lib/asl';
import { orderWithBookkeeping } from '../../bench/bookkeeping';
import { WORKLOADS, TASKS, orderDefinition, orderInput } from '../../bench/workloads';

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

  // The bound is only a bound if it does what Stepwise does: the same output and as many events.
  it('order with bookkeeping: same output as Stepwise, which records the 181 events the bound records', async () => {
    const r = await execute(compile(orderDefinition, { type: 'EXPRESS' }), orderInput, { lambda, seed: 1 });
    expect(r.history).toHaveLength(181);
    expect(await orderWithBookkeeping(JSON.parse(JSON.stringify(orderInput)) as Json)).toEqual(r.output);
  });

  it('order with bookkeeping fails on a payload over the limit, as Stepwise does', async () => {
    const big = { ...(orderInput as object), note: 'x'.repeat(300 * 1024) } as Json;
    await expect(orderWithBookkeeping(big)).rejects.toThrow('States.DataLimitExceeded');
    const r = await execute(compile(orderDefinition, { type: 'EXPRESS' }), big, { lambda, seed: 1 });
    expect(r.error).toBe('States.DataLimitExceeded');
  });
});
