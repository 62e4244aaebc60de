import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { ... } from 'cdktf-cbr';
import { Policy, PolicyType, Retention, Schedule, Vault, VaultObjectType } from '../../src';

export interface CrossRegionReplicationProps {
  /** The region the replicas go to, e.g. `cn-north-4`. */
  readonly destinationRegion: string;
  /** Your project id in the destination region. */
  readonly destinationProjectId: string;
  /**
   * The id of the replication vault in the destination region (a vault with
   * `protectType: ProtectType.REPLICATION`, created there by a stack applied with
   * HW_REGION_NAME set to that region, or in the console).
   */
  readonly destinationVaultId: string;
  /**
   * Accelerate the cross-region transfer.
   * @default false
   */
  readonly enableAcceleration?: boolean;
}

/**
 * A server vault with two policies: a nightly backup policy, and a replication policy that copies
 * the vault's backups to a vault in another region every day, two hours after the backups start.
 * A vault takes one backup policy and one replication policy at the same time.
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

  const replicate = new Policy(scope, 'Replicate', {
    policyName: 'primary-replicate',
    policyType: PolicyType.REPLICATION,
    schedule: Schedule.daily({ hour: 3 }), // 03:00 UTC
    // How many replicas the destination vault keeps.
    retention: Retention.count(30),
    destinationRegion: props.destinationRegion,
    destinationProjectId: props.destinationProjectId,
    enableAcceleration: props.enableAcceleration,
  });
  // A replication policy needs the destination vault when it is applied (API 4.5.8).
  primary.attachPolicy(replicate, { destinationVaultId: props.destinationVaultId });
}

/** The example as a stack of its own. */
export class CrossRegionReplicationStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: CrossRegionReplicationProps) {
    super(scope, id);
    buildCrossRegionReplication(this, props);
  }
}
