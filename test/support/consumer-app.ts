/** The consumer's app, in plain JavaScript: what a user writes after `npm install cdktf-cbr` (or cdktn-cbr). */
export const consumerApp = (cdk: string, lib: string) => `
const { App, LocalBackend, TerraformStack } = require('${cdk}');
const { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType, VaultResource } = require('${lib}');
const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'backup');
new LocalBackend(stack, { path: 'backup.tfstate' });
const vault = new Vault(stack, 'Prod', { vaultName: 'pkg-prod', objectType: VaultObjectType.SERVER, size: 100, removalPolicy: RemovalPolicy.DESTROY });
vault.attachPolicy(new Policy(stack, 'Nightly', { policyName: 'pkg-nightly', schedule: Schedule.daily({ hour: 2 }), retention: Retention.count(7) }));
vault.addResources('Web', [VaultResource.server('srv-1')]);
app.synth();
`;
