import { Construct } from 'constructs';
import type { BackupClientSpec } from '../../contract/specs';
import { backupClientViolations } from '../../rules/backup-client';
import { HBR_HOME, locationViolation } from '../../rules/location';
import { HookTable } from '../private/hook-table';
import { claimIdentity, stackRelativePath } from '../private/identity';
import { reportViolation } from '../private/violation';

/** What to do about installed clients older than the newest version HBR offers (MaxClientVersion). */
export enum ClientVersionPolicy {
  /** Leave installed clients at their version; new installations get the latest. */
  KEEP_INSTALLED = 'keep_installed',
  /** Upgrade (UpgradeBackupClients) every client whose ClientVersion is below MaxClientVersion. */
  UPGRADE_TO_LATEST = 'upgrade_to_latest',
}

/** CreateClients `AlertSetting`. */
export enum AlertSetting {
  /** The client sends alert notifications the way its backup vault is configured to. */
  INHERITED = 'INHERITED',
}

/** A data source type the client backs up (CreateClients ClientInfo `sourceTypes`). */
export class SourceType {
  /** SAP HANA (the value in the CreateClients example). */
  public static readonly HANA = new SourceType('HANA');
  /** ECS files. */
  public static readonly ECS_FILE = new SourceType('ECS_FILE');

  /** Any other source type HBR accepts, e.g. `SourceType.of('UDM_ECS')`. */
  public static of(value: string): SourceType {
    return new SourceType(value);
  }

  private constructor(public readonly value: string) {}
}

/** Properties of `BackupClient`. */
export interface BackupClientProps {
  /**
   * The HBR backup vault the clients back up to (CreateClients `VaultId`), e.g. `v-0001ufe...`.
   */
  readonly vaultId: string;
  /**
   * The ECS instances that get a client, e.g. `i-bp116lr...`. All must be in the region the hook
   * addresses (ALIBABA_CLOUD_REGION_ID), running, and have Cloud Assistant running.
   */
  readonly instanceIds: string[];
  /**
   * The data source types the clients back up (ClientInfo `sourceTypes`).
   * @default - none sent: the service's default for ECS file backup clients
   */
  readonly sourceTypes?: SourceType[];
  /**
   * The cluster of the backup (ClientInfo `clusterId`), e.g. `cl-000csy09q...`, for SAP HANA.
   * @default - none sent
   */
  readonly clusterId?: string;
  /**
   * How the clients send alert notifications (CreateClients `AlertSetting`).
   * @default - none sent: the service's default
   */
  readonly alertSetting?: AlertSetting;
  /**
   * Transmit backup data over HTTPS (CreateClients `UseHttps`). Chosen at installation: HBR
   * documents no call that changes it for an installed client.
   * @default false
   */
  readonly useHttps?: boolean;
  /**
   * The resource group (CreateClients `ResourceGroupId`), e.g. `rg-aekzvx7d3c4kpny`.
   * @default - none sent: the account's default resource group
   */
  readonly resourceGroupId?: string;
  /**
   * Whether apply upgrades installed clients that are older than MaxClientVersion.
   * @default ClientVersionPolicy.KEEP_INSTALLED
   */
  readonly versionPolicy?: ClientVersionPolicy;
  /**
   * The NAME of an environment variable that holds the AccessKey id to install the clients with
   * (ClientInfo `accessKeyId`). The hook reads it at apply time; the key never enters the
   * synthesized JSON or the Terraform state. Set it together with `accessKeySecretEnv`.
   * @default - an empty accessKeyId, as in the CreateClients example (ECS clients use the instance's role)
   */
  readonly accessKeyIdEnv?: string;
  /**
   * The NAME of an environment variable that holds the AccessKey secret (ClientInfo `accessKeySecret`).
   * @default - an empty accessKeySecret
   */
  readonly accessKeySecretEnv?: string;
  /**
   * The Alibaba Cloud region of the instances and the vault, e.g. `cn-hangzhou`.
   * @default - the region of the terraform run (HBR_REGION_ID or ALIBABA_CLOUD_REGION_ID)
   */
  readonly region?: string;
}


/**
 * Alibaba Cloud HBR backup clients on a set of ECS instances, managed by the `client` lifecycle hook.
 *
 * On apply the hook describes the instances' clients (DescribeBackupClients), installs a client where
 * none is usable (CreateClients), upgrades outdated ones when `versionPolicy` is UPGRADE_TO_LATEST
 * (UpgradeBackupClients), waits for the jobs (DescribeTask, HBR_TASK_TIMEOUT_MS, default 15 minutes)
 * and reports per instance. Instances that cannot take a client (InstanceNotExists,
 * InstanceNotRunning, CloudAssistNotRunningOnInstance) fail the apply with their ErrorCode; the
 * others are done, and the next apply retries only what is missing.
 *
 * Terraform runs the hook when the spec changes. To roll out a newer client version without changing
 * the construct, run `terraform apply -replace='terraform_data.cbr_client["<construct path>"]'`.
 *
 * Removal: HBR documents no uninstall call, so removing the construct, removing an instance from
 * `instanceIds` or destroying the stack leaves the clients installed (the hook says so); uninstall
 * them in the HBR console if they are no longer wanted.
 */
export class BackupClient extends Construct {
  /** The vault the clients back up to. */
  public readonly vaultId: string;
  /** The instances, sorted, without duplicates. */
  public readonly instanceIds: string[];
  private readonly props: BackupClientProps;

  constructor(scope: Construct, id: string, props: BackupClientProps) {
    super(scope, id);
    this.props = props;
    this.vaultId = props.vaultId;
    this.instanceIds = [...new Set(props.instanceIds)].sort();
    this.validate();
    for (const instanceId of this.instanceIds) {
      claimIdentity(this, `the HBR client of instance "${instanceId}"`, {
        field: 'instanceIds', value: instanceId, fix: 'List each instance in one BackupClient only.',
      });
    }
    HookTable.of(this, 'client').register(this, stackRelativePath(this), () => this.spec());
  }

  private validate(): void {
    const p = this.props;
    reportViolation(this, backupClientViolations({ ...p, sourceTypes: p.sourceTypes?.map((t) => t.value) })[0]);
    reportViolation(this, locationViolation({ region: p.region }, undefined, undefined, HBR_HOME));
  }

  /** The spec the lifecycle hook receives: every field present, no secret. */
  private spec(): BackupClientSpec {
    const p = this.props;
    return {
      vault_id: p.vaultId,
      instance_ids: [...this.instanceIds],
      source_types: (p.sourceTypes ?? []).map((t) => t.value),
      cluster_id: p.clusterId ?? '',
      alert_setting: p.alertSetting ?? '',
      use_https: p.useHttps ?? false,
      resource_group_id: p.resourceGroupId ?? '',
      version_policy: p.versionPolicy ?? ClientVersionPolicy.KEEP_INSTALLED,
      access_key_id_env: p.accessKeyIdEnv ?? '',
      access_key_secret_env: p.accessKeySecretEnv ?? '',
      region: p.region ?? '',
    };
  }
}
