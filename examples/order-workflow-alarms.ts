// README example: the OrderWorkflow's operations props (type-checked by `npm test`).
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OrderWorkflow } from '../lib';

const app = new App();
const stack = new Stack(app, 'Shop');
const pager = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');

const orders = new OrderWorkflow(stack, 'Orders', {
  alarms: { threshold: 1, period: Duration.minutes(5) }, // or `alarms: true` for these defaults
  alarmTopic: pager, // notified when an alarm fires and when it recovers
});
orders.metricOrdersPlaced(); // namespace `metricsNamespace`, dimension service = `serviceName`

// The metric* methods feed your own dashboards and alarms.
new cloudwatch.Dashboard(stack, 'Orders', {
  widgets: [
    [
      new cloudwatch.GraphWidget({
        left: [orders.metricSucceeded(), orders.metricFailed()],
        right: [orders.metricOrdersPlaced(), orders.metricOrdersDeclined()],
      }),
    ],
  ],
});
