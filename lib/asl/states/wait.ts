// Wait: lets time pass (virtual by default, so a 24-hour Wait costs nothing), then passes its input on.
import type { StateRunner, StepResult } from '../runtime';
import type { Json } from '../types';
import { dataFlow, isPromise, quoteValue, type StateCompiler } from './common';
import { parseTimestamp } from './timestamp';

export function compileWait(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, {});
  const { Seconds: seconds, Timestamp: timestamp } = c.def;
  const secondsPath = c.dynamic('SecondsPath', false);
  const timestampPath = c.dynamic('TimestampPath', false);
  const fixedAt = typeof timestamp === 'string' ? parseTimestamp(timestamp) : undefined;
  const next = c.next;
  return (input, scope) => {
    const effective = flow.input(input, scope);
    const now = scope.runtime.clock.now();
    let ms = 0;
    if (typeof seconds === 'number') ms = seconds * 1000;
    else if (fixedAt !== undefined) ms = fixedAt - now;
    else if (secondsPath) {
      const v: Json = secondsPath(effective, scope);
      const src = c.def.SecondsPath as string;
      if (typeof v !== 'number' || !Number.isInteger(v)) throw scope.runtimeError(`The SecondsPath parameter cannot be parsed as a long value: ${src} == ${quoteValue(v)}`);
      if (v < 0) throw scope.runtimeError(`The SecondsPath parameter references a negative value: ${src} == ${v}`);
      ms = v * 1000;
    } else if (timestampPath) {
      const v = timestampPath(effective, scope);
      const at = typeof v === 'string' ? parseTimestamp(v) : undefined;
      if (at === undefined) {
        throw scope.runtimeError(
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${c.def.TimestampPath} == ${quoteValue(v)}`,
        );
      }
      ms = at - now;
    }
    const result: StepResult = { next, output: flow.output(input, effective, scope) };
    const slept = ms > 0 ? scope.runtime.clock.sleep(ms) : undefined;
    return isPromise(slept) ? slept.then(() => result) : result;
  };
}
