// Acknowledges cdk-nag findings on a construct on any aws-cdk-lib 2.x from 2.200 on (a peer
// dependency): `Validations` where the app's aws-cdk-lib has it, else the `cdk_nag` metadata that
// cdk-nag's NagSuppressions writes, which every cdk-nag version reads.
import * as cdk from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One acknowledged finding: `Rule-Id` or `Rule-Id[Finding]`, and why it is acceptable. */
export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

interface ValidationsLike {
  of(scope: IConstruct): { acknowledge(...acks: Acknowledgement[]): void };
}

export function acknowledge(scope: IConstruct, ...acks: Acknowledgement[]): void {
  const validations = (cdk as unknown as { Validations?: ValidationsLike }).Validations;
  if (validations) return validations.of(scope).acknowledge(...acks);
  const resource = scope.node.defaultChild;
  if (!cdk.CfnResource.isCfnResource(resource as IConstruct))
    throw new Error(`Cannot acknowledge cdk-nag findings on ${scope.node.path}: it has no CloudFormation resource`);
  const cfn = resource as cdk.CfnResource;
  const previous = (cfn.getMetadata('cdk_nag') as { rules_to_suppress?: object[] } | undefined)?.rules_to_suppress ?? [];
  const rules = acks.map(({ id, reason }) => {
    const m = /^([^[]+)\[(.*)\]$/.exec(id);
    return m ? { id: m[1], reason, applies_to: [m[2]] } : { id, reason };
  });
  cfn.addMetadata('cdk_nag', { rules_to_suppress: [...previous, ...rules] });
}
