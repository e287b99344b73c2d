// What the local endpoint remembers: state machines, executions, activities and tags, in memory
// for the life of the server. Nothing here runs anything: executions are driven by executions.ts.
import type { CompiledStateMachine, Json, WorkflowType } from '../asl';
import type { LocalResources } from '../local/integrations';
import type { LocalFunction } from '../local/state-machines';
import type { RunningExecution } from './executions';

/** A state machine created through the API or pre-created from `--app`. */
export interface StoredStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly type: WorkflowType;
  /** The definition text as given (DescribeStateMachine returns it verbatim). */
  definition: string;
  machine: CompiledStateMachine;
  roleArn: string;
  description: string;
  readonly creationDate: Date;
  updateDate?: Date;
  /** `loggingConfiguration` and `tracingConfiguration` as given, echoed back by Describe. */
  loggingConfiguration: Json;
  tracingConfiguration: Json;
  /** Where it came from: the construct path for `--app` machines. */
  readonly source?: string;
  /** The functions of its own stack (`--app` machines); others may call any of the app's. */
  readonly functions?: ReadonlyMap<string, LocalFunction>;
  /** The tables, queues, topics and buses of its own stack (`--app` machines); others reach every stack's. */
  readonly resources?: LocalResources;
}

/** A Standard execution (Express executions are not kept: AWS keeps no record of them either). */
export interface StoredExecution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: StoredStateMachine;
  /** The definition and role the execution started with (DescribeStateMachineForExecution). */
  readonly definition: string;
  readonly roleArn: string;
  /** The input text as given, compared for the idempotent same-name start. */
  readonly inputText: string;
  readonly run: RunningExecution;
}

/** An activity (CreateActivity). */
export interface StoredActivity {
  readonly arn: string;
  readonly name: string;
  readonly creationDate: Date;
}

/** In-memory tables of the local endpoint. */
export class Store {
  readonly stateMachines = new Map<string, StoredStateMachine>();
  readonly executions = new Map<string, StoredExecution>();
  /** Executions of each state machine ARN, oldest first. */
  readonly executionsByMachine = new Map<string, StoredExecution[]>();
  readonly activities = new Map<string, StoredActivity>();
  /** Tags by resource ARN (state machines and activities). */
  readonly tags = new Map<string, Map<string, string>>();

  addExecution(e: StoredExecution): void {
    this.executions.set(e.arn, e);
    let list = this.executionsByMachine.get(e.stateMachine.arn);
    if (!list) this.executionsByMachine.set(e.stateMachine.arn, (list = []));
    list.push(e);
  }
}
