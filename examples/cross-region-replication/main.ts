import { App } from 'cdktf';
import { CrossRegionReplicationStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/cross-region-replication.
const app = new App();
new CrossRegionReplicationStack(app, 'cross-region-replication', {
  // Replace with your destination region and your project there.
  destinationRegion: 'cn-north-4',
  destinationProjectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
});
app.synth();
