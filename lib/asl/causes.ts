// AWS's wording in one place: every cause and error message of Step Functions (or of a service
// it calls) that Stepwise reproduces, as a function that fills in AWS's template. Nothing else in
// lib/ types these texts. Each entry names where AWS produces the text and what proves the
// wording: a recorded case (shared/conformance/cases or task-cases, named by case; the strings are
// copied in test/fixtures/aws-causes.json and checked byte for byte by test/asl/causes.test.ts),
// or "Not recorded" when no recording shows it and the text follows AWS's pattern as best known.
// Stepwise's own messages (setup problems, its limits, validation problems) are not AWS's and
// stay with the code that raises them.
import type { Json } from './types';

/** A value as AWS quotes it in `…Path` and Wait errors: strings bare, anything else as JSON. */
function shown(v: Json | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The part of a JSONata cause after the prefix: the expression and the field, then what went wrong. */
function jsonata(expression: string, field: string, what: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' ${what}`;
}

/** The `.. (Service: ..; Status Code: ..; Error Code: ..; Request ID: ..; Proxy: null)` of an AWS Java SDK v1 exception. */
function javaSdkV1(message: string, service: string, status: number, code: string, requestId: string): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;
}

/**
 * The `cause` of an error in an execution: what Step Functions writes in ExecutionFailed,
 * TaskFailed, a catcher's `{ Error, Cause }`. Entries documented "after inState" are the detail
 * that follows the state prefix; the scope's runtimeError/evaluationError put them together.
 */
