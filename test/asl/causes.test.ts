// The catalogue of AWS's wording (lib/asl/causes.ts): each entry a recording proves gives AWS's
// text byte for byte, each entry's doc says whether a recording proves it, and no AWS text is
// typed anywhere else in lib/ or in the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { apiMessages, causes } from '../../lib/asl/causes';
import fixtures from '../fixtures/aws-causes.json';

type Entry = keyof typeof causes | keyof typeof apiMessages;

/** AWS's recorded text for a case, from test/fixtures/aws-causes.json. */
function recorded(name: string): string {
  const r = fixtures.recordings.find((x) => x.case === name);
  if (!r) throw new Error(`no recording of ${name} in test/fixtures/aws-causes.json`);
  return r.cause;
}

/** Equal, except that a placeholder of a redacted recording (`<request_id>`) stands for any text. */
function sameText(expected: string, actual: string): boolean {
  if (!/<[^<>]+>/.test(expected)) return expected === actual;
  const pattern = expected
    .split(/<[^<>]+>/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** Each recording, the entries it proves and the catalogue's text for it (arguments from the case's definition and input). */
const RECORDED: { case: string; entries: Entry[]; text: string }[] = [
  {
    case: 'test_wait.test_base_wait_seconds_path_-1_.get_execution_history',
    entries: ['inState', 'secondsPathNegative'],
    text: causes.inState('WaitState', 2, causes.secondsPathNegative('$.input.waitSeconds', -1)),
  },
  {
    case: 'test_wait.test_base_wait_seconds_path_1.5_.get_execution_history',
    entries: ['inState', 'secondsPathNotLong'],
    text: causes.inState('WaitState', 2, causes.secondsPathNotLong('$.input.waitSeconds', 1.5)),
  },
  {
    case: 'test_base_scenarios.test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH_.get_execution_history',
    entries: ['inState', 'jsonPathNotFound'],
    text: causes.inState('pass', 2, causes.jsonPathNotFound('$.no_such_jsonpath', 'value.$', { 'int-literal': 0 })),
  },
  {
    case: 'test_assign_reference_variables.test_undefined_reference_BASE_UNDEFINED_OUTPUT_FIELD_.get_execution_history',
    entries: ['inState', 'jsonataReturnedNothing'],
    text: causes.inState('State0', 2, causes.jsonataReturnedNothing('$doesNotExist', 'Output/result')),
  },
  {
    case: 'test_base_scenarios.test_map_state_items_input_types_string_.get_execution_history',
    entries: ['inState', 'mapInputNotArray'],
    text: causes.inState('MapIterateState', 4, causes.mapInputNotArray('string')),
  },
  {
    case: 'test_base_scenarios.test_map_state_items_input_types_object_.get_execution_history',
    entries: ['inState', 'mapInputNotArray'],
    text: causes.inState('MapIterateState', 4, causes.mapInputNotArray({ foo: 'bar' })),
  },
  {
    case: 'test_base_scenarios.test_map_state_tolerated_failure_count_path_-1_.get_execution_history',
    entries: ['inState', 'toleratedFailureCountNegative'],
    text: causes.inState('MapState', 2, causes.toleratedFailureCountNegative()),
  },
  {
    case: 'test_base_scenarios.test_map_state_tolerated_failure_percentage_path_-1.1_.get_execution_history',
    entries: ['inState', 'toleratedFailurePercentageOutOfRange'],
    text: causes.inState('MapState', 2, causes.toleratedFailurePercentageOutOfRange()),
  },
  {
    case: 'test_base_scenarios.test_map_state_tolerated_failure_percentage_path_NoNumber_.get_execution_history',
    entries: ['inState', 'pathValueNotValid'],
    text: causes.inState('MapState', 2, causes.pathValueNotValid('ToleratedFailurePercentage', 'NoNumber', 'float', '$.ToleratedFailurePercentage')),
  },
  {
    case: 'test_base_scenarios.test_max_concurrency_path_max_concurrency_value0_.get_execution_history',
    entries: ['inState', 'pathValueNotValid'],
    text: causes.inState('MapState', 2, causes.pathValueNotValid('MaxConcurrency', {}, 'integer', '$.MaxConcurrencyValue')),
  },
  {
    case: 'test_base_scenarios.test_wait_timestamp_jsonata_INVALID_TIME_.get_execution_history',
    entries: ['inState', 'timestampNotIso'],
    text: causes.inState('WaitState', 2, causes.timestampNotIso('2016-12-05T25:29:29Z')),
  },
  {
    case: 'error_handling.test_states_errors.TestStatesErrors_test_service_task_lambada_data_limit_exceeded_on_large_utf8_response.get_execution_history',
    entries: ['dataLimitExceeded'],
    text: causes.dataLimitExceeded('lambda'),
  },
  {
    case: 'error_handling.test_task_service_lambda.TestTaskServiceLambda_test_no_such_function.get_execution_history',
    entries: ['lambdaServiceException', 'lambdaFunctionNotFound'],
    text: causes.lambdaServiceException(
      apiMessages.lambdaFunctionNotFound('arn:aws:lambda:us-east-1:111111111111:function:no_such_lambda_function_name:$LATEST'),
      404,
      'ResourceNotFoundException',
      'a-request-id',
    ),
  },
];

describe('the catalogue of AWS causes', () => {
  it.each(RECORDED.map((r) => [r.case, r] as const))('reproduces the recorded cause of %s', (_name, r) => {
    const expected = recorded(r.case);
    // toBe first, so a mismatch shows both texts.
    if (!sameText(expected, r.text)) expect(r.text).toBe(expected);
  });

  it('uses every recording it holds', () => {
    expect(fixtures.recordings.map((x) => x.case).sort()).toEqual(RECORDED.map((r) => r.case).sort());
  });

  it("says 'Recorded' in an entry's doc exactly when a recording above proves it", () => {
    const source = readFileSync(join(__dirname, '../../lib/asl/causes.ts'), 'utf8');
    const docs = new Map<string, string>();
    for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*(\w+): \(/g)) docs.set(m[2] as string, m[1] as string);
    const names = [...Object.keys(causes), ...Object.keys(apiMessages)];
    expect(new Set(names).size).toBe(names.length);
    expect([...docs.keys()].sort()).toEqual([...names].sort());
    const proven = new Set(RECORDED.flatMap((r) => r.entries));
    const claimed = names.filter((n) => /\bRecorded\b/.test(docs.get(n) as string));
    expect(claimed.sort()).toEqual([...proven].sort());
    for (const n of names) if (!proven.has(n as Entry)) expect([n, /Not recorded/.test(docs.get(n) as string)]).toEqual([n, true]);
  });

  it('compares redacted placeholders as any text, and nothing else', () => {
    expect(sameText('Request ID: <request_id>; Proxy: null', 'Request ID: 1-2-3; Proxy: null')).toBe(true);
    expect(sameText('Request ID: <request_id>; Proxy: null', 'Request ID: 1-2-3; Proxy: none')).toBe(false);
    expect(sameText('a.b', 'axb')).toBe(false);
  });
});

