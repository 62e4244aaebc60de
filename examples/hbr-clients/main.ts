import { App } from 'cdktf';
import { HbrClientsStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/hbr-clients.
const app = new App();
new HbrClientsStack(app, 'hbr-clients', {
  // Replace with your HBR vault, ECS instances and HANA cluster.
  vaultId: 'v-0001ufe000000kgm',
  fileServerIds: ['i-bp116lr000000001', 'i-bp116lr000000002'],
  hanaInstanceIds: ['i-bp1hana00000000a', 'i-bp1hana00000000b'],
  hanaClusterId: 'cl-000csy09q7bd2b1ix4pj',
});
app.synth();
