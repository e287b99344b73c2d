// Jest matchers for execution results: `expect.extend(stepwiseMatchers)`.
import type { ExecutionResult } from '../asl';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isResult(v: unknown): v is ExecutionResult {
  return typeof v === 'object' && v !== null && 'status' in v && 'statesEntered' in v;
}

function describe(r: ExecutionResult): string {
  const tail = r.status === 'SUCCEEDED' ? `output ${JSON.stringify(r.output)}` : `error ${r.error ?? '(none)'}: ${r.cause ?? '(no cause)'}`;
  return `${r.status} after [${r.statesEntered.join(' → ')}], ${tail}`;
}

/** A matcher over an ExecutionResult: anything else fails with a message naming the matcher. */
function onResult<A extends unknown[]>(name: string, check: (r: ExecutionResult, ...args: A) => MatcherResult): (received: unknown, ...args: A) => MatcherResult {
  return (received, ...args) =>
    isResult(received) ? check(received, ...args) : { pass: false, message: () => `${name} expects an ExecutionResult (from run() or execute()), got ${JSON.stringify(received)}` };
}

/** The matchers; register them with `expect.extend(stepwiseMatchers)`. */
export const stepwiseMatchers = {
  /** The execution ended SUCCEEDED. */
  toSucceed: onResult('toSucceed', (r) => ({
    pass: r.status === 'SUCCEEDED',
    message: () => `expected the execution ${r.status === 'SUCCEEDED' ? 'not ' : ''}to succeed; it ended ${describe(r)}`,
  })),
  /** The execution ended FAILED with this error (and cause, when given: a string or a RegExp). */
  toFailWith: onResult('toFailWith', (r, error: string, cause?: string | RegExp) => {
    const causeOk = cause === undefined || (typeof cause === 'string' ? r.cause === cause : cause.test(r.cause ?? ''));
    const pass = r.status === 'FAILED' && r.error === error && causeOk;
    return { pass, message: () => `expected the execution ${pass ? 'not ' : ''}to fail with ${error}${cause ? ` (${String(cause)})` : ''}; it ended ${describe(r)}` };
  }),
  /** The execution entered this state at least once. */
  toHaveVisited: onResult('toHaveVisited', (r, state: string) => {
    const pass = r.statesEntered.includes(state);
    return { pass, message: () => `expected the execution ${pass ? 'not ' : ''}to visit ${state}; it went [${r.statesEntered.join(' → ')}]` };
  }),
  /** The execution entered these states in this order (other states may come between them). */
  toHaveTransitionedThrough: onResult('toHaveTransitionedThrough', (r, states: string[]) => {
    let i = 0;
    for (const s of r.statesEntered) if (s === states[i]) i += 1;
    const pass = i === states.length;
    return {
      pass,
      message: () => `expected the execution ${pass ? 'not ' : ''}to pass through [${states.join(' → ')}] in order; it went [${r.statesEntered.join(' → ')}]${pass ? '' : ` (missing from ${states[i]})`}`,
    };
  }),
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The execution ended SUCCEEDED. */
      toSucceed(): R;
      /** The execution ended FAILED with this error (and cause). */
      toFailWith(error: string, cause?: string | RegExp): R;
      /** The execution entered this state. */
      toHaveVisited(state: string): R;
      /** The execution entered these states in this order. */
      toHaveTransitionedThrough(states: string[]): R;
    }
  }
}
