// Jest matchers for execution results: `expect.extend(stepwiseMatchers)`.
import type { ExecutionResult, Json } from '../asl';
import type { SentMessage } from '../local/integrations';

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
function onResult<A extends unknown[]>(
  name: string,
  check: (r: ExecutionResult, ...args: A) => MatcherResult,
): (received: unknown, ...args: A) => MatcherResult {
  return (received, ...args) =>
    isResult(received)
      ? check(received, ...args)
      : { pass: false, message: () => `${name} expects an ExecutionResult (from run() or execute()), got ${JSON.stringify(received)}` };
}

/** What `toHaveSent` looks for: the service, and optionally the target (exact or its last part) and a message subset. */
export interface SentExpectation {
  readonly service: SentMessage['service'];
  readonly target?: string;
  /** Matched as a subset (objects: these keys, recursively; other values: equal). */
  readonly message?: Json;
}

function subset(expected: Json | undefined, actual: Json | undefined): boolean {
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => subset(e, actual[i]));
  const a = actual as Record<string, Json>;
  return Object.entries(expected).every(([k, v]) => Object.hasOwn(a, k) && subset(v, a[k]));
}

function sentOf(received: unknown): readonly SentMessage[] | undefined {
  if (typeof received !== 'object' || received === null) return undefined;
  const sent = (received as { sent?: unknown }).sent;
  return Array.isArray(sent) ? (sent as SentMessage[]) : undefined;
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
    return {
      pass,
      message: () => `expected the execution ${pass ? 'not ' : ''}to fail with ${error}${cause ? ` (${String(cause)})` : ''}; it ended ${describe(r)}`,
    };
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
      message: () =>
        `expected the execution ${pass ? 'not ' : ''}to pass through [${states.join(' → ')}] in order; it went [${r.statesEntered.join(' → ')}]${pass ? '' : ` (missing from ${states[i]})`}`,
    };
  }),
  /**
   * The run sent a matching message to SQS, SNS or EventBridge (`times`: exactly that many).
   * Works on a local run's result (`workflow.run()`) or an Outbox.
   */
  toHaveSent(received: unknown, expected: SentExpectation, times?: number): MatcherResult {
    const sent = sentOf(received);
    if (!sent)
      return { pass: false, message: () => `toHaveSent expects a local run's result (LocalWorkflow.run) or an Outbox, got ${JSON.stringify(received)}` };
    const hits = sent.filter(
      (m) =>
        m.service === expected.service &&
        (expected.target === undefined ||
          m.target === expected.target ||
          m.target.endsWith(`/${expected.target}`) ||
          m.target.endsWith(`:${expected.target}`)) &&
        (expected.message === undefined || subset(expected.message, m.message)),
    );
    const pass = times === undefined ? hits.length > 0 : hits.length === times;
    const list = sent.map((m) => `  ${m.service} → ${m.target}: ${JSON.stringify(m.message)}`).join('\n') || '  (nothing)';
    return {
      pass,
      message: () =>
        `expected the run ${pass ? 'not ' : ''}to have sent ${times === undefined ? '' : `${times} time(s) `}${JSON.stringify(expected)}; matched ${hits.length}. It sent:\n${list}`,
    };
  },
};

declare global {
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
      /** The run sent a matching message to SQS, SNS or EventBridge (`times`: exactly that many). */
      toHaveSent(expected: SentExpectation, times?: number): R;
    }
  }
}
