// Reads stacks from a synthesized cloud assembly (cdk.out) or from an in-memory CDK Stack.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { ENTRY_METADATA } from '../constructs/entry-metadata';
import { discoverEntries } from './entry-discovery';
import type { CfnTemplate, StackArtifact } from './template';

interface Manifest {
  artifacts?: Record<
    string,
    { type: string; properties?: { templateFile?: string }; metadata?: StackArtifact['metadata']; additionalMetadataFile?: string; displayName?: string }
  >;
}

/** Thrown when a cloud assembly or stack cannot be read; the message says what and where. */
export class AssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyError';
  }
}

function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new AssemblyError(`${what} not found: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new AssemblyError(`${what} is not valid JSON: ${file}: ${(e as Error).message}`);
  }
}

/** Reads every CloudFormation stack of a cloud assembly folder (the output of `cdk synth`). */
export function readCloudAssembly(dir: string): StackArtifact[] {
  const root = resolve(dir);
  const manifest = readJson<Manifest>(join(root, 'manifest.json'), 'Cloud assembly manifest (run `cdk synth` first)');
  const stacks: StackArtifact[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly') {
      // Nested assemblies (CDK Stages) hold their own stacks.
      const nested = (artifact.properties as { directoryName?: string } | undefined)?.directoryName;
      if (nested) stacks.push(...readCloudAssembly(join(root, nested)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = readJson<CfnTemplate>(join(root, artifact.properties.templateFile), `Template of stack ${id}`);
    const metadata = artifact.additionalMetadataFile
      ? readJson<StackArtifact['metadata']>(join(root, artifact.additionalMetadataFile), `Metadata of stack ${id}`)
      : (artifact.metadata ?? {});
    // Construct paths by logical id: the assembly records each resource's logical id under its path.
    const constructPaths: Record<string, string> = {};
    for (const [path, entries] of Object.entries(metadata)) {
      const logicalId = entries.find((m) => m.type === 'aws:cdk:logicalId')?.data;
      if (typeof logicalId === 'string') constructPaths[logicalId] = path.replace(/^\//, '');
    }
    stacks.push({ stackName: id, template, metadata, assemblyDir: root, constructPaths });
  }
  return stacks;
}

/** Synthesizes the app holding `stack` (once) and reads that stack from the assembly. */
export function readStack(stack: Stack): StackArtifact {
  // aws-cdk-lib is loaded only here, from the app's own copy (a peer dependency): reading a cloud
  // assembly, as the CLI does, needs none of it.
  const { CfnElement, Stage } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const stage = Stage.of(stack);
  if (!stage) throw new AssemblyError(`Stack ${stack.node.path} is not part of an App or Stage`);
  const assembly = stage.synth();
  const artifactId = stack.artifactId;
  const found = readCloudAssembly(assembly.directory).find((s) => s.stackName === artifactId);
  if (!found) throw new AssemblyError(`Stack ${stack.node.path} was not found in its synthesized assembly (${assembly.directory})`);
  // A plain `new App()` (as in tests) synthesizes without path metadata: read it from the tree.
  const metadata = { ...found.metadata };
  const constructPaths: Record<string, string> = {};
  for (const c of stack.node.findAll()) {
    if (c.node.metadata.length > 0 && !metadata[`/${c.node.path}`])
      metadata[`/${c.node.path}`] = c.node.metadata.map((m) => ({ type: m.type, data: m.data as unknown }));
    if (CfnElement.isCfnElement(c)) constructPaths[stack.resolve(c.logicalId) as string] = c.node.path;
  }
  // Any app's NodejsFunctions: their entries, so they can run from source under a TS loader.
  for (const [path, entry] of discoverEntries(stack)) {
    const entries = metadata[`/${path}`] ?? [];
    if (!entries.some((m) => m.type === ENTRY_METADATA)) metadata[`/${path}`] = [...entries, { type: ENTRY_METADATA, data: entry }];
  }
  return { ...found, metadata, constructPaths: { ...found.constructPaths, ...constructPaths } };
}
