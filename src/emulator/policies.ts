import { randomUUID } from 'node:crypto';
import { apiTimestamp, RequestContext, Route } from './context';
import { ApiError, CBR_ERRORS, invalidParameter } from './errors';
import { validateSchedule } from './rrule';
import type { PolicyRecord, Store } from './store';
import {
  array, boolean, integer, isAbsent, matches, object, queryEnum, required, Rule, string, validateBody,
} from './validation';

const OPERATION_TYPES = ['backup', 'replication'] as const;
const LONG_TERM_FIELDS = ['day_backups', 'week_backups', 'month_backups', 'year_backups'] as const;

/**
 * "Configured" in the document's exclusivity rules means set to a value that does something:
 * the document's own 4.8.1 example sends retention_duration_days 1 together with day_backups 0
 * etc., so 0 cannot count as configured for the long-term counts, nor -1 ("not cleared") for
 * max_backups and retention_duration_days.
 */
function configured(v: unknown, neutral: number): boolean {
  return !isAbsent(v) && v !== neutral;
}

/** "This parameter and retention_duration_days cannot be configured at the same time." */
const retentionExclusive: Rule = (od, path) => {
  if (!configured(od.retention_duration_days, -1)) return;
  for (const field of ['max_backups', ...LONG_TERM_FIELDS]) {
    const neutral = field === 'max_backups' ? -1 : 0;
    if (configured(od[field], neutral)) {
      throw invalidParameter(`${path}.${field} and ${path}.retention_duration_days cannot be configured at the same time.`);
    }
  }
};

/** "If this parameter is configured, timezone is mandatory." (day/week/month/year_backups) */
const longTermNeedsTimezone: Rule = (od, path) => {
  const field = LONG_TERM_FIELDS.find((f) => configured(od[f], 0));
  if (field && isAbsent(od.timezone)) throw invalidParameter(`${path}.timezone is mandatory when ${path}.${field} is configured.`);
};

/** Table 4-351 PolicyODCreate (also 4-381 for updates). */
const OPERATION_DEFINITION = object({
  day_backups: integer({ min: 0, max: 100 }),
  destination_project_id: string(),
  destination_region: string({
    min: 0,
    max: 255,
    check: matches(/^[A-Za-z0-9_-]*$/, 'can contain only letters, digits, underscores (_), and hyphens (-)'),
  }),
  enable_acceleration: boolean(),
  // The description says "-1 or from 0 to 99999", the table "Minimum: 1": 0 is refused (the stricter reading).
  max_backups: integer({ min: 1, max: 99999, also: [-1] }),
  month_backups: integer({ min: 0, max: 100 }),
  retention_duration_days: integer({ min: 1, max: 99999, also: [-1] }),
  timezone: string({
    check: matches(/^UTC[+-](0\d|1[0-4]):[0-5]\d$/, 'must be a time zone like UTC+08:00'),
  }),
  week_backups: integer({ min: 0, max: 100 }),
  year_backups: integer({ min: 0, max: 100 }),
  full_backup_interval: integer({ min: -1, max: 100 }),
}, { rules: [retentionExclusive, longTermNeedsTimezone] });

const schedule: Rule = (properties, path) => validateSchedule(properties.pattern as string[], `${path}.pattern`);

/** Tables 4-352 PolicyTriggerReq and 4-353 PolicyTriggerPropertiesReq. */
const TRIGGER = object({
  properties: required(object({
    pattern: required(array(string(), { min: 1, max: 24 })),
  }, { rules: [schedule] })),
});

const POLICY_NAME = matches(/^[A-Za-z0-9_-]*$/, 'can contain only letters, digits, underscores (_), and hyphens (-)');

/** destination_region/_project_id: "mandatory for cross-region replication", which is what replication policies do. */
function checkReplicationTarget(operationType: string, od: Record<string, unknown>): void {
  if (operationType !== 'replication') return;
  for (const field of ['destination_region', 'destination_project_id']) {
    if (isAbsent(od[field]) || od[field] === '') throw invalidParameter(`policy.operation_definition.${field} is mandatory for a replication policy.`);
  }
}

const replicationNeedsTarget: Rule = (policy) =>
  checkReplicationTarget(policy.operation_type as string, policy.operation_definition as Record<string, unknown>);

/** Table 4-350 PolicyCreate. */
const POLICY_CREATE = object({
  enabled: boolean(),
  name: required(string({ min: 1, max: 64, check: POLICY_NAME })),
  operation_definition: required(OPERATION_DEFINITION),
  operation_type: required(string({ enum: OPERATION_TYPES, code: CBR_ERRORS.POLICY_TYPE })),
  trigger: required(TRIGGER),
}, { rules: [replicationNeedsTarget] });

/**
 * Table 4-380 PolicyUpdate. Its name row lists only the length; the character rule of 4-350 is
 * applied too, since it is the same name.
 */
const POLICY_UPDATE = object({
  enabled: boolean(),
  name: string({ min: 1, max: 64, check: POLICY_NAME }),
  operation_definition: OPERATION_DEFINITION,
  trigger: TRIGGER,
});

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
  const input = validateBody(ctx.body, 'policy', POLICY_CREATE);
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
  const input = validateBody(ctx.body, 'policy', POLICY_UPDATE);
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
