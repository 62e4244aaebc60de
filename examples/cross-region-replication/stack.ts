import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { ... } from 'cdktf-cbr';
import { CbrDefaults, Policy, PolicyType, ProtectType, Retention, Schedule, Vault, VaultObjectType } from '../../src';

export interface CrossRegionReplicationProps {
  /** The region the replicas go to, e.g. `cn-north-4`. */
  readonly destinationRegion: string;
  /** Your project id in the destination region. */
  readonly destinationProjectId: string;
  /**
   * Accelerate the cross-region transfer.
   * @default false
   */
  readonly enableAcceleration?: boolean;
}

/**
 * A server vault with two policies: a nightly backup policy, and a replication policy that copies
 * the vault's backups every day, two hours after the backups start, to a replication vault in
 * another region, declared here too. One stack, one `terraform apply`: the hook creates the
 * replication vault in its region, then applies the policy with that vault's id.
 */
export function buildCrossRegionReplication(scope: Construct, props: CrossRegionReplicationProps): void {
  const primary = new Vault(scope, 'Primary', {
    vaultName: 'primary-servers',
    objectType: VaultObjectType.SERVER,
    size: 200,
    description: 'servers, replicated to another region',
  });

  primary.attachPolicy(new Policy(scope, 'Nightly', {
    policyName: 'primary-nightly',
    schedule: Schedule.daily({ hour: 1 }), // 01:00 UTC
    retention: Retention.days(14),
  }));

  // The disaster-recovery site: every CBR construct below it is in the destination region and project.
  const drSite = new Construct(scope, 'DrSite');
  CbrDefaults.set(drSite, { region: props.destinationRegion, projectId: props.destinationProjectId });
  const replicas = new Vault(drSite, 'Replicas', {
    vaultName: 'primary-replicas',
    objectType: VaultObjectType.SERVER,
    protectType: ProtectType.REPLICATION,
    size: 200,
  });

  // A replication policy lives with the vault it copies from; its destination region and project are the replication vault's.
  const replicate = new Policy(scope, 'Replicate', {
    policyName: 'primary-replicate',
    policyType: PolicyType.REPLICATION,
    schedule: Schedule.daily({ hour: 3 }), // 03:00 UTC
    // How many replicas the destination vault keeps.
    retention: Retention.count(30),
    enableAcceleration: props.enableAcceleration,
  });
  primary.attachPolicy(replicate, { destinationVault: replicas });
}

/** The example as a stack of its own. */
export class CrossRegionReplicationStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: CrossRegionReplicationProps) {
    super(scope, id);
    buildCrossRegionReplication(this, props);
  }
}