// ── No AWS text outside the catalogue ──────────────────────────────────────────────────────────

const MARK = '\ue000';

/**
 * The fixed parts of every catalogue text (at least 12 characters, with a word in them): each
 * entry is called with a marker for every argument and its text split at the markers.
 */
function fixedParts(): Map<string, string> {
  const parts = new Map<string, string>();
  const entries = { ...causes, ...apiMessages } as Record<string, (...args: unknown[]) => string>;
  for (const [name, fn] of Object.entries(entries)) {
    const args = name === 'invalidDefinition' ? [[{ message: MARK, pointer: MARK }]] : Array.from({ length: fn.length }, () => MARK);
    for (const piece of fn(...args).split(/"?\ue000"?/)) {
      const text = piece.trim();
      if (text.length >= 12 && /[a-z]{3}/i.test(text)) parts.set(text, name);
    }
  }
  return parts;
}

/** Lines of TypeScript source (comments aside) that contain a fixed part of a catalogue text. */
function inlineTexts(file: string, source: string, parts: Map<string, string>): string[] {
  const hits: string[] = [];
  source.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) return;
    for (const [part, entry] of parts) if (line.includes(part)) hits.push(`${file}:${i + 1} types ${JSON.stringify(part)} (causes/apiMessages.${entry})`);
  });
  return hits;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Stepwise's own messages that open as AWS's do; they are not AWS causes. */
const OWN_MESSAGES = [
  // An intrinsic argument that does not parse: a definition problem, reported before any run.
  'lib/asl/data/intrinsics/index.ts types "Invalid path \'"',
  // The JSONPath step budget (JSONPATH_BUDGET), a limit of Stepwise's.
  'lib/asl/data/json-path.ts types "The JSONPath \'"',
  // A JSONata expression that does not parse or uses what Step Functions refuses: a definition problem.
  'lib/asl/data/jsonata.ts types "The JSONata expression \'"',
];

describe('AWS texts outside the catalogue', () => {
  const root = join(__dirname, '../..');
  const parts = fixedParts();

  it('are typed nowhere in lib/ or the tests: they come from lib/asl/causes.ts', () => {
    const files = [...tsFiles(join(root, 'lib')), ...tsFiles(join(root, 'test'))]
      .map((f) => relative(root, f).split('\\').join('/'))
      .filter((f) => f !== 'lib/asl/causes.ts' && f !== 'test/asl/causes.test.ts');
    const hits = files.flatMap((f) => inlineTexts(f, readFileSync(join(root, f), 'utf8'), parts));
    const unexpected = hits.filter((h) => !OWN_MESSAGES.some((own) => h.replace(/:\d+ types/, ' types').startsWith(own)));
    expect(unexpected).toEqual([]);
    // Each exception above still names a line that exists.
    for (const own of OWN_MESSAGES) expect([own, hits.some((h) => h.replace(/:\d+ types/, ' types').startsWith(own))]).toEqual([own, true]);
  });

  it('would be found if one were typed inline', () => {
    expect(parts.size).toBeGreaterThan(50);
    const source = [
      '// A comment may quote AWS: The specified tolerated failure threshold was exceeded',
      `const cause = "An error occurred while executing the state '" + name + "' (entered at the event id #" + id + ').';`,
      `const m = "Execution Does Not Exist: '" + arn + "'";`,
    ].join('\n');
    expect(inlineTexts('x.ts', source, parts)).toEqual([
      `x.ts:2 types "An error occurred while executing the state '" (causes/apiMessages.inState)`,
      `x.ts:2 types "' (entered at the event id #" (causes/apiMessages.inState)`,
      `x.ts:3 types "Execution Does Not Exist: '" (causes/apiMessages.executionDoesNotExist)`,
    ]);
  });
});
