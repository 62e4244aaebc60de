import { HookContext, HookError } from './context';
import { deleteVerdict, otherEntry, sameObject } from './declared';
import { ApiField, compareRules, createObject, describeChanges, diffFields, FieldChange, refuseFrozenChanges, sameValue, updateObject } from './diff';
import { createOnce } from './ensure';
import { handedOver } from './handoff';
import { ownedByDeployment, ownerTagOf } from './ownership';
import type { CreatePolicyRequest, UpdatePolicyRequest } from '../../api/cbr/policies';
import type { Policy, Vault } from '../../api/cbr/responses';
import { legacyOwnerTag } from '../../contract/entries';
import { PolicyClaimSpec, PolicySpec } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { isNotFound } from '../errors';

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

/**
 * The policy's fields and their places in PolicyCreate (4-350) and PolicyUpdate (4-380); `updatable`
 * follows 4.8.4: enabled, name, operation_definition, trigger. The name is the policy's identity, so
 * it is not compared, and the operation definition is compared on its own (diffPolicy).
 */
const POLICY_FIELDS: ReadonlyArray<ApiField<PolicySpec, Policy>> = [
  { field: 'name', api: 'name', updatable: true, compared: false },
  { field: 'enabled', api: 'enabled', updatable: true },
  { field: 'pattern', api: 'trigger.properties.pattern', updatable: true, absent: [] },
  { field: 'operation_type', api: 'operation_type', updatable: false },
  { field: 'operation_definition', api: 'operation_definition', updatable: true, compared: false },
];
const COMPARE_RULES = compareRules(POLICY_FIELDS);

/** Spec fields the API cannot change on an existing policy (4.8.4): a change fails the apply. */
export const POLICY_FROZEN_FIELDS: readonly string[] = COMPARE_RULES.filter((f) => !f.updatable).map((f) => f.field);

