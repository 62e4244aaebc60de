import { REGION_ID } from '../rules/location';
import { isToken } from '../rules/tokens';
import { RuleViolation, violationText } from '../rules/violation';

/** The replication settings of a policy, as the Policy construct receives them. */
export interface ReplicationSettings {
  /** `operation_type`: backup or replication. */
  readonly operationType: unknown;
  readonly destinationRegion?: unknown;
  readonly destinationProjectId?: unknown;
  readonly enableAcceleration?: unknown;
}

/** How a caller names the replication fields in its messages (props of a construct, or API fields). */
export interface ReplicationNaming {
  readonly operationType: string;
  readonly destinationRegion: string;
  readonly destinationProjectId: string;
  readonly enableAcceleration: string;
  /** The fix that turns a backup policy into a replication policy, e.g. `set policyType to PolicyType.REPLICATION`. */
  readonly makeReplication: string;
  /** The allowed operation types as the caller writes them. */
  readonly operationTypes: string;
}

/** The API's own names (operation_definition fields of API 4.8.1). */
export const API_REPLICATION_NAMING: ReplicationNaming = {
  operationType: 'operation_type',
  destinationRegion: 'destination_region',
  destinationProjectId: 'destination_project_id',
  enableAcceleration: 'enable_acceleration',
  makeReplication: 'set operation_type to "replication"',
  operationTypes: '"backup" or "replication"',
};

const FIELDS = [
  ['destinationRegion', 'destination_region'],
  ['destinationProjectId', 'destination_project_id'],
  ['enableAcceleration', 'enable_acceleration'],
] as const;

/**
 * The first broken replication rule of API 4.8.1 `operation_definition`, or undefined:
 * - operation_type is backup or replication;
 * - destination_region and destination_project_id are mandatory for (cross-region) replication;
 * - destination_region has letters, digits, underscores and hyphens, at most 255 characters;
 * - destination_project_id is a non-empty string; enable_acceleration is a boolean;
 * - the three fields describe a replication, so a backup policy may not set them.
 * Unresolved tokens count as present but their values are not checked: the API checks them at apply time.
 */
export function replicationViolation(s: ReplicationSettings, naming: ReplicationNaming = API_REPLICATION_NAMING): RuleViolation | undefined {
  const type = s.operationType;
  if (type !== 'backup' && type !== 'replication') {
    if (isToken(type)) return undefined;
    return {
      field: naming.operationType,
      value: type,
      rule: 'a policy is either a backup or a replication policy (operation_type, API 4.8.1)',
      fix: `Use ${naming.operationTypes}.`,
    };
  }
  if (type === 'backup') {
    const set = FIELDS.find(([prop]) => s[prop] !== undefined);
    if (!set) return undefined;
    const [prop, api] = set;
    return {
      field: naming[prop],
      value: s[prop],
      rule: `a backup policy takes no ${api}: it only applies to replication policies (API 4.8.1)`,
      fix: `Remove ${naming[prop]}, or ${naming.makeReplication}.`,
    };
  }
  const region = s.destinationRegion;
  if (region === undefined) {
    return {
      field: naming.destinationRegion,
      value: region,
      rule: 'a replication policy needs destination_region, which is mandatory for cross-region replication (API 4.8.1)',
      fix: `Set ${naming.destinationRegion} to the ID of the destination region, e.g. "cn-north-4".`,
    };
  }
  if (!isToken(region) && (typeof region !== 'string' || !REGION_ID.test(region))) {
    return {
      field: naming.destinationRegion,
      value: region,
      rule: 'a region ID has 1-255 letters, digits, underscores (_) and hyphens (-) (destination_region, API 4.8.1)',
      fix: 'Use the ID of the destination region, e.g. "cn-north-4".',
    };
  }
  const project = s.destinationProjectId;
  if (project === undefined) {
    return {
      field: naming.destinationProjectId,
      value: project,
      rule: 'a replication policy needs destination_project_id, which is mandatory for cross-region replication (API 4.8.1)',
      fix: `Set ${naming.destinationProjectId} to the ID of your project in the destination region.`,
    };
  }
  if (!isToken(project) && (typeof project !== 'string' || project === '')) {
    return {
      field: naming.destinationProjectId,
      value: project,
      rule: 'a project ID is a non-empty string (destination_project_id, API 4.8.1)',
      fix: `Set ${naming.destinationProjectId} to the ID of your project in the destination region.`,
    };
  }
  const acceleration = s.enableAcceleration;
  if (acceleration !== undefined && typeof acceleration !== 'boolean' && !isToken(acceleration)) {
    return {
      field: naming.enableAcceleration,
      value: acceleration,
      rule: 'enable_acceleration is true or false (API 4.8.1)',
      fix: `Use true or false, or leave ${naming.enableAcceleration} out (no acceleration).`,
    };
  }
  return undefined;
}

/** Throws the first broken replication rule, worded with the API's field names. */
export function checkReplicationFields(s: ReplicationSettings): void {
  const v = replicationViolation(s);
  if (v) throw new Error(violationText(v));
}

/**
 * The replication fields to merge into `operation_definition` (only those set), after checking them.
 * For a backup policy this is an empty object.
 */
export function replicationOperationDefinition(s: ReplicationSettings, naming: ReplicationNaming = API_REPLICATION_NAMING): Record<string, unknown> {
  const v = replicationViolation(s, naming);
  if (v) throw new Error(violationText(v));
  const out: Record<string, unknown> = {};
  if (s.destinationRegion !== undefined) out.destination_region = s.destinationRegion;
  if (s.destinationProjectId !== undefined) out.destination_project_id = s.destinationProjectId;
  if (s.enableAcceleration !== undefined) out.enable_acceleration = s.enableAcceleration;
  return out;
}
