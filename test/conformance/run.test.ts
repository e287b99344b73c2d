// Runs the project's own conformance cases; the shared AWS-recorded set runs from .ci/run
// (`npm run conformance -- ../shared/conformance/cases`) when it is present.
import { join } from 'node:path';
import { matches, loadCases, runCase } from './runner';

const cases = loadCases(join(__dirname, 'cases'));
// A sample of the shared task cases (AWS recordings with Lambda functions), with the folder's
// reference emulator: the runner binds each case's functions to it.
const taskCases = loadCases(join(__dirname, 'task-cases'));

describe('conformance (own cases)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await runCase(c);
    expect(result.reason).toBe('');
    expect(result.passed).toBe(true);
  });
});

describe('conformance (own task cases, functions bound to lambda-emulator.mjs)', () => {
  it('loads the functions and the emulator', () => {
    expect(taskCases.length).toBeGreaterThan(0);
    for (const c of taskCases) {
      expect(c.functions).toBeDefined();
      expect(typeof c.emulator?.createLambdaEmulator).toBe('function');
    }
  });

  it.each(taskCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await runCase(c);
    expect(result.reason).toBe('');
    expect(result.passed).toBe(true);
    expect(result.historyReason ?? '').toBe('');
  });
});

describe('conformance comparison', () => {
  it('treats placeholders as wildcards only in redacted cases', () => {
    expect(matches('id <uuid:1> end', 'id 1234 end', true)).toBe(true);
    expect(matches('id <uuid:1> end', 'id 1234 end', false)).toBe(false);
    expect(matches('id <uuid:1> end', 'other 1234 end', true)).toBe(false);
  });

  it('ignores key order and compares numbers as numbers', () => {
    expect(matches({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1.0 }, false)).toBe(true);
    expect(matches([1, 2], [2, 1], false)).toBe(false);
  });
});
