import { HookContext } from './context';
import { describeChanges, diffFields, FieldChange, FieldRule, refuseFrozenChanges, sameValue } from './diff';
import { createOnce } from './ensure';
import type { CbrClient } from '../cbr/client';
import type { Policy } from '../cbr/types';
import { isNotFound } from '../errors';
import { PolicySpec } from '../specs';

/** Whether a live retention field holds a value, as opposed to the API's way of saying "unset". */
function isSet(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  // -1 means "not limited" for max_backups and retention_duration_days; 0 means "none kept" for long-term counts.
  if (field === 'max_backups' || field === 'retention_duration_days') return value !== -1;
  if (field.endsWith('_backups')) return value !== 0;
  if (field === 'enable_acceleration') return value !== false;
  if (field === 'timezone') return false;
  return true;
}

/** `updatable` follows 4.8.4 (PolicyUpdate): enabled, name, operation_definition, trigger. */
const POLICY_FIELDS: ReadonlyArray<FieldRule<PolicySpec, Policy>> = [
  { field: 'enabled', desired: (s) => s.enabled, live: (p) => p.enabled, updatable: true },
  { field: 'pattern', desired: (s) => s.pattern, live: (p) => p.trigger?.properties?.pattern ?? [], updatable: true },
  { field: 'operation_type', desired: (s) => s.operation_type, live: (p) => p.operation_type, updatable: false },
];

/** Spec fields the API cannot change on an existing policy (4.8.4): a change fails the apply. */
export const POLICY_FROZEN_FIELDS: readonly string[] = POLICY_FIELDS.filter((f) => !f.updatable).map((f) => f.field);

export function diffPolicy(spec: PolicySpec, live: Policy): FieldChange[] {
  const changes = diffFields(POLICY_FIELDS, spec, live);
  // Compare what the spec sets, plus any retention field still set live that the spec no longer sets.
  const desired = spec.operation_definition as Record<string, unknown>;
  const liveView: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(live.operation_definition ?? {})) {
    if (key in desired || isSet(key, value)) liveView[key] = value;
  }
  if (!sameValue(desired, liveView)) {
    changes.push({ field: 'operation_definition', desired, live: liveView, updatable: true });
  }
  return changes;
}

export async function findPolicy(client: CbrClient, spec: PolicySpec): Promise<Policy | undefined> {
  const policies = await client.listPolicies({});
  return policies.find((p) => p.name === spec.name);
}

function createBody(spec: PolicySpec) {
  return {
    policy: {
      name: spec.name,
      enabled: spec.enabled,
      operation_type: spec.operation_type,
      operation_definition: spec.operation_definition,
      trigger: { properties: { pattern: spec.pattern } },
    },
  };
}

function updateBody(changes: readonly FieldChange[], spec: PolicySpec) {
  const policy: Record<string, unknown> = {};
  for (const c of changes) {
    if (c.field === 'enabled') policy.enabled = spec.enabled;
    if (c.field === 'pattern') policy.trigger = { properties: { pattern: spec.pattern } };
    if (c.field === 'operation_definition') policy.operation_definition = clearedDefinition(spec);
  }
  return { policy };
}

/**
 * Retention fields are exclusive (max_backups vs retention_duration_days), so switching from one to
 * the other must reset the old one to its documented "unset" value rather than leave it behind.
 */
function clearedDefinition(spec: PolicySpec): Record<string, unknown> {
  const od: Record<string, unknown> = { ...spec.operation_definition };
  const longTerm = ['day_backups', 'week_backups', 'month_backups', 'year_backups'].some((k) => k in od);
  if (!('max_backups' in od) && !('retention_duration_days' in od) && !longTerm) {
    od.max_backups = -1;
  }
  return od;
}

export async function applyPolicy(client: CbrClient, spec: PolicySpec, ctx: HookContext): Promise<void> {
  const live = await findPolicy(client, spec);
  if (!live) {
    const created = await createOnce(() => client.createPolicy(createBody(spec)), () => findPolicy(client, spec));
    ctx.report(`policy ${ctx.key}: created ${created.id} (${spec.name}: ${spec.schedule_summary}; ${spec.retention_summary})`);
    return;
  }
  const changes = diffPolicy(spec, live);
  refuseFrozenChanges(`policy ${live.id}`, changes, '4.8.4', 'Revert the change, or declare a new Policy with another policyName.');
  if (changes.length === 0) {
    ctx.report(`policy ${ctx.key}: unchanged (${live.id})`);
    return;
  }
  await client.updatePolicy(live.id, updateBody(changes, spec));
  ctx.report(`policy ${ctx.key}: updated ${describeChanges(changes)} (${live.id})`);
}

export async function deletePolicy(client: CbrClient, spec: PolicySpec, ctx: HookContext): Promise<void> {
  const live = await findPolicy(client, spec);
  if (!live) {
    ctx.report(`policy ${ctx.key}: already gone`);
    return;
  }
  if (spec.removal_policy !== 'destroy') {
    ctx.report(`policy ${ctx.key}: retained ${live.id} (removalPolicy RETAIN)`);
    return;
  }
  try {
    await client.deletePolicy(live.id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  ctx.report(`policy ${ctx.key}: deleted ${live.id}`);
}
