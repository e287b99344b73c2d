// Conformance cases of the shared AWS-recorded set that Stepwise does not pass, each with the reason.
// Remove an entry in the commit that makes its case pass.

/** Case name → why it fails. */
export const KNOWN_GAPS: Record<string, string> = {
  // The recorder replaced timestamps inside the *definitions* with the word "date" and did not flag
  // the cases as redacted; "date" is not an RFC 3339 timestamp, so AWS itself would refuse these
  // definitions as written. Not fixable without the original values.
  'choice.test_timestamp_greater_than.0': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_greater_than.1': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_greater_than.2': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_greater_than_equals.0': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_greater_than_equals.1': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_greater_than_equals.2': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_less_than.0': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_less_than.1': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_less_than.2': 'definition redacted ("date" in place of a timestamp)',
  'choice.test_timestamp_equals_path.0': 'input redacted ("date" for both timestamps), so the comparison cannot be reproduced',
  // Expected strings contain recorder placeholders (<json-input:1>, <ExecArnPart_0idx>) but the
  // cases are not flagged `redacted`, so the README's rules require a literal match.
  'test_base_scenarios.test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH_.get_execution_history':
    'cause holds an unflagged placeholder <json-input:1>',
  'test_base_scenarios.test_invalid_jsonpath_INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH_.get_execution_history':
    'cause holds an unflagged placeholder <json-input:1>',
  'test_generic.test_context_json_path.exec_hist_resp_0': 'output holds unflagged placeholders (<ExecArnPart_0idx>, <partition>)',
  // The recorder replaced the timestamp in the *input* with the words "timestamp"/"date", so the
  // value AWS parsed (and quoted in its cause) is gone.
  'test_base_scenarios.test_wait_timestamp_jsonata_INVALID_ISO_.get_execution_history': 'input redacted ("timestamp" in place of the value the cause quotes)',
  'test_base_scenarios.test_wait_timestamp_jsonata_INVALID_TIME_.get_execution_history': 'input redacted ("timestamp" in place of the value the cause quotes)',
  'test_base_scenarios.test_wait_timestamp_jsonata_NO_T_.get_execution_history': 'input redacted ("timestamp" in place of the value the cause quotes)',
  'test_base_scenarios.test_wait_timestamp_jsonata_SECONDS_.get_execution_history': 'input redacted ("date" in place of a valid timestamp)',
  // Task cases (../shared/conformance/task-cases).
  // AWS lets States.ALL catch the States.DataLimitExceeded of a Lambda result over 256 KiB after a
  // bare function ARN (recorded as LambdaFunctionFailed), while its docs, and Stepwise's error
  // matching (lib/asl/errors.ts errorMatches, shared with the execution core), keep States.ALL from
  // matching that error. Telling a task's oversized result from an oversized state output needs the
  // matcher to see more than the error name: left for the merge with the execution-core rewrite.
  'error_handling.test_states_errors.TestStatesErrors_test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response.get_execution_history':
    'States.ALL catches a task result over 256 KiB on AWS; errorMatches does not let it',
};
