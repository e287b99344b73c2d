// The trivial task functions every engine calls, and the one-state machine of the cold start: kept
// apart from the workloads so a cold-start process loads nothing it does not run.
import type { Json, MachineDefinition } from '../lib/asl';

/** Called by every task function when set: the concurrent workload samples the heap from it. */
export const probe: { onTask?: () => void } = {};

/** Trivial in-process task implementations, by function name (shared by every engine). */
export const TASKS: Record<string, (input: Json) => Promise<Json>> = {
  validate: async (o) => {
    probe.onTask?.();
    return { ...(o as object), valid: true };
  },
  credit: async () => ({ approved: true }),
  inventory: async () => ({ available: true }),
  pay: async (o) => ({ paymentId: `pay-${(o as { id: string }).id}` }),
  reserve: async (item) => {
    probe.onTask?.();
    return { sku: (item as { sku: string }).sku, reserved: true };
  },
  ship: async () => ({ tracking: 'TRK-1' }),
};

/** A one-state machine for cold starts. */
export const oneStateDefinition: MachineDefinition = { StartAt: 'Only', States: { Only: { Type: 'Pass', Result: { ok: true }, End: true } } };
