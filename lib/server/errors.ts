// Errors in the shape the awsJson1_0 protocol returns them: an HTTP status, `__type` naming the
// modelled error and `message`. The SDK turns `__type` into the exception class it throws.
// Statuses follow the service model shipped in @aws-sdk/client-sfn: every modelled Step Functions
// error is a client error (400) unless the model says otherwise (ResourceNotFound 404).
import { apiMessages } from '../asl/causes';

/** Error names the local endpoint returns, as the Step Functions API models them. */
export type ApiErrorType =
  | 'ValidationException'
  | 'InvalidDefinition'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'StateMachineTypeNotSupported'
  | 'ExecutionDoesNotExist'
  | 'ExecutionAlreadyExists'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ActivityDoesNotExist'
  | 'ActivityAlreadyExists'
  | 'ResourceNotFound'
  | 'TooManyTags'
  // Protocol-level errors (not in the service model; the names AWS's JSON services use).
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'RequestEntityTooLargeException'
  | 'InternalFailure';

const STATUS: Partial<Record<ApiErrorType, number>> = {
  ResourceNotFound: 404,
  RequestEntityTooLargeException: 413,
  InternalFailure: 500,
};

/** An error answered to the client; thrown by actions and rendered by the server. */
export class ApiError extends Error {
  /** Extra members of the error shape (e.g. `resourceName`, `reason`). */
  readonly extra: Record<string, string>;

  constructor(
    readonly type: ApiErrorType,
    message: string,
    extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
    this.extra = extra;
  }

  /** The HTTP status AWS answers with for this error. */
  get status(): number {
    return STATUS[this.type] ?? 400;
  }

  /** The JSON body: `{ __type, message, ...extra }`. */
  toBody(namespace: string): Record<string, string> {
    return { __type: `${namespace}#${this.type}`, message: this.message, ...this.extra };
  }
}

/** A required member was missing or null (AWS's validation wording). */
export function missing(member: string): ApiError {
  return new ApiError('ValidationException', apiMessages.memberMissing(member));
}

/** A member broke a documented constraint (length, range, enum). */
export function invalid(member: string, value: unknown, constraint: string): ApiError {
  return new ApiError('ValidationException', apiMessages.memberInvalid(member, value, constraint));
}
