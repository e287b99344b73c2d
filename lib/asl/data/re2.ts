// The RE2 engine (re2js), loaded on the first regular expression: most definitions have none, and
// the interpreter entry point stays free of other packages until one is needed.
import type { RE2JS } from 're2js';

let engine: typeof RE2JS | undefined;

/** The RE2JS class (linear-time matching, no back-references or look-around). */
export function re2(): typeof RE2JS {
  engine ??= (require('re2js') as typeof import('re2js')).RE2JS;
  return engine;
}
