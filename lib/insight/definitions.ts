// Which definition produced an execution result, for results of LocalWorkflow runs: the viewer
// can then draw a result alone. Kept apart from the viewer so recording costs no import of esbuild.
import type { ExecutionResult } from '../asl';
import type { MachineDefinition } from '../asl/types';

const definitions = new WeakMap<ExecutionResult, MachineDefinition>();

/** Remembers which definition produced a result (LocalWorkflow does it for every run). */
export function rememberDefinition(result: ExecutionResult, definition: MachineDefinition): void {
  definitions.set(result, definition);
}

/** The definition that produced a result, when LocalWorkflow ran it. */
export function definitionOf(result: ExecutionResult): MachineDefinition | undefined {
  return definitions.get(result);
}
