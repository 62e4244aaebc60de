import { Construct, IConstruct } from 'constructs';
import { Retention, Schedule } from '../schedule';
import type { CbrLocationOptions } from './location';
import { HookTable } from './private/hook-table';
import { claimIdentity, generatedName, stackRelativePath } from './private/identity';
import { resolveLocation } from './private/location';
import { policyNameViolation } from '../rules/policy';
import { markAsOurs } from './private/relations';
import { destinationOf } from './private/replication';
import { reportViolation, requireValid } from './private/violation';
import { RemovalPolicy } from './removal-policy';
import type { PolicySpec } from '../contract/specs';
import { replicationOperationDefinition, ReplicationNaming, ReplicationSettings, replicationViolation } from '../schedule/replication';

/** Whether a policy backs up resources or replicates backups (CBR `operation_type`). */
export enum PolicyType {
  /** Scheduled backups of the vault's resources. */
  BACKUP = 'backup',
  /** Scheduled replication of the vault's backups to another region. */
  REPLICATION = 'replication',
}

/**
 * A CBR policy, declared in this app or imported.
 *
 * Only `new Policy()`, `Policy.fromPolicyId()` and `Policy.fromPolicyName()` make policies that
 * lifecycle hooks can find: attaching another implementation fails at synth.
 */
export interface IPolicy extends IConstruct {
  /** The policy's name (CBR `name`, unique in the project), or its id when imported by id. */
  readonly policyName: string;
  /**
   * The policy's id (CBR `id`), when known at synth. Hooks find a policy by id when it is set,
   * by its name otherwise.
   * @default - unknown at synth: a declared policy gets its id when the hook creates it, and one imported by name when hooks find it
   */
  readonly policyId?: string;
  /** Backup or replication (CBR `operation_type`). */
  readonly policyType: PolicyType;
  /**
   * The policy's region: it applies to the vaults there.
   * @default - the region of the terraform run (HW_REGION_NAME)
   */
  readonly region?: string;
  /**
   * The policy's project in its region.
   * @default - HW_PROJECT_ID of the terraform run
   */
  readonly projectId?: string;
}

/** A policy this app does not manage, found by id or name when hooks run. */
class ImportedPolicy extends Construct implements IPolicy {
  public readonly region?: string;
  public readonly projectId?: string;
  constructor(
    scope: Construct, id: string,
    public readonly policyName: string,
    public readonly policyId: string | undefined,
    public readonly policyType: PolicyType,
    location: CbrLocationOptions,
  ) {
    super(scope, id);
    markAsOurs(this);
    ({ region: this.region, projectId: this.projectId } = resolveLocation(this, location));
  }
}

/**
 * Properties of a CBR backup or replication policy (API 4.8.1).
 *
 * Every rule the API reference states is checked at synth, and a violation fails with the policy's
 * construct path, the field, the value received, the rule and the fix. Values given as unresolved
 * tokens (e.g. Terraform variables) cannot be checked at synth: the CBR API checks them when the
 * policy hook creates or updates the policy at apply time.
 */
export interface PolicyProps extends CbrLocationOptions {
  /**
   * When the policy runs (RRULE patterns, in UTC). Checked with every rule of API 4.8.1
   * (see `Schedule`); a broken rule fails synth with this policy's path.
   */
  readonly schedule: Schedule;
  /**
   * How long backups are kept. Checked with every rule of API 4.8.1 (see `Retention`); a broken
   * rule fails synth with this policy's path.
   * @default Retention.forever()
   */
  readonly retention?: Retention;
  /**
   * The policy name: 1-64 letters, digits, underscores and hyphens, unique in the project.
   * The hook finds the policy by this name (policies take no tags) and adopts a policy of the same name.
   * @default - derived from the stack name and construct path, with a short hash
   */
  readonly policyName?: string;
  /**
   * Backup or replication policy. Set at creation only.
   * @default PolicyType.BACKUP
   */
  readonly policyType?: PolicyType;
  /**
   * Whether the policy runs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Replication destination region ID, e.g. `cn-north-4`: 1-255 letters, digits, underscores and
   * hyphens (replication policies only, required for them).
   * @default - none
   */
  readonly destinationRegion?: string;
  /**
   * Replication destination project ID (replication policies only, required for them).
   * @default - none
   */
  readonly destinationProjectId?: string;
  /**
   * Accelerate cross-region replication (replication policies only).
   * @default false
   */
  readonly enableAcceleration?: boolean;
  /**
   * What happens to the policy when this construct is removed or the stack destroyed.
   * A policy holds no data, so the default deletes it.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Take over an existing policy of this name that this deployment (this stack's Terraform state)
   * did not create: one made in the console, by another tool or by another deployment, or one this
   * stack kept before its state was destroyed or lost. Policies take no tags, so without it a
   * policy of the same name fails the apply (unless it is applied to a vault of this deployment),
   * and no deployment changes another's schedule. The hook says when it takes one over.
   * @default false
   */
  readonly adopt?: boolean;
}


