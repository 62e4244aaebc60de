import { App } from 'cdktf';
import { LongTermRetentionStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/long-term-retention.
const app = new App();
new LongTermRetentionStack(app, 'long-term-retention');
app.synth();
