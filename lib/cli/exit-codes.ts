// Exit codes of the stepwise CLI. Only bin/stepwise.ts calls process.exit with them.

/** What a stepwise command's exit code means. */
export enum ExitCode {
  /** The execution SUCCEEDED, or the definition is valid. */
  OK = 0,
  /** The execution FAILED. */
  EXECUTION_FAILED = 1,
  /** The command line was wrong (unknown option, missing argument). */
  USAGE = 2,
  /** The definition is invalid (every problem is printed with its JSON pointer). */
  INVALID_DEFINITION = 3,
  /** The execution TIMED_OUT. */
  TIMED_OUT = 4,
  /** The execution was ABORTED. */
  ABORTED = 5,
  /** Something could not be loaded: the cloud assembly, a file, the mocks, the input. */
  LOAD_ERROR = 6,
}

/** One line per code, for `--help`. */
export const EXIT_CODE_HELP = [
  '  0  SUCCEEDED (run) / valid definition (validate)',
  '  1  the execution FAILED',
  '  2  wrong command line',
  '  3  invalid definition (problems printed with JSON pointers)',
  '  4  the execution TIMED_OUT',
  '  5  the execution was ABORTED',
  '  6  could not load the app, a file, the mocks or the input',
].join('\n');