/** Replication messages name the props of this construct. */
const REPLICATION_NAMING: ReplicationNaming = {
  operationType: 'policyType',
  destinationRegion: 'destinationRegion',
  destinationProjectId: 'destinationProjectId',
  enableAcceleration: 'enableAcceleration',
  makeReplication: 'set policyType to PolicyType.REPLICATION',
  operationTypes: 'PolicyType.BACKUP or PolicyType.REPLICATION',
};

/**
 * A CBR backup or replication policy. Created, updated in place and deleted by the `policy` hook.
 *
 * Its spec (what `terraform plan` shows) carries, besides the API fields, plain-language review
 * aids that are never sent to the API: `schedule_summary`, `retention_summary`, `runs_per_week`
 * (average over the schedule's period, two decimals) and `max_backups_held` (the most backups the
 * retention can hold at once with this schedule; -1 when unbounded or not known at synth).
 */
export class Policy extends Construct implements IPolicy {
  /** Imports a policy by id; hooks find it with 4.8.2. */
  public static fromPolicyId(scope: Construct, id: string, policyId: string, policyType?: PolicyType, location: CbrLocationOptions = {}): IPolicy {
    return new ImportedPolicy(scope, id, policyId, policyId, policyType ?? PolicyType.BACKUP, location);
  }

  /** Imports a policy by its (unique) name. */
  public static fromPolicyName(
    scope: Construct, id: string, policyName: string, policyType?: PolicyType, location: CbrLocationOptions = {},
  ): IPolicy {
    return new ImportedPolicy(scope, id, policyName, undefined, policyType ?? PolicyType.BACKUP, location);
  }

  public readonly policyName: string;
  /** Always undefined: the cloud assigns the id when the hook creates the policy at apply. */
  public readonly policyId?: string = undefined;
  public readonly policyType: PolicyType;
  public readonly schedule: Schedule;
  public readonly retention: Retention;
  /**
   * The policy's region: `region` of its props, else its scope's `CbrDefaults`.
   * @default - the region of the terraform run (HW_REGION_NAME)
   */
  public readonly region?: string;
  /**
   * The policy's project: `projectId` of its props, else its scope's `CbrDefaults`.
   * @default - HW_PROJECT_ID of the terraform run
   */
  public readonly projectId?: string;
  private readonly props: PolicyProps;

  constructor(scope: Construct, id: string, props: PolicyProps) {
    super(scope, id);
    markAsOurs(this);
    this.props = props;
    this.policyName = props.policyName ?? generatedName(this, 64);
    this.schedule = props.schedule;
    this.retention = props.retention ?? Retention.forever();
    this.policyType = props.policyType ?? PolicyType.BACKUP;
    ({ region: this.region, projectId: this.projectId } = resolveLocation(this, props));
    this.validate();
    claimIdentity(this, `policy name "${this.policyName}"`, { field: 'policyName', value: this.policyName, fix: 'Give one of them another policyName.' });
    HookTable.of(this, 'policy').register(this, stackRelativePath(this), () => this.spec());
    HookTable.claimPolicyName(this, stackRelativePath(this), this.policyName, props.adopt ?? false, { region: this.region ?? '', project_id: this.projectId ?? '' });
  }

