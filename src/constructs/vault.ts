import { Construct, IConstruct } from 'constructs';
import type { CbrLocationOptions } from './location';
import type { IPolicy } from './policy';
import { AttachPolicyOptions, PolicyAttachment } from './policy-attachment';
import { HookTable } from './private/hook-table';
import { claimIdentity, generatedName, stackRelativePath } from './private/identity';
import { resolveLocation } from './private/location';
import { markAsOurs } from './private/relations';
import { VaultTag } from './vault-tag';
import { vaultViolations } from '../rules/vault';
import { reportViolation, requireValid } from './private/violation';
import { RemovalPolicy } from './removal-policy';
import { ResourceAssociation, VaultResource } from './resource-association';
import { VaultBilling } from './vault-billing';
import type { VaultSpec } from '../contract/specs';

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

/** Where a vault comes from, and so how lifecycle hooks find it. */
export enum VaultOrigin {
  /** Declared with `new Vault()`: its hook creates it and finds it again by its ownership tag. */
  DECLARED = 'declared',
  /** Imported with `Vault.fromVaultId()`: hooks query it by id (API 4.5.2). */
  IMPORTED_BY_ID = 'imported_by_id',
  /** Imported with `Vault.fromVaultName()`: hooks list vaults by name (API 4.5.3), which must match exactly one. */
  IMPORTED_BY_NAME = 'imported_by_name',
}

/**
 * A CBR vault, declared in this app or imported.
 *
 * Only `new Vault()`, `Vault.fromVaultId()` and `Vault.fromVaultName()` make vaults that lifecycle
 * hooks can find: a policy attachment, resource association or tag on another implementation
 * fails at synth.
 */
export interface IVault extends IConstruct {
  /** The vault's name (CBR `name`), or its id when imported by id. */
  readonly vaultName: string;
  /**
   * The vault's id (CBR `id`), when known at synth.
   * @default - unknown at synth: a declared vault gets its id when the hook creates it, and one imported by name when hooks find it
   */
  readonly vaultId?: string;
  /**
   * What the vault protects (CBR `billing.object_type`), when known at synth; resource types are
   * checked against it.
   * @default - unknown for imported vaults, unless given to the import
   */
  readonly objectType?: VaultObjectType;
  /** Whether the vault is declared in this app or imported, and how hooks find it. */
  readonly origin: VaultOrigin;
  /**
   * Whether the vault holds backups or replicas, when known at synth; a replication destination is checked against it.
   * @default - unknown for imported vaults, unless given to the import
   */
  readonly protectType?: ProtectType;
  /**
   * The vault's region; its relations (policies, resources, tags) live there too.
   * @default - the region of the terraform run (HW_REGION_NAME)
   */
  readonly region?: string;
  /**
   * The vault's project in its region.
   * @default - HW_PROJECT_ID of the terraform run
   */
  readonly projectId?: string;
  /**
   * What happens to the vault when the stack is destroyed. Its tags and, by default, its resource
   * associations follow it: kept with a retained vault, deleted with a destroyed one.
   * Imported vaults are always RETAIN: this app never deletes them.
   */
  readonly removalPolicy: RemovalPolicy;

  /** Applies a policy to this vault (see PolicyAttachment). */
  attachPolicy(policy: IPolicy, options?: AttachPolicyOptions): PolicyAttachment;

  /** Protects resources with this vault (see ResourceAssociation). */
  addResources(id: string, resources: VaultResource[]): ResourceAssociation;

  /** Sets one tag on this vault (see VaultTag). */
  addTag(key: string, value: string): VaultTag;
}

/**
 * The relations every vault of this library, declared or imported, offers. Not exported: users
 * implement IVault or use Vault, never extend this (jsii copies its members into Vault).
 */
