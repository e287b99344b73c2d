// The metadata key under which Stepwise's constructs record each function's handler source, and
// from which lib/local reads it back. Dependency-free so both sides can import it.

/** Metadata key (on the function construct) holding the path of its TypeScript entry. */
export const ENTRY_METADATA = 'stepwise:entry';
