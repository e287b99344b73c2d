// Step Functions calling Step Functions: `states:startExecution` (request-response, .sync,
// .sync:2, .waitForTaskToken) runs a state machine of the same app locally as a child execution;
// `aws-sdk:sfn:sendTask{Success,Failure,Heartbeat}` completes a waiting callback Task locally.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
import type { ExecutionResult, Json, JsonObject } from '../../asl';
import { StatesError } from '../../asl';
import { apiMessages } from '../../asl/causes';
import { parametersOf, sdkMetadata, serviceError, type Integration, type IntegrationContext } from './common';

const NAMES = { optimized: 'StepFunctions', sdk: 'Sfn', v1Service: 'AWSStepFunctions' };

/** DescribeExecution's answer for a finished child (.sync: Input/Output as JSON text; .sync:2: parsed). */
function describe(r: ExecutionResult, stateMachineArn: string, input: Json, parsed: boolean): JsonObject {
  const out: JsonObject = {
    ExecutionArn: r.executionArn,
    Input: parsed ? input : JSON.stringify(input),
    InputDetails: { Included: true },
    Name: r.name,
  };
  if (r.status === 'SUCCEEDED') {
    out.Output = parsed ? (r.output ?? null) : JSON.stringify(r.output ?? null);
    out.OutputDetails = { Included: true };
  }
  out.RedriveCount = 0;
  out.RedriveStatus = r.status === 'SUCCEEDED' ? 'NOT_REDRIVABLE' : 'REDRIVABLE';
  out.StartDate = r.startDate.getTime();
  out.StateMachineArn = stateMachineArn;
  out.Status = r.status;
  out.StopDate = r.stopDate.getTime();
  if (r.status !== 'SUCCEEDED') {
    if (r.error !== undefined) out.Error = r.error;
    if (r.cause !== undefined) out.Cause = r.cause;
  }
  return out;
}

export const states: Integration = {
  refuse(action) {
    return action === 'startExecution' ? undefined : `Stepwise serves only states:startExecution locally, not '${action}'`;
  },
  parameters: () => new Set(['StateMachineArn', 'Input', 'Name', 'TraceHeader']),
  async call(_action, pattern, sdk, request, ctx: IntegrationContext): Promise<Json> {
    const p = parametersOf(request);
    const arn = p.StateMachineArn;
    const machine = typeof arn === 'string' ? ctx.resources?.stateMachines().find((m) => m.arn === arn || m.name === arn) : undefined;
    if (!machine)
      throw serviceError(NAMES, sdk, 'StateMachineDoesNotExistException', apiMessages.stateMachineDoesNotExist(String(arn)), 400, ctx.random.uuid());
    // Input may be JSON text or a JSON value (connect-stepfunctions: "Input": "{...}" or "Input.$": "$").
    let input: Json = p.Input ?? {};
    if (typeof input === 'string') {
      try {
        input = JSON.parse(input) as Json;
      } catch {
        throw serviceError(NAMES, sdk, 'InvalidExecutionInputException', apiMessages.invalidExecutionInput(String(input)), 400, ctx.random.uuid());
      }
    }
    const child = ctx.startChild(machine, input, typeof p.Name === 'string' ? p.Name : undefined, request);
    if (pattern === 'sync' || pattern === 'sync:2') {
      const r = await child.result;
      const described = describe(r, machine.arn, input, pattern === 'sync:2');
      // A child that did not succeed fails the Task with States.TaskFailed and the description as cause.
      if (r.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(described));
      return pattern === 'sync' ? { ...described, ...sdkMetadata(ctx, described, 'application/x-amz-json-1.0') } : described;
    }
    // request-response and .waitForTaskToken answer with StartExecution's response.
    const started: JsonObject = { ExecutionArn: child.executionArn, StartDate: ctx.now() };
    return { ...started, ...sdkMetadata(ctx, started, 'application/x-amz-json-1.0') };
  },
};

/** `aws-sdk:sfn:sendTaskSuccess|sendTaskFailure|sendTaskHeartbeat` for tokens of local executions. */
export const sfn: Integration = {
  refuse(action, pattern) {
    if (!['sendTaskSuccess', 'sendTaskFailure', 'sendTaskHeartbeat'].includes(action))
      return `Stepwise serves aws-sdk:sfn:sendTaskSuccess, sendTaskFailure and sendTaskHeartbeat locally, not '${action}'`;
    return pattern === 'request-response' ? undefined : 'only request-response is supported';
  },
  async call(action, _pattern, _sdk, request, ctx): Promise<Json> {
    const p = parametersOf(request);
    const token = typeof p.TaskToken === 'string' ? p.TaskToken : '';
    const target = await ctx.executionForToken(token);
    if (!target) throw serviceError(NAMES, true, 'TaskDoesNotExistException', apiMessages.taskDoesNotExist(), 400, ctx.random.uuid());
    if (action === 'sendTaskSuccess') {
      const output = p.Output;
      target.sendTaskSuccess(token, typeof output === 'string' ? (JSON.parse(output) as Json) : (output ?? null));
    } else if (action === 'sendTaskFailure') {
      target.sendTaskFailure(token, typeof p.Error === 'string' ? p.Error : undefined, typeof p.Cause === 'string' ? p.Cause : undefined);
    } else target.sendTaskHeartbeat(token);
    return {};
  },
};
