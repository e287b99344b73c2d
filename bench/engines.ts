// One adapter per engine: prepare a definition once, then run it on an input.
import type { Json, MachineDefinition } from '../lib/asl';
import { TASKS } from './tasks';

export type EngineName = 'stepwise' | 'peer' | 'handwritten';

export interface Prepared {
  run(input: Json): Promise<Json>;
}

const taskName = (resource: string) => resource.slice(resource.lastIndexOf(':') + 1);

/** Stepwise: compile once; Lambda ARNs call the shared task functions. `history: false` is the load-test mode. */
export async function prepareStepwise(definition: MachineDefinition, history = true): Promise<Prepared> {
  const { compile, execute } = await import('../lib/asl');
  // EXPRESS: like the peer, no 25,000-event history limit (the wide map records ~80,000 events).
  const machine = compile(definition, { type: 'EXPRESS' });
  // Resolved once per function name, as the peer's handlers are resolved once per state name.
  const byName = new Map<string, (input: Json) => Promise<Json>>();
  const lambda = (name: string, payload: Json) => {
    let fn = byName.get(name);
    if (!fn) byName.set(name, (fn = TASKS[taskName(name)] as (i: Json) => Promise<Json>));
    return fn(payload);
  };
  return {
    async run(input) {
      const r = await execute(machine, input, { lambda, seed: 1, history });
      if (r.status !== 'SUCCEEDED') throw new Error(`stepwise: ${r.status} ${r.error}: ${r.cause}`);
      return r.output as Json;
    },
  };
}

/** aws-local-stepfunctions: task states overridden by name with the same functions. */
export async function preparePeer(definition: MachineDefinition): Promise<Prepared> {
  const withResolvers = Promise as unknown as { withResolvers?: unknown };
  if (!withResolvers.withResolvers) {
    // Node 20 lacks Promise.withResolvers, which the peer needs (polyfilled for the peer only).
    withResolvers.withResolvers = <T>() => {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
  const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  const collect = (def: MachineDefinition) => {
    for (const [name, s] of Object.entries(def.States)) {
      if (s.Type === 'Task' && s.Resource) handlers[name] = TASKS[taskName(s.Resource)] as (i: Json) => Promise<Json>;
      for (const b of s.Branches ?? []) collect(b);
      if (s.ItemProcessor) collect(s.ItemProcessor);
    }
  };
  collect(definition);
  const sm = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  return {
    run(input) {
      return sm.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never } }).result as Promise<Json>;
    },
  };
}

/** The handwritten version of each workload. */
export async function prepareHandwritten(run: (input: Json) => Promise<Json>): Promise<Prepared> {
  return { run };
}
