// Fail: stops the machine with an error and cause: static, read from the input (ErrorPath,
// CausePath) or, in JSONata, computed by `{% %}` expressions.
import { causes } from '../causes';
import { StatesError } from '../errors';
import type { StateRunner } from '../runtime';
import type { Json } from '../types';
import { numberOrExpression, then, type StateCompiler } from './common';

export function compileFail(c: StateCompiler): StateRunner {
  const error = numberOrExpression(c, 'Error');
  const cause = numberOrExpression(c, 'Cause');
  const errorPath = c.dynamic('ErrorPath', true);
  const causePath = c.dynamic('CausePath', true);
  return (input, scope) => {
    const check = (field: string, v: Json | undefined): string | undefined => {
      if (v !== undefined && typeof v !== 'string') throw scope.runtimeError(causes.failFieldNotString(field, v));
      return v;
    };
    return then(errorPath ? errorPath(input, scope) : error?.(input, scope), (e) =>
      then(causePath ? causePath(input, scope) : cause?.(input, scope), (k) => {
        throw new StatesError(check(errorPath ? 'ErrorPath' : 'Error', e), check(causePath ? 'CausePath' : 'Cause', k));
      }),
    );
  };
}
