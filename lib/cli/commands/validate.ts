// `stepwise validate FILE`: checks an ASL definition as CreateStateMachine would, printing every
// problem with its JSON pointer.
import { validate, type MachineDefinition } from '../../asl';
import { ExitCode } from '../exit-codes';
import { readJsonArg, type Io } from '../io';

/** Options of `stepwise validate`. */
export interface ValidateOptions {
  /** Validate as an EXPRESS state machine. */
  readonly type?: 'STANDARD' | 'EXPRESS';
  readonly json?: boolean;
}

export function validateCommand(file: string, options: ValidateOptions, io: Io): ExitCode {
  let definition: unknown;
  try {
    definition = readJsonArg(file, io, 'definition');
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return ExitCode.LOAD_ERROR;
  }
  const problems = validate(definition as MachineDefinition, { type: options.type });
  if (options.json) io.out(`${JSON.stringify({ valid: problems.length === 0, problems })}\n`);
  else if (problems.length === 0) io.out(`${file}: valid ${options.type ?? 'STANDARD'} state machine definition\n`);
  else {
    io.out(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    for (const p of problems) io.out(`  ${p.pointer || '/'}  ${p.message}\n`);
  }
  return problems.length === 0 ? ExitCode.OK : ExitCode.INVALID_DEFINITION;
}
