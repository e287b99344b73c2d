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

function guard(received: unknown, name: string): MatcherResult | undefined {
  if (isResult(received)) return undefined;
  return { pass: false, message: () => `${name} expects an ExecutionResult (from run() or execute()), got ${JSON.stringify(received)}` };
}

/** The matchers; register them with `expect.extend(stepwiseMatchers)`. */
export const stepwiseMatchers = {
  /** The execution ended SUCCEEDED. */
  toSucceed(received: unknown): MatcherResult {
    const bad = guard(received, 'toSucceed');
    if (bad) return bad;
    const r = received as ExecutionResult;
    return { pass: r.status === 'SUCCEEDED', message: () => `expected the execution ${r.status === 'SUCCEEDED' ? 'not ' : ''}to succeed; it ended ${describe(r)}` };
  },
  /** The execution ended FAILED with this error (and cause, when given: a string or a RegExp). */
  toFailWith(received: unknown, error: string, cause?: string | RegExp): MatcherResult {
    const bad = guard(received, 'toFailWith');
    if (bad) return bad;
    const r = received as ExecutionResult;
    const causeOk = cause === undefined || (typeof cause === 'string' ? r.cause === cause : cause.test(r.cause ?? ''));
    const pass = r.status === 'FAILED' && r.error === error && causeOk;
    return { pass, message: () => `expected the execution ${pass ? 'not ' : ''}to fail with ${error}${cause ? ` (${String(cause)})` : ''}; it ended ${describe(r)}` };
  },
  /** The execution entered this state at least once. */
  toHaveVisited(received: unknown, state: string): MatcherResult {
    const bad = guard(received, 'toHaveVisited');
    if (bad) return bad;
    const r = received as ExecutionResult;
    const pass = r.statesEntered.includes(state);
    return { pass, message: () => `expected the execution ${pass ? 'not ' : ''}to visit ${state}; it went [${r.statesEntered.join(' → ')}]` };
  },
  /** The execution entered these states in this order (other states may come between them). */
  toHaveTransitionedThrough(received: unknown, states: string[]): MatcherResult {
    const bad = guard(received, 'toHaveTransitionedThrough');
    if (bad) return bad;
    const r = received as ExecutionResult;
    let i = 0;
    for (const s of r.statesEntered) if (s === states[i]) i += 1;
    const pass = i === states.length;
    return {
      pass,
      message: () => `expected the execution ${pass ? 'not ' : ''}to pass through [${states.join(' → ')}] in order; it went [${r.statesEntered.join(' → ')}]${pass ? '' : ` (missing from ${states[i]})`}`,
    };
  },
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
