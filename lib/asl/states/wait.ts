// Wait: lets time pass (virtual by default, so a 24-hour Wait costs nothing), then passes its input on.
import { causes } from '../causes';
import type { DataScope } from '../data/scope';
import type { StateRunner } from '../runtime';
import type { Json } from '../types';
import { dataFlow, numberOrExpression, then, type Maybe, type StateCompiler } from './common';
import { waitTimestamp } from './timestamp';

export function compileWait(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, {});
  const seconds = numberOrExpression(c, 'Seconds');
  const timestamp = numberOrExpression(c, 'Timestamp');
  const secondsPath = c.dynamic('SecondsPath', false);
  const timestampPath = c.dynamic('TimestampPath', false);
  const next = c.next;
  const jsonata = c.queryLanguage === 'JSONata';

  /** Milliseconds to wait, with AWS's error for each way the value can be wrong. */
  const duration = (input: Json, effective: Json, scope: DataScope, now: number): Maybe<number> => {
    if (seconds) {
      return then(seconds(input, scope), (v) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
          throw (jsonata ? scope.evaluationError : scope.runtimeError).call(scope, causes.fieldMustBe('Seconds', 'a non-negative integer', v));
        }
        return v * 1000;
      });
    }
    if (timestamp) {
      return then(timestamp(input, scope), (v) => {
        const at = typeof v === 'string' ? waitTimestamp(v) : undefined;
        if (at === undefined) {
          throw (jsonata ? scope.evaluationError : scope.runtimeError).call(scope, causes.timestampNotIso(v));
        }
        return at - now;
      });
    }
    if (secondsPath) {
      const v = secondsPath(effective, scope);
      const src = c.def.SecondsPath as string;
      if (typeof v !== 'number' || !Number.isInteger(v)) throw scope.runtimeError(causes.secondsPathNotLong(src, v));
      if (v < 0) throw scope.runtimeError(causes.secondsPathNegative(src, v));
      return v * 1000;
    }
    if (timestampPath) {
      const v = timestampPath(effective, scope);
      const at = typeof v === 'string' ? waitTimestamp(v) : undefined;
      if (at === undefined) {
        throw scope.runtimeError(causes.timestampPathNotIso(String(c.def.TimestampPath), v));
      }
      return at - now;
    }
    return 0;
  };

  return (input, scope) => {
    const effective = flow.effective(input, scope);
    return then(duration(input, effective, scope, scope.runtime.clock.now()), (ms) =>
      then(flow.finish(input, effective, scope, next), (result) => {
        const slept = ms > 0 ? scope.sleep(ms) : undefined;
        return slept ? slept.then(() => result) : result;
      }),
    );
  };
}
