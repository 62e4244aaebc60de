import { App } from 'cdktf';
import { CrossRegionReplicationStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/cross-region-replication.
const app = new App();
new CrossRegionReplicationStack(app, 'cross-region-replication', {
  // Replace with your destination region, your project there, and the replication vault's id.
  destinationRegion: 'cn-north-4',
  destinationProjectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  destinationVaultId: '3b5816b5-f29c-4172-9d9a-76c719a659ce',
});
app.synth();
