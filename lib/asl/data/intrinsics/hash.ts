// Hash intrinsic: States.Hash with the algorithms AWS documents.
import { intrinsicFailure, type IntrinsicFunction } from './signature';

const ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const MAX_INPUT = 10000;

export const hashFunctions: IntrinsicFunction[] = [
  {
    name: 'States.Hash',
    params: ['any', 'string'],
    impl: ([data, algorithm]) => {
      const algo = ALGORITHMS[algorithm as string];
      if (!algo) throw intrinsicFailure('States.Hash', `unsupported algorithm ${JSON.stringify(algorithm)}; use one of ${Object.keys(ALGORITHMS).join(', ')}`);
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      if (text.length > MAX_INPUT) throw intrinsicFailure('States.Hash', `the input is longer than ${MAX_INPUT} characters`);
      // node:crypto is loaded on first use: it is a noticeable share of a cold start.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createHash } = require('node:crypto') as typeof import('node:crypto');
      return createHash(algo).update(text, 'utf8').digest('hex');
    },
  },
];
