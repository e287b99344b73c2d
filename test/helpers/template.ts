// Reads the state machine out of a synthesized template: resolves the DefinitionString's
// Fn::Join (partition Ref and function ARN GetAtt) into plain ASL for assertions and snapshots.
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import type { MachineDefinition } from '../../lib/asl';

type Part = string | { Ref: string } | { 'Fn::GetAtt': [string, string] };

/** The parsed ASL definition, with function ARNs written as `fn:<LogicalId>`. */
export function definitionOf(template: Template): MachineDefinition {
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines);
  const body = (machine as { Properties: { DefinitionString: string | { 'Fn::Join': [string, Part[]] } } }).Properties.DefinitionString;
  if (typeof body === 'string') return JSON.parse(body) as MachineDefinition;
  const text = body['Fn::Join'][1]
    .map((p) => {
      if (typeof p === 'string') return p;
      if ('Ref' in p) return p.Ref === 'AWS::Partition' ? 'aws' : `ref:${p.Ref}`;
      return `fn:${p['Fn::GetAtt'][0]}`;
    })
    .join('');
  return JSON.parse(text) as MachineDefinition;
}

/** Template of a stack, synthesized once. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** Removes volatile values (logical-id hashes) so snapshots stay stable. */
export function normalizeIds(def: MachineDefinition): MachineDefinition {
  return JSON.parse(JSON.stringify(def).replace(/fn:([A-Za-z]+?)Function[0-9A-F]{8}/g, 'fn:$1Function')) as MachineDefinition;
}
