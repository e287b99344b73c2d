// Resolves the CloudFormation intrinsics that appear in state machine definitions and function
// environments (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) to local values.
import type { CfnResource, CfnTemplate, CfnValue } from './template';

/** Where the local run pretends to be. */
export interface Environment {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
}

/** Thrown for a token Stepwise cannot resolve; names the token and where it was found. */
export class UnresolvedTokenError extends Error {
  constructor(
    readonly token: CfnValue,
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: cannot resolve ${JSON.stringify(token)} (${detail})`);
    this.name = 'UnresolvedTokenError';
  }
}

/** A template entry by logical id: own entries only (a name such as toString is not a resource). */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

const SERVICE_OF: Record<string, string> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::S3::Bucket': 's3',
  'AWS::StepFunctions::StateMachine': 'states',
  'AWS::StepFunctions::Activity': 'states',
  'AWS::Events::EventBus': 'events',
  'AWS::IAM::Role': 'iam',
  'AWS::Logs::LogGroup': 'logs',
};

/** The physical name a resource gets locally: its literal name property, else its logical id. */
export function physicalName(logicalId: string, resource: CfnResource | undefined): string {
  const p = resource?.Properties ?? {};
  for (const key of ['FunctionName', 'TableName', 'QueueName', 'TopicName', 'BucketName', 'StateMachineName', 'Name', 'LogGroupName', 'RoleName']) {
    if (typeof p[key] === 'string') return p[key];
  }
  return logicalId;
}

/** The ARN a resource gets locally. */
export function localArn(logicalId: string, resource: CfnResource | undefined, env: Environment): string {
  const name = physicalName(logicalId, resource);
  const { partition, region, account } = env;
  switch (resource?.Type) {
    case 'AWS::Lambda::Function':
      return `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
    case 'AWS::StepFunctions::Activity':
      return `arn:${partition}:states:${region}:${account}:activity:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${partition}:sns:${region}:${account}:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${partition}:sqs:${region}:${account}:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:${partition}:s3:::${name}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${name}`;
    default: {
      const service = (resource && SERVICE_OF[resource.Type]) ?? 'resource';
      return `arn:${partition}:${service}:${region}:${account}:${name}`;
    }
  }
}

/** What `Ref` returns for a resource type, as CloudFormation documents it. */
function refOf(logicalId: string, resource: CfnResource, env: Environment): string {
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${env.region}.amazonaws.com/${env.account}/${physicalName(logicalId, resource)}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::StepFunctions::Activity':
      return localArn(logicalId, resource, env);
    default:
      return physicalName(logicalId, resource);
  }
}

/** Resolves CloudFormation intrinsics inside a value. */
export class Resolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly env: Environment,
  ) {}

  private pseudo(name: string): string | undefined {
    switch (name) {
      case 'AWS::Partition':
        return this.env.partition;
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::AccountId':
        return this.env.account;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'LocalStack';
      case 'AWS::NoValue':
        return undefined;
      default:
        return undefined;
    }
  }

  private ref(name: string, where: string, token: CfnValue): string {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const resource = own(this.template.Resources, name);
    if (resource) return refOf(name, resource, this.env);
    const param = own(this.template.Parameters, name);
    if (param && typeof param.Default === 'string') return param.Default;
    throw new UnresolvedTokenError(token, where, param ? `parameter ${name} has no default` : `no resource or parameter named ${name}`);
  }

  private getAtt(logicalId: string, attribute: string, where: string, token: CfnValue): string {
    const resource = own(this.template.Resources, logicalId);
    if (!resource) throw new UnresolvedTokenError(token, where, `no resource named ${logicalId}`);
    if (attribute === 'Arn') return localArn(logicalId, resource, this.env);
    if (attribute === 'Name' || attribute === 'TopicName' || attribute === 'QueueName') return physicalName(logicalId, resource);
    if (attribute === 'QueueUrl') return refOf(logicalId, resource, this.env);
    if (attribute === 'StreamArn') return `${localArn(logicalId, resource, this.env)}/stream/local`;
    throw new UnresolvedTokenError(token, where, `attribute ${attribute} of ${resource.Type} is not known locally`);
  }

  private sub(template: string, vars: Record<string, CfnValue>, where: string, token: CfnValue): string {
    return template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
      if (v !== undefined) return String(this.resolve(v, where));
      if (name.includes('.')) {
        const [id, attr] = name.split('.', 2) as [string, string];
        return this.getAtt(id, attr, where, token);
      }
      return this.ref(name, where, token);
    });
  }

  /** Resolves `value`; `where` names the place for error messages (e.g. "state machine X"). */
  resolve(value: CfnValue, where: string): CfnValue {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, where));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [only] = entries;
    if (only !== undefined && entries.length === 1) {
      const [fn, arg] = only;
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg), where, value);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.', 2);
          return this.getAtt(String(id), String(attr), where, value);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, CfnValue[]];
          return (this.resolve(parts, where) as CfnValue[]).map(String).join(sep);
        }
        case 'Fn::Sub': {
          if (typeof arg === 'string') return this.sub(arg, {}, where, value);
          const [tpl, vars] = arg as [string, Record<string, CfnValue>];
          return this.sub(tpl, vars ?? {}, where, value);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [CfnValue, CfnValue];
          const arr = this.resolve(list, where);
          if (!Array.isArray(arr)) throw new UnresolvedTokenError(value, where, 'Fn::Select needs a list');
          return arr[Number(this.resolve(index, where))] ?? null;
        }
        case 'Fn::Split': {
          const [sep, str] = arg as [string, CfnValue];
          return String(this.resolve(str, where)).split(sep);
        }
        default:
          if (fn.startsWith('Fn::')) throw new UnresolvedTokenError(value, where, `${fn} is not supported locally`);
      }
    }
    const out: Record<string, CfnValue> = {};
    for (const [k, v] of entries) out[k] = this.resolve(v, where);
    return out;
  }
}
