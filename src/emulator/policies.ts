import { randomUUID } from 'node:crypto';
import { apiTimestamp, RequestContext, Route } from './context';
import type { PolicyRecord, Store } from './store';
import { OPERATION_TYPES } from '../api/cbr/catalog';
import { checkReplicationTarget, CREATE_POLICY, UPDATE_POLICY } from '../api/cbr/policies';
import { ApiError, CBR_ERRORS } from '../api/errors';
import { isAbsent, queryEnum, validateRequest } from '../api/table';

/** Drops `null`s, so stored definitions echo only what was configured (as the examples show). */
function compact(od: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(od).filter(([, v]) => !isAbsent(v)));
}

/** Table 4-355 Policy, in table order; associated_vaults from the vaults the policy is applied to. */
export function policyView(store: Store, p: PolicyRecord): Record<string, unknown> {
  return JSON.parse(JSON.stringify({
    enabled: p.enabled,
    id: p.id,
    name: p.name,
    operation_definition: p.operation_definition,
    operation_type: p.operation_type,
    trigger: { id: p.trigger.id, name: p.trigger.name, properties: p.trigger.properties, type: p.trigger.type },
    associated_vaults: store.associationsOfPolicy(p.id).map((a) =>
      (a.destination_vault_id ? { destination_vault_id: a.destination_vault_id, vault_id: a.vault_id } : { vault_id: a.vault_id })),
  }));
}

function requirePolicy(ctx: RequestContext): PolicyRecord {
  const policy = ctx.store.policy(ctx.params.project_id, ctx.params.policy_id);
  if (!policy) throw new ApiError(CBR_ERRORS.POLICY_NOT_FOUND, `No policy has the id ${JSON.stringify(ctx.params.policy_id)}.`);
  return policy;
}

function createPolicy(ctx: RequestContext) {
  const input = validateRequest(ctx.body, CREATE_POLICY).policy;
  const trigger = input.trigger as { properties: { pattern: string[] } };
  const policy: PolicyRecord = {
    id: randomUUID(),
    project_id: ctx.params.project_id,
    name: input.name as string,
    enabled: isAbsent(input.enabled) ? true : input.enabled as boolean,
    operation_type: input.operation_type as string,
    operation_definition: compact(input.operation_definition as Record<string, unknown>),
    trigger: {
      id: randomUUID(),
      name: 'default',
      type: 'time',
      // Example responses show whole seconds: "2019-05-08T06:57:05.000+00:00".
      properties: { pattern: [...trigger.properties.pattern], start_time: apiTimestamp(new Date(Math.floor(ctx.now.getTime() / 1000) * 1000)) },
    },
  };
  ctx.store.data.policies.push(policy);
  return { status: 200, body: { policy: policyView(ctx.store, policy) } };
}

function showPolicy(ctx: RequestContext) {
  return { status: 200, body: { policy: policyView(ctx.store, requirePolicy(ctx)) } };
}

/** 4.8.3 with the filters of Table 4-369. */
function listPolicies(ctx: RequestContext) {
  const operationType = queryEnum(ctx.query, 'operation_type', OPERATION_TYPES, CBR_ERRORS.POLICY_TYPE);
  const vaultId = ctx.query.get('vault_id');
  const policies = ctx.store.data.policies.filter((p) =>
    p.project_id === ctx.params.project_id
    && (operationType === undefined || p.operation_type === operationType)
    && (vaultId === null || ctx.store.associationsOfPolicy(p.id).some((a) => a.vault_id === vaultId)));
  return { status: 200, body: { policies: policies.map((p) => policyView(ctx.store, p)), count: policies.length } };
}

function updatePolicy(ctx: RequestContext) {
  const policy = requirePolicy(ctx);
  const input = validateRequest(ctx.body, UPDATE_POLICY).policy;
  if (!isAbsent(input.operation_definition)) {
    // The 4.8.4 example replaces retention_duration_days by max_backups: the definition is replaced whole.
    const od = compact(input.operation_definition as Record<string, unknown>);
    checkReplicationTarget(policy.operation_type, od);
    const applied = ctx.store.associationsOfPolicy(policy.id).some((a) => a.destination_vault_id);
    if (applied && od.destination_region !== policy.operation_definition.destination_region) {
      throw new ApiError(CBR_ERRORS.DESTINATION_REGION_LOCKED, `policy.operation_definition.destination_region cannot change from ${JSON.stringify(policy.operation_definition.destination_region)}.`);
    }
    policy.operation_definition = od;
  }
  if (!isAbsent(input.enabled)) policy.enabled = input.enabled as boolean;
  if (!isAbsent(input.name)) policy.name = input.name as string;
  if (!isAbsent(input.trigger)) {
    policy.trigger.properties.pattern = [...(input.trigger as { properties: { pattern: string[] } }).properties.pattern];
  }
  return { status: 200, body: { policy: policyView(ctx.store, policy) } };
}

/** The document does not forbid deleting an applied policy; the vaults simply lose it. */
function deletePolicy(ctx: RequestContext) {
  const policy = requirePolicy(ctx);
  const data = ctx.store.data;
  data.policies = data.policies.filter((p) => p !== policy);
  data.associations = data.associations.filter((a) => a.policy_id !== policy.id);
  return { status: 204 };
}

export const policyRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/policies', auth: 'cbr', hasBody: true, handle: createPolicy },
  { method: 'GET', pattern: '/v3/{project_id}/policies', auth: 'cbr', hasBody: false, handle: listPolicies },
  { method: 'GET', pattern: '/v3/{project_id}/policies/{policy_id}', auth: 'cbr', hasBody: false, handle: showPolicy },
  { method: 'PUT', pattern: '/v3/{project_id}/policies/{policy_id}', auth: 'cbr', hasBody: true, handle: updatePolicy },
  { method: 'DELETE', pattern: '/v3/{project_id}/policies/{policy_id}', auth: 'cbr', hasBody: false, handle: deletePolicy },
];
