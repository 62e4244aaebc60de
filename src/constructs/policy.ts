import { Construct } from 'constructs';
import { requireValid } from './errors';
import { HookTable } from './hook-table';
import { claimIdentity, generatedName, stackRelativePath } from './identity';
import { RemovalPolicy } from './removal-policy';
import type { PolicyRef, PolicySpec } from '../runtime/specs';
import { Retention, Schedule } from '../schedule';

/** Whether a policy backs up resources or replicates backups (CBR `operation_type`). */
export enum PolicyType {
  /** Scheduled backups of the vault's resources. */
  BACKUP = 'backup',
  /** Scheduled replication of the vault's backups to another region. */
  REPLICATION = 'replication',
}

/** A CBR policy, declared in this app or imported. */
export interface IPolicy {
  /** The policy's name (its identity in the project), or its id when imported by id. */
  readonly policyName: string;
  /** Backup or replication. */
  readonly policyType: PolicyType;
}

class ImportedPolicy extends Construct implements IPolicy {
  constructor(scope: Construct, id: string, public readonly policyName: string, public readonly policyType: PolicyType, private readonly ref: PolicyRef) {
    super(scope, id);
  }

  /** @internal */
  public _ref(): PolicyRef {
    return this.ref;
  }
}

/** Properties of a CBR backup or replication policy (API 4.8.1). */
export interface PolicyProps {
  /**
   * When the policy runs (RRULE patterns, in UTC).
   */
  readonly schedule: Schedule;
  /**
   * How long backups are kept.
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
   * Replication destination region (replication policies only, required for them).
   * @default - none
   */
  readonly destinationRegion?: string;
  /**
   * Replication destination project id (replication policies only, required for them).
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
}

const POLICY_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A CBR backup or replication policy. Created, updated in place and deleted by the `policy` hook.
 */
export class Policy extends Construct implements IPolicy {
  /** Imports a policy by id; hooks find it with 4.8.2. */
  public static fromPolicyId(scope: Construct, id: string, policyId: string, policyType?: PolicyType): IPolicy {
    return new ImportedPolicy(scope, id, policyId, policyType ?? PolicyType.BACKUP, { by: 'id', value: policyId });
  }

  /** Imports a policy by its (unique) name. */
  public static fromPolicyName(scope: Construct, id: string, policyName: string, policyType?: PolicyType): IPolicy {
    return new ImportedPolicy(scope, id, policyName, policyType ?? PolicyType.BACKUP, { by: 'name', value: policyName });
  }

  public readonly policyName: string;
  public readonly policyType: PolicyType;
  public readonly schedule: Schedule;
  public readonly retention: Retention;
  private readonly props: PolicyProps;

  constructor(scope: Construct, id: string, props: PolicyProps) {
    super(scope, id);
    this.props = props;
    this.policyName = props.policyName ?? generatedName(this, 64);
    this.schedule = props.schedule;
    this.retention = props.retention ?? Retention.forever();
    this.policyType = props.policyType ?? PolicyType.BACKUP;
    requireValid(this, 'policyName', this.policyName, POLICY_NAME.test(this.policyName),
      'a policy name has 1-64 letters, digits, underscores (_) and hyphens (-) (API 4.8.1)',
      'Remove the other characters or shorten the name.');
    claimIdentity(this, `policy name "${this.policyName}"`, 'Give one of them another policyName.');
    HookTable.of(this, 'policy').register(stackRelativePath(this), () => this.spec());
  }

  /** @internal */
  public _ref(): PolicyRef {
    return { by: 'name', value: this.policyName };
  }

  private spec(): PolicySpec {
    const p = this.props;
    const replication: Record<string, unknown> = {};
    if (p.destinationRegion !== undefined) replication.destination_region = p.destinationRegion;
    if (p.destinationProjectId !== undefined) replication.destination_project_id = p.destinationProjectId;
    if (p.enableAcceleration !== undefined) replication.enable_acceleration = p.enableAcceleration;
    return {
      name: this.policyName,
      operation_type: this.policyType,
      enabled: p.enabled ?? true,
      pattern: [...this.schedule.patterns],
      operation_definition: { ...this.retention._toOperationDefinition(), ...replication },
      schedule_summary: this.schedule.summary,
      retention_summary: this.retention.summary,
      removal_policy: p.removalPolicy ?? RemovalPolicy.DESTROY,
    };
  }
}