abstract class VaultBase extends Construct implements IVault {
  public abstract readonly vaultName: string;
  public abstract readonly vaultId?: string;
  public abstract readonly objectType?: VaultObjectType;
  public abstract readonly origin: VaultOrigin;
  public abstract readonly removalPolicy: RemovalPolicy;
  public abstract readonly region?: string;
  public abstract readonly projectId?: string;
  public abstract readonly protectType?: ProtectType;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    markAsOurs(this);
  }

  /**
   * Applies a policy to this vault. A vault takes one backup and one replication policy: applying
   * a second policy of one type fails synth.
   */
  public attachPolicy(policy: IPolicy, options: AttachPolicyOptions = {}): PolicyAttachment {
    const id = `${policy.policyType === 'replication' ? 'Replication' : 'Backup'}Policy`;
    const earlier = this.node.tryFindChild(id) as PolicyAttachment | undefined;
    reportViolation(this, earlier && {
      field: 'policy',
      value: policy.policyName,
      rule: `vault "${this.vaultName}" takes one ${policy.policyType} policy (API 4.5.8), and ${earlier.node.path} applies one already`,
      fix: 'Remove one of the attachPolicy() calls.',
    });
    return new PolicyAttachment(this, id, { ...options, vault: this, policy });
  }

  /** Protects resources with this vault; one association per call, keyed by `id`. */
  public addResources(id: string, resources: VaultResource[]): ResourceAssociation {
    return new ResourceAssociation(this, id, { vault: this, resources });
  }

  /** Sets one tag on this vault, managed apart from the vault itself. */
  public addTag(key: string, value: string): VaultTag {
    return new VaultTag(this, `Tag-${key}`, { vault: this, key, value });
  }
}

/** A vault this app does not manage, found by id or name when hooks run. */
class ImportedVault extends VaultBase {
  public readonly removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN;
  public readonly region?: string;
  public readonly projectId?: string;
  public readonly objectType: VaultObjectType | undefined;
  public readonly protectType?: ProtectType;
  constructor(
    scope: Construct, id: string,
    public readonly origin: VaultOrigin.IMPORTED_BY_ID | VaultOrigin.IMPORTED_BY_NAME,
    public readonly vaultName: string,
    public readonly vaultId: string | undefined,
    options: VaultImportOptions,
  ) {
    super(scope, id);
    this.objectType = options.objectType;
    this.protectType = options.protectType;
    ({ region: this.region, projectId: this.projectId } = resolveLocation(this, options));
  }
}

/** Optional facts about an imported vault: what it protects, and where it is. */
export interface VaultImportOptions extends CbrLocationOptions {
  /**
   * What the vault protects; when given, resource types are checked at synth.
   * @default - not checked at synth
   */
  readonly objectType?: VaultObjectType;
  /**
   * Whether it holds backups or replicas; when given, a replication destination is checked at synth.
   * @default - not checked at synth
   */
  readonly protectType?: ProtectType;
}

/**
 * Properties of a CBR vault, pay-per-use (API 4.5.1) or yearly/monthly (API 4.5.14).
 *
 * Every rule the API reference states for these fields (4.5.1, 4.5.4, 4.5.14, 4.7) is checked at
 * synth; a violation fails with the vault's construct path, the field, the value received, the
 * rule and the fix. Values given as unresolved tokens are checked by the API at apply time.
 */
