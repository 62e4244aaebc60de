import { App } from 'cdktf';
import { ImportedVaultsStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/imported-vaults.
const app = new App();
new ImportedVaultsStack(app, 'imported-vaults', {
  // Replace with objects of your project.
  legacyVaultId: '3b5816b5-f29c-4172-9d9a-76c719a659ce',
  sharedVaultName: 'shared-backups',
  standardPolicyName: 'standard-daily',
  serverIds: ['0b5e4a7c-1f2d-4e3a-9c8b-7d6e5f4a3b21'],
});
app.synth();
