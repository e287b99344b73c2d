// Encoding intrinsics: States.Base64Encode and States.Base64Decode.
import { intrinsicFailure, type IntrinsicFunction } from './signature';

/** AWS limits the input of the Base64 functions to 10,000 characters. */
const MAX_INPUT = 10000;

export const encodingFunctions: IntrinsicFunction[] = [
  {
    name: 'States.Base64Encode',
    params: ['string'],
    impl: ([s]) => {
      const str = s as string;
      if (str.length > MAX_INPUT) throw intrinsicFailure('States.Base64Encode', `the input is longer than ${MAX_INPUT} characters`);
      return Buffer.from(str, 'utf8').toString('base64');
    },
  },
  {
    name: 'States.Base64Decode',
    params: ['string'],
    impl: ([s]) => {
      const str = s as string;
      if (str.length > MAX_INPUT) throw intrinsicFailure('States.Base64Decode', `the input is longer than ${MAX_INPUT} characters`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.length % 4 === 1) {
        throw intrinsicFailure('States.Base64Decode', `the input is not valid Base64: ${JSON.stringify(str)}`);
      }
      return Buffer.from(str, 'base64').toString('utf8');
    },
  },
];
