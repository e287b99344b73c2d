// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: complete a `.waitForTaskToken` task or
// an activity task by its token, from any client.
import { LIMITS } from '../../asl';
import { ApiError } from '../errors';
import { optionalString, parseJson, requiredString } from '../input';
import type { Action } from './context';

export const taskActions: Record<string, Action> = {
  SendTaskSuccess(ctx, input) {
    const token = requiredString(input, 'taskToken', 2048);
    const text = requiredString(input, 'output', Infinity);
    if (Buffer.byteLength(text, 'utf8') > LIMITS.maxPayloadBytes)
      throw new ApiError(
        'InvalidOutput',
        `Invalid Output: the output has ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${LIMITS.maxPayloadBytes} (256 KiB)`,
      );
    ctx.engine.sendTaskSuccess(token, parseJson(text, 'output', 'InvalidOutput'));
    return {};
  },

  SendTaskFailure(ctx, input) {
    const token = requiredString(input, 'taskToken', 2048);
    ctx.engine.sendTaskFailure(token, optionalString(input, 'error', 256), optionalString(input, 'cause', 32768));
    return {};
  },

  SendTaskHeartbeat(ctx, input) {
    ctx.engine.sendTaskHeartbeat(requiredString(input, 'taskToken', 2048));
    return {};
  },
};
