// Fail: stops the machine with an error and cause, static or read from the input.
import { StatesError } from '../errors';
import type { StateRunner } from '../runtime';
import type { StateCompiler } from './common';

export function compileFail(c: StateCompiler): StateRunner {
  const { Error: error, Cause: cause } = c.def;
  const errorPath = c.dynamic('ErrorPath', true);
  const causePath = c.dynamic('CausePath', true);
  return (input, scope) => {
    const e = errorPath ? errorPath(input, scope) : error;
    const k = causePath ? causePath(input, scope) : cause;
    if (e !== undefined && typeof e !== 'string') throw scope.runtimeError(`The ErrorPath field must resolve to a string, got ${JSON.stringify(e)}`);
    if (k !== undefined && typeof k !== 'string') throw scope.runtimeError(`The CausePath field must resolve to a string, got ${JSON.stringify(k)}`);
    throw new StatesError(e, k);
  };
}
