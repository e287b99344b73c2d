// CloudFormation template types used by the local runner (only what it reads).

/** A CloudFormation value: literal JSON or an intrinsic function object. */
export type CfnValue = null | boolean | number | string | CfnValue[] | { [key: string]: CfnValue };

/** One resource of a template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
  Metadata?: Record<string, CfnValue>;
}

/** A synthesized template. */
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: CfnValue }>;
}

/** A stack as Stepwise reads it: its template and where its cloud assembly lives. */
export interface StackArtifact {
  /** Stack name (the artifact id). */
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** Construct metadata by construct path (from the assembly's metadata file). */
  readonly metadata: Record<string, { type: string; data?: unknown }[]>;
  /** The cloud assembly folder (asset paths are relative to it). */
  readonly assemblyDir?: string;
  /** Construct paths by logical id, for templates synthesized without path metadata (plain `new App()`). */
  readonly constructPaths?: Record<string, string>;
}