  /** Every rule of API 4.8.1 that can be checked at synth; throws the first one broken. */
  private validate(): void {
    const p = this.props;
    reportViolation(this, policyNameViolation('policyName', this.policyName));
    requireValid(this, Object.values(PolicyType).includes(this.policyType), {
      field: 'policyType',
      value: this.policyType,
      rule: 'a policy is either a backup or a replication policy (operation_type, API 4.8.1)',
      fix: 'Use PolicyType.BACKUP or PolicyType.REPLICATION.',
    });
    requireValid(this, this.schedule instanceof Schedule, {
      field: 'schedule',
      value: this.schedule,
      rule: 'a policy needs a Schedule, which becomes trigger.properties.pattern (API 4.8.1)',
      fix: 'Build one with Schedule.daily(), Schedule.weekly(), Schedule.timesDaily() or Schedule.fromPatterns().',
    });
    reportViolation(this, this.schedule._violation());
    requireValid(this, this.retention instanceof Retention, {
      field: 'retention',
      value: this.retention,
      rule: 'a policy keeps backups by a Retention, which becomes the retention fields of operation_definition (API 4.8.1)',
      fix: 'Use Retention.days(), Retention.count(), Retention.longTerm() or Retention.forever().',
    });
    reportViolation(this, this.retention._violation());
    if (p.enabled !== undefined) {
      requireValid(this, typeof p.enabled === 'boolean', {
        field: 'enabled', value: p.enabled, rule: 'enabled is true or false (API 4.8.1)', fix: 'Use true or false, or leave it out (enabled).',
      });
    }
    // Not through requireValid: a token still breaks a rule about which fields are set (a destination region on a backup policy).
    // A replication policy without a destination may get one from the vault it is applied with: checked at synth (spec).
    if (!this.awaitsDestination()) reportViolation(this, replicationViolation(this.replicationSettings(), REPLICATION_NAMING));
    if (p.removalPolicy !== undefined) {
      requireValid(this, Object.values(RemovalPolicy).includes(p.removalPolicy), {
        field: 'removalPolicy',
        value: p.removalPolicy,
        rule: 'a removal policy is retain or destroy',
        fix: 'Use RemovalPolicy.DESTROY or RemovalPolicy.RETAIN.',
      });
    }
  }

  /** A replication policy that names no destination: its destination vaults give it one (private/replication.ts). */
  private awaitsDestination(): boolean {
    const p = this.props;
    return this.policyType === PolicyType.REPLICATION && p.destinationRegion === undefined && p.destinationProjectId === undefined;
  }

  private replicationSettings(): ReplicationSettings {
    const p = this.props;
    const from = this.awaitsDestination() ? destinationOf(this) : {};
    reportViolation(this, from.violation);
    return {
      operationType: this.policyType,
      destinationRegion: p.destinationRegion ?? from.at?.region,
      destinationProjectId: p.destinationProjectId ?? from.at?.projectId,
      enableAcceleration: p.enableAcceleration,
    };
  }

  /** The replication fields of operation_definition, once the attachments are known (at synth). */
  private replicationFields(): Record<string, unknown> {
    const settings = this.replicationSettings();
    if (this.awaitsDestination() && settings.destinationRegion === undefined) {
      reportViolation(this, {
        field: 'destinationRegion',
        value: undefined,
        rule: 'a replication policy needs its destination region and project (destination_region and destination_project_id, API 4.8.1)',
        fix: 'Apply it with vault.attachPolicy(policy, { destinationVault }) to a replication Vault in the destination region, or set destinationRegion and destinationProjectId.',
      });
    }
    return replicationOperationDefinition(settings, REPLICATION_NAMING);
  }

  private spec(): PolicySpec {
    const p = this.props;
    const held = this.retention.maxBackupsHeld(this.schedule);
    return {
      name: this.policyName,
      operation_type: this.policyType,
      enabled: p.enabled ?? true,
      pattern: [...this.schedule.patterns],
      operation_definition: { ...this.retention._toOperationDefinition(), ...this.replicationFields() },
      schedule_summary: this.schedule.summary,
      retention_summary: this.retention.summary,
      runs_per_week: this.schedule._isKnown() ? Math.round(this.schedule.runsPerWeek * 100) / 100 : -1,
      max_backups_held: held ?? -1,
      removal_policy: p.removalPolicy ?? RemovalPolicy.DESTROY,
      region: this.region ?? '',
      project_id: this.projectId ?? '',
    };
  }
}
