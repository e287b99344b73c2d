// Hash intrinsic: States.Hash with the algorithms AWS documents.
import { intrinsicFailure, type IntrinsicFunction } from './signature';

const ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const MAX_INPUT = 10000;

/** The algorithm names Step Functions accepts (States.Hash and JSONata's $hash). */
export const HASH_ALGORITHMS: readonly string[] = Object.keys(ALGORITHMS);

/** The hex digest of `text` (UTF-8) with a Step Functions algorithm name; undefined for any other name. */
export function hashHex(text: string, algorithm: unknown): string | undefined {
  const algo = typeof algorithm === 'string' && Object.hasOwn(ALGORITHMS, algorithm) ? ALGORITHMS[algorithm] : undefined;
  if (!algo) return undefined;
  // node:crypto is loaded on first use: it is a noticeable share of a cold start.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash(algo).update(text, 'utf8').digest('hex');
}

export const hashFunctions: IntrinsicFunction[] = [
  {
    name: 'States.Hash',
    params: ['any', 'string'],
    impl: ([data, algorithm]) => {
      if (!HASH_ALGORITHMS.includes(algorithm as string))
        throw intrinsicFailure('States.Hash', `unsupported algorithm ${JSON.stringify(algorithm)}; use one of ${HASH_ALGORITHMS.join(', ')}`);
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      if (text.length > MAX_INPUT) throw intrinsicFailure('States.Hash', `the input is longer than ${MAX_INPUT} characters`);
      return hashHex(text, algorithm) as string;
    },
  },
];
