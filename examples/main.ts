import { App } from 'cdktf';
import { BackupStack } from './backup-stack';

// `cdktf synth` entry point for the example (see cdktf.json).
const app = new App();
new BackupStack(app, 'backup');
app.synth();
