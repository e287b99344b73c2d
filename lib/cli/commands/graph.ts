// `stepwise graph`: prints a state machine of a synthesized CDK app (or a definition file) as a
// Mermaid flowchart for READMEs and pull requests.
import { compile, DefinitionError, type MachineDefinition, type WorkflowType } from '../../asl';
import { toMermaid } from '../../insight/mermaid';
import { readCloudAssembly } from '../../local/assembly';
import { UnresolvedTokenError } from '../../local/resolve';
import { findStateMachine, stateMachinesOf, type LocalStateMachine } from '../../local/state-machines';
import { ExitCode } from '../exit-codes';
import { readJsonArg, type Io } from '../io';

/** Where a command finds its state machine: a cloud assembly or a definition file. */
export interface MachineSource {
  /** Cloud assembly folder. @default 'cdk.out' (unless definition is given) */
  readonly app?: string;
  /** An ASL definition file instead of a CDK app (`-` for standard input). */
  readonly definition?: string;
  /** Logical id, construct path or stack name. */
  readonly stateMachine?: string;
  /** The workflow type a definition file is compiled as. @default 'STANDARD' */
  readonly type?: WorkflowType;
}

/** Loads the state machine a command names; throws with a message naming what failed. */
export function loadStateMachineFrom(source: MachineSource, io: Io): { sm: LocalStateMachine; stacks: ReturnType<typeof readCloudAssembly> } {
  if (source.definition) {
    const definition = readJsonArg(source.definition, io, 'definition') as MachineDefinition;
    const machine = compile(definition, { type: source.type });
    const name = source.stateMachine || 'StateMachine';
    return {
      sm: {
        stackName: '',
        logicalId: name,
        name,
        arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
        type: machine.type,
        definition,
        machine,
        functions: new Map(),
      },
      stacks: [],
    };
  }
  const stacks = readCloudAssembly(source.app ?? 'cdk.out');
  return {
    sm: findStateMachine(
      stacks.flatMap((s) => stateMachinesOf(s)),
      source.stateMachine || undefined,
    ),
    stacks,
  };
}

/** Prints why loading failed and returns the matching exit code. */
export function loadFailure(e: unknown, io: Io): ExitCode {
  if (e instanceof DefinitionError) {
    io.err(`${e.message}\n`);
    return ExitCode.INVALID_DEFINITION;
  }
  io.err(`${e instanceof UnresolvedTokenError ? 'Cannot rebuild the state machine: ' : ''}${(e as Error).message}\n`);
  return ExitCode.LOAD_ERROR;
}

export function graphCommand(options: MachineSource, io: Io): ExitCode {
  try {
    const { sm } = loadStateMachineFrom(options, io);
    io.out(toMermaid(sm.definition));
    return ExitCode.OK;
  } catch (e) {
    return loadFailure(e, io);
  }
}
