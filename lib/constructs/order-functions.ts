// The step functions of the order workflow: which handler file each one runs, and the
// NodejsFunction defaults (esbuild bundling, Node.js 22, ARM, tracing, JSON logs).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENTRY_METADATA } from './entry-metadata';

/** The handlers of the order workflow, one per step. */
export const ORDER_STEPS = {
  validateOrder: 'validate-order',
  checkCredit: 'check-credit',
  checkInventory: 'check-inventory',
  requestApproval: 'request-approval',
  processPayment: 'process-payment',
  reserveInventory: 'reserve-inventory',
  shipOrder: 'ship-order',
  sendConfirmation: 'send-confirmation',
  sendReminder: 'send-reminder',
  refundPayment: 'refund-payment',
  releaseInventory: 'release-inventory',
} as const;

/** A step of the order workflow. */
export type OrderStep = keyof typeof ORDER_STEPS;

/** One function per step. */
export type OrderFunctions = Record<OrderStep, lambda.IFunction>;

export { ENTRY_METADATA } from './entry-metadata';

/** Path of a step's handler: the TypeScript source in this repository, or the compiled file in the package. */
export function handlerEntry(step: OrderStep): string {
  const base = join(__dirname, '..', '..', 'lambda', ORDER_STEPS[step]);
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/** This package's root (the folder of its package.json): the repository, or the installed package. */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`Stepwise cannot find its own package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Creates a step's function with the project's defaults. */
export function createStepFunction(
  scope: Construct,
  step: OrderStep,
  props: { environment: Record<string, string>; tracing: boolean; logRetention: logs.RetentionDays },
): nodejs.NodejsFunction {
  const entry = handlerEntry(step);
  const id = `${step[0]?.toUpperCase()}${step.slice(1)}Function`;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
  // The handlers belong to this package, so its root is their project root. The default (the
  // folder of the app's lock file) fails with PathNotUnderRoot when the package is linked from
  // elsewhere (`npm install <path>`). The lock file only picks a package manager for `nodeModules`,
  // which these functions do not use; an installed package has no lock file, so package.json stands in.
  const root = packageRoot();
  const lock = join(root, 'package-lock.json');
  const fn = new nodejs.NodejsFunction(scope, id, {
    entry,
    projectRoot: root,
    depsLockFilePath: existsSync(lock) ? lock : join(root, 'package.json'),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(10),
    environment: props.environment,
    tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    logGroup,
    // JSON logs at INFO: Lambda passes the level to Powertools' Logger as AWS_LAMBDA_LOG_LEVEL.
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    bundling: {
      minify: true,
      sourceMap: true,
      target: 'node22',
      // The Node.js 22 runtime ships AWS SDK v3; bundling it again only grows the package.
      externalModules: ['@aws-sdk/*'],
      forceDockerBundling: false,
    },
  });
  fn.node.addMetadata(ENTRY_METADATA, entry);
  return fn;
}
