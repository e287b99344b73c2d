// Where commands read and write, injectable so tests can run them in-process.
import { readFileSync } from 'node:fs';

/** The streams a command uses. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input. */
  stdin(): string;
}

/** The process's own streams. */
export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  stdin: () => readFileSync(0, 'utf8'),
};

/** Reads a JSON file (or `-` for stdin), with an error that names the file and the problem. */
export function readJsonArg(file: string, io: Io, what: string): unknown {
  let text: string;
  try {
    text = file === '-' ? io.stdin() : readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the ${what} ${file === '-' ? 'from standard input' : file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`The ${what} ${file === '-' ? '(standard input)' : file} is not valid JSON: ${(e as Error).message}`);
  }
}
