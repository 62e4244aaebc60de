import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { ... } from 'cdktf-cbr';
import { Policy, Retention, Schedule, UtcOffset, Vault, VaultObjectType, VaultResource } from '../../src';

export interface DailyVaultProps {
  /**
   * ECS servers the vault protects (their ids).
   * @default - none: the vault starts empty and resources are added later
   */
  readonly serverIds?: string[];
}

/**
 * A server vault with a daily backup policy: every night at 02:00 China Standard Time
 * (18:00 UTC), backups kept for 30 days.
 *
 * Builds into any scope, so the same content can be synthesized by `DailyVaultStack`
 * or placed into a stack of your own (the end-to-end test does that).
 */
export function buildDailyVault(scope: Construct, props: DailyVaultProps = {}): { vault: Vault; policy: Policy } {
  const vault = new Vault(scope, 'Servers', {
    vaultName: 'daily-servers',
    objectType: VaultObjectType.SERVER,
    size: 100, // GB
    description: 'application servers, backed up nightly',
    tags: { team: 'platform', env: 'prod' },
    // removalPolicy defaults to RETAIN: `terraform destroy` keeps the vault and its backups.
  });

  const policy = new Policy(scope, 'Daily', {
    policyName: 'daily-0200',
    // Give the time in local time; the API's patterns are in UTC, so this becomes BYHOUR=18.
    schedule: Schedule.daily({ hour: 2, utcOffset: UtcOffset.hours(8) }),
    retention: Retention.days(30),
  });

  vault.attachPolicy(policy);

  const servers = props.serverIds ?? [];
  if (servers.length > 0) {
    vault.addResources('AppServers', servers.map((id) => VaultResource.server(id)));
  }
  return { vault, policy };
}

/** The example as a stack of its own. */
export class DailyVaultStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: DailyVaultProps = {}) {
    super(scope, id);
    buildDailyVault(this, props);
  }
}
