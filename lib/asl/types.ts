// Amazon States Language types: JSON values and the definition as authored (before compilation).

/** Any JSON value. Values flowing through the interpreter are treated as immutable. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** The eight ASL state types. */
export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

/** Query language of a state machine or a single state. */
export type QueryLanguage = 'JSONPath' | 'JSONata';

/** One Retry rule of a Task, Parallel or Map state. */
export interface RetrierDefinition {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

/** One Catch rule of a Task, Parallel or Map state. */
export interface CatcherDefinition {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: Json;
  Assign?: JsonObject;
  Comment?: string;
}

/** A Choice rule (top-level rules carry Next; nested rules inside And/Or/Not do not). */
export interface ChoiceRuleDefinition {
  Variable?: string;
  Next?: string;
  And?: ChoiceRuleDefinition[];
  Or?: ChoiceRuleDefinition[];
  Not?: ChoiceRuleDefinition;
  Condition?: Json;
  Assign?: JsonObject;
  Output?: Json;
  Comment?: string;
  [operator: string]: Json | ChoiceRuleDefinition | ChoiceRuleDefinition[] | undefined;
}

/** A state as written in a definition; fields are checked by validation, not by this type. */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Result?: Json;
  Arguments?: Json;
  Output?: Json;
  Assign?: JsonObject;
  Resource?: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: Json;
  Retry?: RetrierDefinition[];
  Catch?: CatcherDefinition[];
  Choices?: ChoiceRuleDefinition[];
  Default?: string;
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  Branches?: MachineDefinition[];
  Iterator?: MachineDefinition;
  ItemProcessor?: MachineDefinition & { ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: string } };
  ItemsPath?: string;
  Items?: Json;
  ItemSelector?: Json;
  ItemReader?: Json;
  ItemBatcher?: JsonObject;
  ResultWriter?: Json;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
}

/** A state machine definition (or a Parallel branch / Map processor). */
export interface MachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: QueryLanguage;
}

/** Standard or Express workflow semantics. */
export type WorkflowType = 'STANDARD' | 'EXPRESS';

/** Final status of an execution, as DescribeExecution reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