export const causes = {
  /**
   * A runtime error of a state (States.Runtime, States.QueryEvaluationError): the prefix naming the
   * state and the event that entered it, then the detail.
   * Recorded: every "An error occurred while executing the state" case, e.g. test_wait.test_base_wait_seconds_path_-1_.
   */
  inState: (stateName: string, enteredEventId: number, detail: string): string =>
    `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`,

  // ── JSONPath data flow ──────────────────────────────────────────────────────────────────────

  /** After inState: InputPath or OutputPath selects nothing (States.Runtime). Not recorded. */
  pathNotFound: (path: string, bracketed: string): string => `Invalid path '${path}' : No results for path: ${bracketed}`,

  /**
   * After inState: a `.$` field of Parameters/ResultSelector/ItemSelector names a path that
   * finds nothing (States.Runtime).
   * Recorded: test_base_scenarios.test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH_ (input redacted).
   */
  jsonPathNotFound: (path: string, field: string, input: Json): string =>
    `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,

  /** After inState: a `.$` field reads a variable no state has assigned (States.Runtime). Not recorded. */
  variableNotAssigned: (name: string, field: string): string => `The variable '$${name}' referenced by the field '${field}' has not been assigned.`,

  /**
   * States.ResultPathMatchFailure: ResultPath crosses a value that is not an object. Not recorded
   * (AWS's "Unable to apply ResultPath" opening; the explanation after the colon is Stepwise's).
   */
  resultPathMatchFailure: (path: string, input: Json): string =>
    `Unable to apply ResultPath '${path}' to input '${JSON.stringify(input)}': the path crosses a value that is not an object.`,

  // ── Variables (Assign) ──────────────────────────────────────────────────────────────────────

  /** After inState: Assign inside a Parallel branch or Map iteration names an outer variable (States.Runtime). Not recorded. */
  variableOfEnclosingScope: (name: string): string =>
    `The variable '${name}' belongs to an enclosing scope and cannot be assigned inside a Parallel branch or Map iteration.`,

  /** After inState: the variables one Assign writes exceed AWS's size limit (States.Runtime). Not recorded. */
  assignTooLarge: (limitKiB: number): string => `The variables assigned by the state exceed the ${limitKiB} KiB limit of one Assign.`,

  // ── JSONata ─────────────────────────────────────────────────────────────────────────────────

  /**
   * After inState: a JSONata expression evaluates to nothing (States.QueryEvaluationError).
   * Recorded: test_assign_reference_variables.test_undefined_reference_BASE_UNDEFINED_OUTPUT_FIELD_.
   */
  jsonataReturnedNothing: (expression: string, field: string): string => jsonata(expression, field, 'returned nothing (undefined).'),

  /** After inState: a JSONata expression throws (States.QueryEvaluationError). Not recorded. */
  jsonataThrew: (expression: string, field: string, message: string): string => jsonata(expression, field, `threw an error: ${message}`),

  /** After inState: a JSONata result cannot be JSON, `reason` saying why (States.QueryEvaluationError). Not recorded. */
  jsonataNotJson: (expression: string, field: string, reason: string): string => jsonata(expression, field, reason),

  // ── Fields that take a number, a string or a timestamp ──────────────────────────────────────

  /**
   * After inState: a field given as a number or a `{% %}` expression has the wrong kind of value,
   * `expected` saying what it takes ("a positive integer", "an integer", "a non-negative integer").
   * Not recorded.
   */
  fieldMustBe: (field: string, expected: string, value: Json | undefined): string => `The ${field} field must be ${expected}, got ${shown(value)}`,

  /**
   * After inState: a `…Path` field (MaxConcurrencyPath, ToleratedFailure…Path, TimeoutSecondsPath,
   * HeartbeatSecondsPath) reads a value of the wrong kind (States.Runtime).
   * Recorded: test_base_scenarios.test_max_concurrency_path_max_concurrency_value0_,
   * test_base_scenarios.test_map_state_tolerated_failure_percentage_path_NoNumber_.
   */
  pathValueNotValid: (field: string, value: Json | undefined, kind: string, path: string): string =>
    `The ${field}Path field refers to value "${shown(value)}" which is not a valid ${kind}: ${path}`,

  /** After inState: a Fail state's Error/Cause (or ErrorPath/CausePath) is not a string (States.Runtime). Not recorded. */
  failFieldNotString: (field: string, value: Json | undefined): string => `The ${field} field must resolve to a string, got ${JSON.stringify(value)}`,

  /**
   * After inState: SecondsPath reads something other than a whole number (States.Runtime).
   * Recorded: test_wait.test_base_wait_seconds_path_1.5_, test_wait.test_base_wait_seconds_path_-1.5_.
   */
  secondsPathNotLong: (path: string, value: Json | undefined): string =>
    `The SecondsPath parameter cannot be parsed as a long value: ${path} == ${shown(value)}`,

  /** After inState: SecondsPath reads a negative number (States.Runtime). Recorded: test_wait.test_base_wait_seconds_path_-1_. */
  secondsPathNegative: (path: string, value: number): string => `The SecondsPath parameter references a negative value: ${path} == ${value}`,

  /**
   * After inState: a Wait state's Timestamp is not an RFC 3339 date-time (States.Runtime, or
   * States.QueryEvaluationError from JSONata).
   * Recorded: test_base_scenarios.test_wait_timestamp_jsonata_INVALID_TIME_ (and _INVALID_ISO_, _NO_T_).
   */
  timestampNotIso: (value: Json | undefined): string =>
    `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${shown(value)}`,

  /** After inState: TimestampPath reads something that is not an RFC 3339 date-time (States.Runtime). Not recorded. */
  timestampPathNotIso: (path: string, value: Json | undefined): string =>
    `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${shown(value)}`,

  // ── Choice ──────────────────────────────────────────────────────────────────────────────────

  /** After inState: a Choice rule's Variable (or …Path operand) finds nothing (States.Runtime). Not recorded. */
  choicePathInvalid: (path: string): string => `Invalid path '${path}': The choice state's condition path references an invalid value.`,

  /** After inState: a JSONata Choice rule's Condition is not a boolean (States.QueryEvaluationError). Not recorded. */
  conditionNotBoolean: (value: Json | undefined): string => `The Condition field must evaluate to a boolean, got ${JSON.stringify(value)}`,

  /** States.NoChoiceMatched: no rule matched and the Choice state has no Default. Not recorded. */
  noChoiceMatched: (stateName: string): string => `No Choice rule matched and there is no Default in the state '${stateName}'.`,

  // ── Map ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * After inState: the items a Map state reads are not an array (States.Runtime, or
   * States.QueryEvaluationError from JSONata Items).
   * Recorded: test_base_scenarios.test_map_state_items_input_types_string_ (and _boolean_, _number_, _object_).
   */
  mapInputNotArray: (items: Json | undefined): string => `Map state input must be an array but was: ${JSON.stringify(items)}`,

  /** After inState: MaxConcurrency (or its path) is negative (States.Runtime). Not recorded; worded as the two below. */
  maxConcurrencyNegative: (): string => 'MaxConcurrency cannot be negative.',

  /** After inState: ToleratedFailureCount (or its path) is negative (States.Runtime). Recorded: test_base_scenarios.test_map_state_tolerated_failure_count_path_-1_. */
  toleratedFailureCountNegative: (): string => 'ToleratedFailureCount cannot be negative.',

  /**
   * After inState: ToleratedFailurePercentage (or its path) is outside 0–100 (States.Runtime).
   * Recorded: test_base_scenarios.test_map_state_tolerated_failure_percentage_path_-1.1_.
   */
  toleratedFailurePercentageOutOfRange: (): string => 'ToleratedFailurePercentage must be between 0 and 100.',

  /** States.ExceedToleratedFailureThreshold: more Map iterations failed than tolerated. Not recorded. */
  toleratedFailureThresholdExceeded: (): string => 'The specified tolerated failure threshold was exceeded',

  // ── Intrinsic functions ─────────────────────────────────────────────────────────────────────

  /** States.IntrinsicFailure: a `States.*` function got arguments it cannot use; `detail` is Stepwise's. Not recorded. */
  intrinsicFailure: (fn: string, detail: string): string => `Invalid arguments in ${fn}: ${detail}`,

  // ── Limits ──────────────────────────────────────────────────────────────────────────────────

  /**
   * States.DataLimitExceeded: a state's output, or a Task's result, is over 256 KiB; `name` is the
   * state's name, or for a Task the resource AWS names ('lambda' under lambda:invoke, the function ARN).
   * Recorded: error_handling.test_states_errors.TestStatesErrors_test_service_task_lambada_data_limit_exceeded_on_large_utf8_response (task case).
   */
  dataLimitExceeded: (name: string): string => `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,

  /** States.DataLimitExceeded: the execution's input is over 256 KiB. Not recorded. */
  executionInputTooLarge: (): string => 'The execution input exceeds the maximum number of bytes service limit.',

  /** States.Runtime: a Standard execution reached the history's event limit. Not recorded. */
  historyLimitReached: (maxEvents: number): string => `The execution reached the maximum of ${maxEvents} history events.`,

  // ── Timeouts ────────────────────────────────────────────────────────────────────────────────

  /**
   * States.Timeout of a Lambda Task past its TimeoutSeconds: AWS gives no cause text. Not recorded
   * as a string: the task case timeouts.test_timeouts.TestTimeouts_test_fixed_timeout_service_lambda
   * has no cause at all, and a catcher sees `"Cause": ""` (shared/conformance/task-cases/README.md).
   */
  lambdaTaskTimedOut: (): string => '',

  /** States.Timeout: a Task (other than Lambda) ran past its TimeoutSeconds. Not recorded. */
  taskTimedOut: (seconds: number): string => `The task did not finish within TimeoutSeconds (${seconds} s).`,

  /** States.Timeout: a callback Task (`.waitForTaskToken`, an activity) got no answer within TimeoutSeconds. Not recorded. */
  callbackTimedOut: (seconds: number): string => `The task did not complete within TimeoutSeconds (${seconds} s).`,

  /** States.HeartbeatTimeout: a callback Task got no heartbeat within HeartbeatSeconds. Not recorded. */
  heartbeatTimedOut: (seconds: number): string => `The task did not send a heartbeat within HeartbeatSeconds (${seconds} s).`,

  /** States.HeartbeatTimeout: an activity worker sent no heartbeat within HeartbeatSeconds. Not recorded. */
  activityHeartbeatTimedOut: (seconds: number): string => `The activity worker sent no heartbeat within HeartbeatSeconds (${seconds} s).`,

  /** States.Timeout: a Distributed Map child execution ran past its own limit. Not recorded. */
  childExecutionTimedOut: (): string => 'The child execution ran longer than its limit.',

  /** States.Timeout: the execution ran past its TimeoutSeconds or its type's longest run; `limit` names which. Not recorded. */
  executionTimedOut: (limit: string): string => `The execution ran longer than its ${limit} seconds.`,

  // ── Errors of the services a Task calls ─────────────────────────────────────────────────────

  /**
   * `Lambda.<code>`: the Lambda Invoke API refused the call (ResourceNotFoundException...), in the
   * Java SDK v1 shape Step Functions writes.
   * Recorded: error_handling.test_task_service_lambda.TestTaskServiceLambda_test_no_such_function (task case).
   */
  lambdaServiceException: (message: string, status: number, code: string, requestId: string): string =>
    javaSdkV1(message, 'AWSLambda', status, code, requestId),

  /**
   * `<Service>.<code>` from an optimized integration (Java SDK v1 shape), e.g. `service`
   * AmazonDynamoDBv2 or AmazonSQS. Not recorded for these services; the same shape as lambdaServiceException.
   */
  optimizedServiceException: (message: string, service: string, status: number, code: string, requestId: string): string =>
    javaSdkV1(message, service, status, code, requestId),

  /** `<Service>.<code>` from an AWS SDK integration (`arn:aws:states:::aws-sdk:...`, SDK v2 shape). Not recorded. */
  sdkServiceException: (message: string, service: string, status: number, requestId: string): string =>
    `${message} (Service: ${service}, Status Code: ${status}, Request ID: ${requestId})`,
} as const;

/**
 * The `message` of an AWS API error: the Step Functions API (answered by lib/server) and the
 * services a Task calls (the start of a service exception's cause, see causes.*ServiceException).
 */
export const apiMessages = {
  // ── Step Functions ──────────────────────────────────────────────────────────────────────────

  /**
   * ValidationException: a required member is missing or null. Not recorded; AWS's
   * "1 validation error detected" wording, shared by its JSON APIs.
   */
  memberMissing: (member: string): string => `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,

  /** ValidationException: a member breaks a documented constraint (`constraint` as AWS words it). Not recorded. */
  memberInvalid: (member: string, value: unknown, constraint: string): string =>
    `1 validation error detected: Value ${JSON.stringify(value)} at '${member}' failed to satisfy constraint: ${constraint}`,

  /**
   * InvalidDefinition: the definition's problems, each as `SCHEMA_VALIDATION_FAILED: <message> at
   * <pointer>` (`/` for the whole definition). Not recorded.
   */
  invalidDefinition: (problems: readonly { readonly message: string; readonly pointer: string }[]): string =>
    `Invalid State Machine Definition: '${problems.map((p) => `SCHEMA_VALIDATION_FAILED: ${p.message} at ${p.pointer || '/'}`).join(', ')}'`,

  /** InvalidArn: an ARN of a kind the operation does not take (`type`, e.g. `express`). Not recorded. */
  resourceTypeNotValid: (type: string): string => `Invalid Arn: 'Resource type not valid in this context: ${type}'`,

  /** StateMachineDoesNotExist (API), StepFunctions.StateMachineDoesNotExistException (Task). Not recorded. */
  stateMachineDoesNotExist: (arn: string): string => `State Machine Does Not Exist: '${arn}'`,

  /** StateMachineAlreadyExists: CreateStateMachine with a name in use and a different definition. Not recorded. */
  stateMachineAlreadyExists: (arn: string): string => `State Machine Already Exists: '${arn}'`,

  /** ExecutionDoesNotExist: no execution has this ARN. Not recorded. */
  executionDoesNotExist: (arn: string): string => `Execution Does Not Exist: '${arn}'`,

  /** ExecutionAlreadyExists: StartExecution with a name in use and a different input. Not recorded. */
  executionAlreadyExists: (arn: string): string => `Execution Already Exists: '${arn}'`,

  /** ActivityDoesNotExist: no activity has this ARN. Not recorded. */
  activityDoesNotExist: (arn: string): string => `Activity Does Not Exist: '${arn}'`,

  /** InvalidExecutionInput (API), StepFunctions.InvalidExecutionInputException (Task): the input is not JSON. Not recorded. */
  invalidExecutionInput: (detail: string): string => `Invalid State Machine Execution Input: '${detail}'`,

  /** InvalidOutput: SendTaskSuccess's output is not JSON. Not recorded. */
  invalidOutput: (detail: string): string => `Invalid Output: '${detail}'`,

  /** TaskTimedOut: SendTask* with the token of a task that has ended. Not recorded. */
  sendTaskTimedOut: (): string => "Task Timed Out: 'Provided task does not exist anymore'",

  /** StepFunctions.TaskDoesNotExistException from the aws-sdk:sfn:sendTask* integrations: an unknown token. Not recorded. */
  taskDoesNotExist: (): string => 'Task Timed Out',

  // ── Lambda ──────────────────────────────────────────────────────────────────────────────────

  /**
   * ResourceNotFoundException: no function has this name (`function`, qualified as AWS reports it:
   * `arn:...:function:f:$LATEST`).
   * Recorded (in the cause): error_handling.test_task_service_lambda.TestTaskServiceLambda_test_no_such_function (task case).
   */
  lambdaFunctionNotFound: (fn: string): string => `Function not found: ${fn}`,

  /** InvalidRequestContentException: the Invoke request body is not JSON (`detail` is the parser's message). Not recorded. */
  lambdaBodyNotJson: (detail: string): string => `Could not parse request body into json: ${detail}`,

  /** RequestTooLargeException: the Invoke request body is over the synchronous payload limit. Not recorded. */
  lambdaRequestTooLarge: (maxBytes: number): string => `Request must be smaller than ${maxBytes} bytes for the InvokeFunction operation`,

  // ── SQS, SNS, EventBridge ───────────────────────────────────────────────────────────────────

  /** SQS QueueDoesNotExistException (SendMessage to a queue that does not exist). Not recorded. */
  sqsQueueDoesNotExist: (): string => 'The specified queue does not exist for this wsdl version.',

  /** SQS SendMessage without a MessageBody. Not recorded. */
  sqsMessageBodyMissing: (): string => 'The request must contain the parameter MessageBody.',

  /** SNS Publish without TopicArn, TargetArn or PhoneNumber. Not recorded. */
  snsTargetMissing: (): string => 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',

  /** SNS NotFoundException: Publish to a topic that does not exist. Not recorded. */
  snsTopicDoesNotExist: (): string => 'Topic does not exist',

  /** SNS Publish with an empty Message. Not recorded. */
  snsMessageEmpty: (): string => 'Invalid parameter: Message Reason: cannot be empty',

  /** EventBridge PutEvents with no entries or more than 10. Not recorded. */
  eventsEntryCount: (): string => "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",

  /** EventBridge PutEvents entry's ErrorMessage when Source, DetailType or Detail is missing. Not recorded. */
  eventsEntryIncomplete: (): string => 'Parameters Source, DetailType and Detail must be specified.',

  /** EventBridge PutEvents entry's ErrorMessage for a bus that does not exist (`bus` by name). Not recorded. */
  eventsBusDoesNotExist: (bus: string): string => `Event bus ${bus} does not exist.`,
} as const;
