import { App } from 'cdktf';
import { DailyVaultStack } from './stack';

// `cdktf synth` entry point (see cdktf.json): writes cdktf.out/stacks/daily-vault.
const app = new App();
new DailyVaultStack(app, 'daily-vault', {
  // Replace with the ids of the ECS servers to protect, or leave the list empty.
  serverIds: ['0b5e4a7c-1f2d-4e3a-9c8b-7d6e5f4a3b21', '7c1d9e2f-3a4b-4c5d-8e6f-1a2b3c4d5e6f'],
});
app.synth();
