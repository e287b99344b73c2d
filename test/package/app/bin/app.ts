import { App } from 'aws-cdk-lib';
import { greeterStack, orderStack } from '../lib/shop';

const app = new App();
orderStack(app);
greeterStack(app);
app.synth();
