// README example: reusing OrderWorkflow in another CDK app (type-checked by `npm test`).
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApprovalMode, OrderWorkflow } from 'stepwise-cdk';

export function buildShopApp(): App {
  const app = new App();
  const stack = new Stack(app, 'Shop');
  const orders = new OrderWorkflow(stack, 'Orders', {
    stateMachineType: sfn.StateMachineType.EXPRESS,
    approvalMode: ApprovalMode.REJECT, // Express cannot wait for a human
    approvalThreshold: 50_000, // cents
    reminderDelay: Duration.minutes(2), // must fit in Express's 5 minutes
  });
  // Everything the construct creates is public: wire it into the rest of your app.
  orders.inventoryTable.grantReadData(orders.functions.checkInventory);
  return app;
}