export interface VaultProps extends CbrLocationOptions {
  /**
   * The vault name, 1-64 characters (API 4.5.1 table 4-153).
   * @default - derived from the stack name and construct path, with a short hash
   */
  readonly vaultName?: string;
  /**
   * What the vault protects.
   */
  readonly objectType: VaultObjectType;
  /**
   * Capacity in GB, a whole number from 10 to 10485760 (CBR `billing.size`).
   */
  readonly size: number;
  /**
   * Pay-per-use, or a yearly/monthly subscription (ordered through API 4.5.14). Set at creation
   * only. Deleting a yearly/monthly vault (removalPolicy DESTROY) uses 4.5.5 like any vault; the
   * hook output names the order so the remaining term can be checked in the Billing Center.
   * @default VaultBilling.payPerUse()
   */
  readonly billing?: VaultBilling;
  /**
   * The vault description: at most 64 characters (API 4.5.1 table 4-153), 255 for a yearly/monthly
   * vault (API 4.5.14 table 4-261). The API cannot change it after creation.
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
   * Tags that select the resources `autoBind` associates (at most 5, API 4.5.1 tables 4-158/4-159):
   * keys of letters, digits, hyphens and underscores; values of letters, digits, periods, hyphens
   * and underscores.
   * @default - no rules
   */
  readonly bindRules?: { [key: string]: string };
  /**
   * Capacity usage, in percent (a whole number from 1 to 100), above which CBR notifies (CBR `threshold`).
   * @default 80
   */
  readonly threshold?: number;
  /**
   * Send exception notifications.
   * @default true
   */
  readonly smnNotify?: boolean;
  /**
   * Prefix of automatic backup names, at most 32 characters (API 4.5.1 table 4-153). Set at creation only.
   * @default - no prefix
   */
  readonly backupNamePrefix?: string;
  /**
   * Enterprise project: "0" or the project's UUID (API 4.7.2 table 4-328). Set at creation only.
   * @default "0" (the default enterprise project)
   */
  readonly enterpriseProjectId?: string;
  /**
   * Tags of the vault (at most 9: a vault takes 10 tags and the library uses one to recognise the
   * vaults it created; `VaultTag`s of this vault count too). Keys: 1-36 letters, digits, hyphens
   * and underscores; values: 0-43 letters, digits, hyphens, underscores and periods (API 4.7.3).
   * Each becomes a `VaultTag`, so adding, changing or removing one touches only that tag.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * What happens to the vault when this construct is removed or the stack destroyed.
   * Deleting a vault deletes all its backups, so the default keeps it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Take over an existing vault of this name that this deployment (this stack's Terraform state)
   * does not own: one made in the console or by another tool, one another deployment created, or
   * one this stack retained before its state was destroyed or lost. The hook tags it for this
   * construct, says so, and from then on manages it like any other; its previous owner no longer
   * finds it. Without it, a vault of the same name fails the apply instead, with this fix.
   * @default false
   */
  readonly adopt?: boolean;
}

/**
 * A CBR vault, pay-per-use or yearly/monthly. Created, updated in place and deleted by the `vault`
 * lifecycle hook.
 */
export class Vault extends VaultBase {
  /** Imports a vault by id; hooks find it with 4.5.2. */
  public static fromVaultId(scope: Construct, id: string, vaultId: string, options: VaultImportOptions = {}): IVault {
    return new ImportedVault(scope, id, VaultOrigin.IMPORTED_BY_ID, vaultId, vaultId, options);
  }

  /** Imports a vault by name, which must match exactly one vault in the project when hooks run. */
  public static fromVaultName(scope: Construct, id: string, vaultName: string, options: VaultImportOptions = {}): IVault {
    return new ImportedVault(scope, id, VaultOrigin.IMPORTED_BY_NAME, vaultName, undefined, options);
  }

  /** The vault's name: `vaultName`, or the one derived from the construct path. */
  public readonly vaultName: string;
  /** Always undefined: the cloud assigns the id when the hook creates the vault at apply. */
  public readonly vaultId?: string = undefined;
  /** What the vault protects: `objectType` of its props. */
  public readonly objectType?: VaultObjectType;
  /** Backups or replicas: `protectType` of its props. */
  public readonly protectType?: ProtectType;
  /** Always DECLARED. */
  public readonly origin: VaultOrigin = VaultOrigin.DECLARED;
  /**
   * What happens to the vault when this construct is removed or the stack destroyed.
   * @default RemovalPolicy.RETAIN
   */
  public readonly removalPolicy: RemovalPolicy;
  /**
   * The vault's region: `region` of its props, else its scope's `CbrDefaults`.
   * @default - the region of the terraform run (HW_REGION_NAME)
   */
  public readonly region?: string;
  /**
   * The vault's project: `projectId` of its props, else its scope's `CbrDefaults`.
   * @default - HW_PROJECT_ID of the terraform run
   */
  public readonly projectId?: string;
  private readonly props: VaultProps;