export function diffPolicy(spec: PolicySpec, live: Policy): FieldChange[] {
  const changes = diffFields(COMPARE_RULES, spec, live);
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

export async function findPolicy(client: CbrClient, spec: { readonly name: string }): Promise<Policy | undefined> {
  const policies = await client.listPolicies({});
  return policies.find((p) => p.name === spec.name);
}

/**
 * The claim hook (table cbr_policy_claim): runs once when a policy name first appears in this
 * deployment. Policies take no tags, so a policy of that name that already exists is this
 * deployment's only when it is applied to a vault of this deployment (or, on the first apply after
 * an upgrade, to a vault an earlier release tagged for a Vault of this stack), or when `adopt` says
 * so. Otherwise the claim fails, and with it every hook that would touch the policy: a deployment
 * never changes another deployment's schedule. Once made, the claim is in the state, and the
 * policy's own hooks treat the policy of that name as this deployment's.
 */
export async function claimPolicy(client: CbrClient, spec: PolicyClaimSpec, ctx: HookContext): Promise<void> {
  const live = await findPolicy(client, spec);
  if (!live) {
    ctx.report(`policy ${ctx.key}: claimed the name ${spec.name} for this deployment`);
    return;
  }
  // The tags releases up to format 2 gave the stack's vaults (legacyOwnerTag): the first apply after such an upgrade.
  const stack = ctx.stack;
  const legacy = new Set(stack === undefined ? [] : Object.keys(ctx.declared('vault') ?? {}).map((key) => legacyOwnerTag(stack, key)));
  for (const { vault_id: id } of live.associated_vaults ?? []) {
    let vault: Vault;
    try {
      vault = await client.showVault(id);
    } catch (err) {
      if (isNotFound(err)) continue;
      throw err;
    }
    if (ownedByDeployment(vault, spec.deployment) || legacy.has(ownerTagOf(vault) ?? '')) {
      ctx.report(`policy ${ctx.key}: claimed ${live.id} (${spec.name}) for this deployment: it is applied to vault ${vault.name} (${vault.id}), which this deployment manages`);
      return;
    }
  }
  if (spec.adopt) {
    ctx.report(`policy ${ctx.key}: adopted ${live.id} (${spec.name}); its schedule and retention are now this construct's`);
    return;
  }
  throw new HookError(`a policy named "${spec.name}" already exists (${live.id}) and this deployment did not create it: it belongs to another ` +
    'Terraform state of this or another app, to this stack before its state was destroyed or lost, or was made outside cdktf-cbr ' +
    '(policies take no tags, so a name is claimed once per deployment). Choose another policyName, set adopt: true on this Policy ' +
    'to take it over (its schedule and retention then become this construct\'s), or import it with Policy.fromPolicyName().');
}

function createBody(spec: PolicySpec): CreatePolicyRequest {
  return { policy: createObject(POLICY_FIELDS, spec) } as CreatePolicyRequest;
}

function updateBody(changes: readonly FieldChange[], spec: PolicySpec): UpdatePolicyRequest {
  const policy = updateObject(POLICY_FIELDS, changes, spec);
  if ('operation_definition' in policy) policy.operation_definition = clearedDefinition(spec);
  return { policy } as UpdatePolicyRequest;
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

/**
 * Ensures the policy. When this entry replaced one that named the policy otherwise (a new
 * policyName replaces the entry, delete-first), the policy of the old name is renamed in place
 * (4.8.4 updates the name), unless another entry of this stack declares that name too.
 */
export async function applyPolicy(client: CbrClient, spec: PolicySpec, ctx: HookContext): Promise<void> {
  const previous = handedOver(ctx, 'policy');
  let live = await findPolicy(client, spec);
  let renamed: FieldChange | undefined;
  if (!live && previous && previous.name !== spec.name && !otherEntry(ctx, 'policy', (d) => sameObject('policy', previous, d))) {
    live = await findPolicy(client, previous);
    if (live) renamed = { field: 'name', desired: spec.name, live: live.name, updatable: true };
  }
  if (!live) {
    const created = await createOnce(() => client.createPolicy(createBody(spec)), () => findPolicy(client, spec));
    ctx.report(`policy ${ctx.key}: created ${created.id} (${spec.name}: ${spec.schedule_summary}; ${spec.retention_summary})`);
    return;
  }
  const changes = [...(renamed ? [renamed] : []), ...diffPolicy(spec, live)];
  refuseFrozenChanges(`policy ${live.id}`, changes, '4.8.4', 'Revert the change, or declare a new Policy with another policyName.');
  if (changes.length === 0) {
    ctx.unchanged(`policy ${ctx.key}: unchanged (${live.id})`);
    return;
  }
  await client.updatePolicy(live.id, updateBody(changes, spec));
  ctx.report(`policy ${ctx.key}: updated ${describeChanges(changes)} (${live.id})`);
}

/**
 * Deletes or retains the policy according to its removal policy, except when its construct moved
 * (its key is gone and another entry declares a policy of the same name), or when its entry is
 * replaced by one that declares it otherwise (or by a name from an expression, which looks the same
 * as a destroy from here): the hook entry renames it then (applyPolicy).
 */
export async function deletePolicy(client: CbrClient, spec: PolicySpec, ctx: HookContext): Promise<void> {
  const verdict = deleteVerdict(ctx, 'policy', spec, false);
  switch (verdict.keep) {
    case 'moved': return ctx.report(`policy ${ctx.key}: moved from ${ctx.key} to ${verdict.to} (the policy "${spec.name}" is kept for it)`);
    case 'replaced': return ctx.report(`policy ${ctx.key}: kept ${spec.name} (declared with another spec now: the hook entry takes it over)`);
    case 'requested': return ctx.report(`policy ${ctx.key}: kept ${spec.name} (replaced on request: the hook entry applies it again)`);
    case 'expressions':
      return ctx.report(`policy ${ctx.key}: kept ${spec.name} (its name comes from a Terraform expression, so a replacement cannot be told from a destroy ` +
        'here; the hook entry renames it when the name changed)');
    default: break;
  }
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
