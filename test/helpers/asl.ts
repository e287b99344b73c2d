// Builders shared by the interpreter tests.
import { compile, execute, type ExecuteOptions, type ExecutionResult, type Json, type MachineDefinition, type StateDefinition } from '../../lib/asl';

/** Runs a definition on an input with a fixed seed. */
export function run(definition: MachineDefinition, input: Json = {}, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  return execute(compile(definition), input, { seed: 7, ...options });
}

/** A machine made of one state (which must end). */
export function single(state: Partial<StateDefinition> & { Type: StateDefinition['Type'] }): MachineDefinition {
  const terminal = state.Type === 'Choice' || state.Type === 'Succeed' || state.Type === 'Fail';
  return { StartAt: 'S', States: { S: (terminal || state.Next ? state : { End: true, ...state }) as StateDefinition } };
}

/** Runs a single Pass state with the given fields. */
export function pass(fields: Partial<StateDefinition>, input: Json): Promise<ExecutionResult> {
  return run(single({ Type: 'Pass', ...fields }), input);
}

/** Names of the history event types, in order. */
export function eventTypes(result: ExecutionResult): string[] {
  return result.history.map((e) => e.type);
}
