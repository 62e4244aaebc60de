import { Construct } from 'constructs';
import { requireValid } from './errors';
import { HookTable } from './hook-table';
import { claimIdentity, generatedName, ownerId, stackRelativePath } from './identity';
import { RemovalPolicy } from './removal-policy';
import type { VaultSpec } from '../runtime/specs';

/** The kind of resource a vault protects (CBR `billing.object_type`). */
export enum VaultObjectType {
  /** Elastic Cloud Servers. */
  SERVER = 'server',
  /** EVS disks. */
  DISK = 'disk',
  /** SFS Turbo file systems. */
  TURBO = 'turbo',
  /** Workspace desktops. */
  WORKSPACE = 'workspace',
  /** VMware virtual machines (hybrid cloud). */
  VMWARE = 'vmware',
  /** RDS instances. */
  RDS = 'rds',
  /** File backup (hybrid cloud). */
  FILE = 'file',
}

/** Whether the vault stores backups or replicas (CBR `billing.protect_type`). */
export enum ProtectType {
  /** Backups of protected resources. */
  BACKUP = 'backup',
  /** Replicas of another region's backups. */
  REPLICATION = 'replication',
}

/** Backup consistency (CBR `billing.consistent_level`). */
export enum ConsistentLevel {
  /** Crash-consistent backups. */
  CRASH_CONSISTENT = 'crash_consistent',
  /** Application-consistent backups. */
  APP_CONSISTENT = 'app_consistent',
}

/** CBR `billing.cloud_type`. */
export enum CloudType {
  /** Public cloud. */
  PUBLIC = 'public',
  /** Hybrid cloud. */
  HYBRID = 'hybrid',
}

/** A CBR vault, declared in this app or imported. */
export interface IVault {
  /** The vault's name. */
  readonly vaultName: string;
}

/** Properties of a pay-per-use CBR vault (API 4.5.1). */
export interface VaultProps {
  /**
   * The vault name, 1-64 characters.
   * @default - derived from the stack name and construct path, with a short hash
   */
  readonly vaultName?: string;
  /**
   * What the vault protects.
   */
  readonly objectType: VaultObjectType;
  /**
   * Capacity in GB, 10-10485760.
   */
  readonly size: number;
  /**
   * The vault description, at most 64 characters. The API cannot change it after creation.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Backup or replication vault.
   * @default ProtectType.BACKUP
   */
  readonly protectType?: ProtectType;
  /**
   * Backup consistency.
   * @default ConsistentLevel.CRASH_CONSISTENT
   */
  readonly consistentLevel?: ConsistentLevel;
  /**
   * Public or hybrid cloud.
   * @default CloudType.PUBLIC
   */
  readonly cloudType?: CloudType;
  /**
   * Multi-AZ vault. Set at creation only.
   * @default false
   */
  readonly isMultiAz?: boolean;
  /**
   * Expand capacity automatically when the vault fills up (pay-per-use vaults only).
   * @default false
   */
  readonly autoExpand?: boolean;
  /**
   * Associate resources automatically, filtered by `bindRules`.
   * @default false
   */
  readonly autoBind?: boolean;
  /**
   * Tags that select the resources `autoBind` associates (at most 5).
   * @default - no rules
   */
  readonly bindRules?: { [key: string]: string };
  /**
   * Capacity usage percentage (1-100) above which CBR notifies.
   * @default 80
   */
  readonly threshold?: number;
  /**
   * Send exception notifications.
   * @default true
   */
  readonly smnNotify?: boolean;
  /**
   * Prefix of automatic backup names, at most 32 characters. Set at creation only.
   * @default - no prefix
   */
  readonly backupNamePrefix?: string;
  /**
   * Enterprise project. Set at creation only.
   * @default "0" (the default enterprise project)
   */
  readonly enterpriseProjectId?: string;
  /**
   * Tags of the vault (at most 9: the library uses one tag to recognise the vaults it created).
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * What happens to the vault when this construct is removed or the stack destroyed.
   * Deleting a vault deletes all its backups, so the default keeps it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A pay-per-use CBR vault. Created, updated in place and deleted by the `vault` lifecycle hook.
 */
export class Vault extends Construct implements IVault {
  public readonly vaultName: string;
  /** The value of the ownership tag that identifies this vault in the cloud. */
  public readonly owner: string;
  private readonly props: VaultProps;
  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: VaultProps) {
    super(scope, id);
    this.props = props;
    this.vaultName = props.vaultName ?? generatedName(this, 64);
    this.owner = ownerId(this);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.validate();
    claimIdentity(this, `vault name "${this.vaultName}"`, 'Give one of them another vaultName.');
    HookTable.of(this, 'vault').register(stackRelativePath(this), () => this.spec());
  }

  private validate(): void {
    const p = this.props;
    requireValid(this, 'vaultName', this.vaultName, this.vaultName.length >= 1 && this.vaultName.length <= 64,
      'a vault name has 1-64 characters (API 4.5.1)', 'Shorten the name.');
    requireValid(this, 'size', p.size, Number.isInteger(p.size) && p.size >= 10 && p.size <= 10485760,
      'size is a whole number of GB from 10 to 10485760 (API 4.5.1)', 'Use a size in that range.');
    if (p.threshold !== undefined) {
      requireValid(this, 'threshold', p.threshold, Number.isInteger(p.threshold) && p.threshold >= 1 && p.threshold <= 100,
        'threshold is a whole percentage from 1 to 100 (API 4.5.1)', 'Use a value in that range, or omit it for 80.');
    }
  }

  /** The spec the lifecycle hook receives: API field names, every field present. */
  private spec(): VaultSpec {
    const p = this.props;
    return {
      owner: this.owner,
      name: this.vaultName,
      description: p.description ?? '',
      object_type: p.objectType,
      protect_type: p.protectType ?? ProtectType.BACKUP,
      consistent_level: p.consistentLevel ?? ConsistentLevel.CRASH_CONSISTENT,
      cloud_type: p.cloudType ?? CloudType.PUBLIC,
      charging_mode: 'post_paid',
      size: p.size,
      is_multi_az: p.isMultiAz ?? false,
      auto_expand: p.autoExpand ?? false,
      auto_bind: p.autoBind ?? false,
      bind_rules: { ...p.bindRules },
      threshold: p.threshold ?? 80,
      smn_notify: p.smnNotify ?? true,
      backup_name_prefix: p.backupNamePrefix ?? '',
      enterprise_project_id: p.enterpriseProjectId ?? '0',
      tags: { ...p.tags },
      removal_policy: this.removalPolicy,
    };
  }
}
