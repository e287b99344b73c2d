// Finds the TypeScript (or JavaScript) entry of each NodejsFunction of an in-memory CDK Stack, so
// the testing tools can run any app's handlers from source under Jest (coverage, watch mode) with
// no code of the app's own. The synthesized template does not record the entry (only the bundled
// asset), but the function's asset staging keeps the bundling options it was given: the entry's
// path relative to the project root is in the esbuild command (`/asset-input/<entry>`), and the
// staging's sourcePath is that project root. Nothing found means no entry: the bundle runs, as
// it would for any function that is not a NodejsFunction.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { IConstruct } from 'constructs';

/** The part of aws-cdk-lib's AssetStaging read here (its bundling options are not public API). */
interface StagingLike {
  readonly sourcePath?: unknown;
  readonly fingerprintOptions?: { readonly bundling?: { readonly command?: unknown; readonly props?: { readonly entry?: unknown } } };
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** The entry a function's bundling was given, or undefined when it has none that exists on disk. */
function entryOf(fn: IConstruct): string | undefined {
  const staging = fn.node.tryFindChild('Code')?.node.tryFindChild('Stage') as StagingLike | undefined;
  const bundling = staging?.fingerprintOptions?.bundling;
  if (!bundling) return undefined;
  const candidates: string[] = [];
  const recorded = bundling.props?.entry;
  if (typeof recorded === 'string') candidates.push(recorded);
  // The command form: `esbuild --bundle "/asset-input/<relative entry>" ...`, relative to sourcePath.
  const command = Array.isArray(bundling.command) ? bundling.command.join(' ') : undefined;
  const relative = command ? /\/asset-input\/([^'"\s]+)/.exec(command)?.[1] : undefined;
  if (relative && typeof staging.sourcePath === 'string') candidates.push(join(staging.sourcePath, relative));
  return candidates.find((c) => isAbsolute(c) && SOURCE.test(c) && existsSync(c));
}

/**
 * The entry of every function under `scope` that was bundled from one (a NodejsFunction), by the
 * function's construct path (without a leading slash).
 */
export function discoverEntries(scope: IConstruct): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of scope.node.findAll()) {
    if (c.node.id !== 'Code' || !c.node.scope) continue;
    const fn = c.node.scope;
    const entry = entryOf(fn);
    if (entry) out.set(fn.node.path, entry);
  }
  return out;
}
