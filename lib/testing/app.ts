// A CDK App for tests that run workflows locally. Two synth steps dominate a test file's setup and
// give nothing to a local run: bundling every function with esbuild (Stepwise runs its own
// constructs' handlers from their TypeScript source) and the built-in CloudFormation validation.
import { App, type AppProps } from 'aws-cdk-lib';

/** Options for `testApp`: every `AppProps`, plus what to keep of a full synth. */
export interface TestAppProps extends AppProps {
  /**
   * Bundle functions with esbuild, as `cdk synth` does. Needed only for functions that are not
   * Stepwise constructs (they run from their bundle; Stepwise's own run from their source).
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
