import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdktf-cbr';
import {
  hbr, Policy, RemovalPolicy, Retention, Schedule, UtcOffset, Vault, VaultObjectType, VaultResource, Weekday,
} from '../src';

export interface BackupStackProps {
  /** Capacity of the production vault in GB. */
  readonly prodSize?: number;
  /** HBR vault the backup clients register with; no HBR clients without it. */
  readonly hbrVaultId?: string;
  /** ECS instances that get an HBR backup client. */
  readonly hbrInstanceIds?: string[];
}

/**
 * The example stack: a production server vault (kept on destroy) protecting two servers, a disk
 * vault, a nightly and a weekly policy with long-term retention, tags, and HBR backup clients.
 */
export class BackupStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BackupStackProps = {}) {
    super(scope, id);
    const prod = new Vault(this, 'ProdServers', {
      vaultName: 'prod-servers',
      objectType: VaultObjectType.SERVER,
      size: props.prodSize ?? 100,
      description: 'production ECS servers',
      tags: { team: 'platform', env: 'prod' },
      // RETAIN is the default: destroying the stack keeps the vault and its backups.
    });
    const disks = new Vault(this, 'DataDisks', {
      vaultName: 'data-disks',
      objectType: VaultObjectType.DISK,
      size: 40,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // 02:00 in Shanghai (UTC+08:00) every night: the pattern says BYHOUR=18 in UTC.
    const nightly = new Policy(this, 'Nightly', {
      policyName: 'nightly',
      schedule: Schedule.daily({ hour: 2, utcOffset: UtcOffset.hours(8) }),
      retention: Retention.longTerm({ daily: 7, weekly: 4, monthly: 12, timezone: UtcOffset.hours(8), maxBackups: 30 }),
    });
    const weekly = new Policy(this, 'Weekly', {
      policyName: 'weekly',
      schedule: Schedule.weekly({ days: [Weekday.SUNDAY], hour: 3, minute: 30 }),
      retention: Retention.longTerm({ weekly: 8, yearly: 3, timezone: UtcOffset.hours(8) }),
    });
    prod.attachPolicy(nightly);
    disks.attachPolicy(weekly);

    prod.addResources('Web', [
      VaultResource.server('b1a4c2f0-0000-4000-8000-00000000web1'),
      VaultResource.server('b1a4c2f0-0000-4000-8000-00000000web2', { excludeVolumes: ['d1a4c2f0-0000-4000-8000-0000000tmp02'] }),
    ]);
    disks.addResources('Db', [VaultResource.disk('d1a4c2f0-0000-4000-8000-000000000db1')]);

    if (props.hbrVaultId && props.hbrInstanceIds?.length) {
      new hbr.BackupClient(this, 'FileAgents', {
        vaultId: props.hbrVaultId,
        instanceIds: props.hbrInstanceIds,
        versionPolicy: hbr.ClientVersionPolicy.UPGRADE_TO_LATEST,
      });
    }
  }
}
