import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdktf-cbr';
import { Policy, RemovalPolicy, Retention, Schedule, Vault, VaultObjectType } from '../src';

export interface BackupStackProps {
  /** Capacity of the production vault in GB. */
  readonly prodSize?: number;
}

/** The example stack: a production server vault kept on destroy, a scratch disk vault, and two policies. */
export class BackupStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BackupStackProps = {}) {
    super(scope, id);
    new Vault(this, 'ProdServers', {
      vaultName: 'prod-servers',
      objectType: VaultObjectType.SERVER,
      size: props.prodSize ?? 100,
      description: 'production ECS servers',
      tags: { team: 'platform', env: 'prod' },
      // RETAIN is the default: destroying the stack keeps the vault and its backups.
    });
    new Vault(this, 'ScratchDisks', {
      vaultName: 'scratch-disks',
      objectType: VaultObjectType.DISK,
      size: 40,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new Policy(this, 'Nightly', {
      policyName: 'nightly',
      schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=18;BYMINUTE=0']),
      retention: Retention.days(35),
    });
    new Policy(this, 'Weekly', {
      policyName: 'weekly',
      schedule: Schedule.fromPatterns(['FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30']),
      retention: Retention.count(12),
    });
  }
}