  constructor(scope: Construct, id: string, props: VaultProps) {
    super(scope, id);
    this.props = props;
    this.vaultName = props.vaultName ?? generatedName(this, 64);
    this.objectType = props.objectType;
    this.protectType = props.protectType ?? ProtectType.BACKUP;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    ({ region: this.region, projectId: this.projectId } = resolveLocation(this, props));
    this.validate();
    claimIdentity(this, `vault name "${this.vaultName}"`, { field: 'vaultName', value: this.vaultName, fix: 'Give one of them another vaultName.' });
    HookTable.of(this, 'vault').register(this, stackRelativePath(this), () => this.spec());
    for (const [key, value] of Object.entries(props.tags ?? {})) this.addTag(key, value);
  }

  /**
   * Every rule of API 4.5.1, 4.5.4, 4.5.14 and 4.7 that applies to these props (see
   * src/rules/vault.ts); throws the first one broken. Values given as tokens are checked by
   * the API at apply time.
   */
  private validate(): void {
    const p = this.props;
    const b = p.billing ?? VaultBilling.payPerUse();
    const billing = b.isPrePaid
      ? { chargingMode: b.chargingMode, periodType: b.periodType, periodNum: b.periodNum, autoRenew: b.autoRenew, autoPay: b.autoPay }
      : { chargingMode: b.chargingMode };
    reportViolation(this, vaultViolations({ ...p, vaultName: this.vaultName, billing })[0]);
    if (b.isPrePaid) {
      // The CBR API cannot list pending orders: an unpaid order is invisible to the hook, and a re-run would order again.
      requireValid(this, b.autoPay, {
        field: 'billing.autoPay',
        value: b.autoPay,
        rule: 'a yearly/monthly vault exists only once its order is paid, and the hook cannot see an unpaid order, so a second apply would place a second order',
        fix: 'Pass { autoPay: true } to VaultBilling.yearly()/monthly(), or create the vault in the console and import it with Vault.fromVaultId().',
      });
      requireValid(this, p.backupNamePrefix === undefined, {
        field: 'backupNamePrefix',
        value: p.backupNamePrefix,
        rule: 'the yearly/monthly order API (4.5.14, table 4-261) takes no backup_name_prefix',
        fix: 'Remove backupNamePrefix, or use pay-per-use billing.',
      });
    }
  }

  /** The spec the lifecycle hook receives: API field names, every field present. */
  private spec(): VaultSpec {
    const p = this.props;
    const billing = p.billing ?? VaultBilling.payPerUse();
    return {
      name: this.vaultName,
      description: p.description ?? '',
      object_type: p.objectType,
      protect_type: this.protectType!,
      consistent_level: p.consistentLevel ?? ConsistentLevel.CRASH_CONSISTENT,
      cloud_type: p.cloudType ?? CloudType.PUBLIC,
      charging_mode: billing.chargingMode,
      period_type: billing.periodType,
      period_num: billing.periodNum,
      is_auto_renew: billing.autoRenew,
      is_auto_pay: billing.autoPay,
      size: p.size,
      is_multi_az: p.isMultiAz ?? false,
      auto_expand: p.autoExpand ?? false,
      auto_bind: p.autoBind ?? false,
      bind_rules: { ...p.bindRules },
      threshold: p.threshold ?? 80,
      smn_notify: p.smnNotify ?? true,
      backup_name_prefix: p.backupNamePrefix ?? '',
      enterprise_project_id: p.enterpriseProjectId ?? '0',
      removal_policy: this.removalPolicy,
      adopt: p.adopt ?? false,
      region: this.region ?? '',
      project_id: this.projectId ?? '',
    };
  }
}
