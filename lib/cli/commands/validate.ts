// `stepwise validate`: checks an ASL definition as CreateStateMachine would, printing every
// problem with its JSON pointer. The definition comes from an ASL file, a CloudFormation template
// or a cloud assembly (`--app`), so a CDK app's own state machine can be checked as synthesized.
import { basename } from 'node:path';
import { validate, type MachineDefinition, type WorkflowType } from '../../asl';
import { readCloudAssembly } from '../../local/assembly';
import { UnresolvedTokenError } from '../../local/resolve';
import { definitionsOf, findStateMachine } from '../../local/state-machines';
import type { CfnTemplate } from '../../local/template';
import { ExitCode } from '../exit-codes';
import { readJsonArg, type Io } from '../io';

/** Options of `stepwise validate`. */
export interface ValidateOptions {
  /** Validate as this type. @default the template's type, else STANDARD */
  readonly type?: WorkflowType;
  /** A cloud assembly folder to read the state machine from (instead of a file). */
  readonly app?: string;
  /** Which state machine of a template or assembly: logical id, construct path or stack name. */
  readonly stateMachine?: string;
  readonly json?: boolean;
}

function isTemplate(v: unknown): v is CfnTemplate {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'Resources' in v && !('States' in v);
}

export function validateCommand(file: string | undefined, options: ValidateOptions, io: Io): ExitCode {
  let definition: unknown;
  let label: string;
  let type: WorkflowType = options.type ?? 'STANDARD';
  try {
    if (file && options.app) throw new UsageError('Give either a file or --app, not both');
    if (!file && !options.app) throw new UsageError('Nothing to validate: give an ASL definition or CloudFormation template file, or --app <cloud assembly>');
    const read = file ? readJsonArg(file, io, 'definition') : undefined;
    if (options.app || isTemplate(read)) {
      const stacks = options.app
        ? readCloudAssembly(options.app)
        : [{ stackName: basename(file as string).replace(/\.template\.json$|\.json$/, ''), template: read as CfnTemplate, metadata: {} }];
      const sm = findStateMachine(
        stacks.flatMap((s) => definitionsOf(s)),
        options.stateMachine,
      );
      if (options.type && options.type !== sm.type)
        throw new UsageError(`--type ${options.type} contradicts the template: ${sm.constructPath ?? sm.logicalId} is ${sm.type}`);
      definition = sm.definition;
      type = sm.type;
      label = sm.constructPath ?? `${sm.stackName}/${sm.logicalId}`;
    } else {
      if (options.stateMachine) throw new UsageError('--state-machine selects a state machine of a template or cloud assembly; the file is an ASL definition');
      definition = read;
      label = file as string;
    }
  } catch (e) {
    io.err(`${e instanceof UnresolvedTokenError ? 'Cannot rebuild the state machine: ' : ''}${(e as Error).message}\n`);
    return e instanceof UsageError ? ExitCode.USAGE : ExitCode.LOAD_ERROR;
  }
  const problems = validate(definition as MachineDefinition, { type });
  if (options.json) io.out(`${JSON.stringify({ valid: problems.length === 0, problems })}\n`);
  else if (problems.length === 0) io.out(`${label}: valid ${type} state machine definition\n`);
  else {
    io.out(`${label}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    for (const p of problems) io.out(`  ${p.pointer || '/'}  ${p.message}\n`);
  }
  return problems.length === 0 ? ExitCode.OK : ExitCode.INVALID_DEFINITION;
}

/** A command line that cannot work as given (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
