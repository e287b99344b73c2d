// Where commands read and write, injectable so tests can run them in-process.
import { readFileSync } from 'node:fs';
import { startLocalDynamoDb, type LocalDynamoDb } from '../local/dynamodb';
import type { StackArtifact } from '../local/template';

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

/** Reads a file (or `-` for stdin) as text, with an error that names it; an empty standard input is refused. */
export function readTextArg(file: string, io: Io, what: string): string {
  let text: string;
  try {
    text = file === '-' ? io.stdin() : readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the ${what} ${file === '-' ? 'from standard input' : file}: ${(e as Error).message}`);
  }
  if (file === '-' && text.trim() === '') {
    throw new Error(`Standard input is empty: the ${what} was to be read from it (\`-\`). Pipe the JSON in (e.g. \`echo '{}' | stepwise ...\`) or pass a file`);
  }
  return text;
}

/** Parses JSON text read by readTextArg, with an error that names where it came from. */
export function parseJsonArg(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`The ${what} ${file === '-' ? '(standard input)' : file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads a JSON file (or `-` for stdin), with an error that names the file and the problem. */
export function readJsonArg(file: string, io: Io, what: string): unknown {
  return parseJsonArg(readTextArg(file, io, what), file, what);
}

/**
 * `--local-dynamodb` with an optional `--seed` file (`{ "<table>": [items] }`): the stacks' tables
 * started on loopback and filled. The database is stopped again if the seed cannot be read or written.
 */
export async function startSeededDynamoDb(stacks: readonly StackArtifact[], seedFile: string | undefined, io: Io): Promise<LocalDynamoDb> {
  const dynamo = await startLocalDynamoDb(stacks);
  try {
    if (seedFile) {
      const seed = readJsonArg(seedFile, io, 'seed file') as Record<string, Record<string, unknown>[]>;
      for (const [table, items] of Object.entries(seed)) await dynamo.put(table, items);
    }
    return dynamo;
  } catch (e) {
    await dynamo.stop();
    throw e;
  }
}
