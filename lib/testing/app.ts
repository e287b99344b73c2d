// A CDK App for tests that run workflows locally. Two synth steps dominate a test file's setup and
// give nothing to a local run under Jest: bundling every function with esbuild (handlers run from
// their TypeScript source: Stepwise's constructs record it, and any NodejsFunction's entry is read
// from its bundling options) and the built-in CloudFormation validation.
import { App, type AppProps } from 'aws-cdk-lib';

/** Options for `testApp`: every `AppProps`, plus what to keep of a full synth. */
export interface TestAppProps extends AppProps {
  /**
   * Bundle functions with esbuild, as `cdk synth` does. Needed only to run bundles: for functions
   * built from code that is neither a NodejsFunction entry nor inline, or with `handlers: { mode: 'asset' }`.
   * @default false
   */
  readonly bundling?: boolean;
}

/** The context key that lists the stacks whose assets are bundled (aws-cdk-lib's `BUNDLING_STACKS`). */
const BUNDLING_STACKS = 'aws:cdk:bundling-stacks';

/**
 * A CDK App for Jest tests that load stacks with `loadStateMachine`: it skips asset bundling and
 * the built-in CloudFormation validation (`cdk synth` still does both), which makes building and
 * synthesizing the order stack about ten times faster than with `new App()`.
 * @example
 * const orders = loadStateMachine(new OrderStack(testApp(), 'Test'));
 */
export function testApp(props: TestAppProps = {}): App {
  const { bundling = false, ...appProps } = props;
  return new App({
    builtinCloudFormationValidation: false,
    ...appProps,
    context: { ...(bundling ? {} : { [BUNDLING_STACKS]: [] }), ...appProps.context },
  });
}
