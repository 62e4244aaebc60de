import { randomBytes, randomUUID } from 'node:crypto';
import {
  CHARGING_MODES, CLOUD_TYPES, CONSISTENT_LEVELS, OBJECT_TYPES, PROTECT_TYPES, PROVIDER_IDS, specCode, VAULT_STATUSES,
} from './catalog';
import { apiTimestamp, pathVault, RequestContext, Route } from './context';
import { userIdOf } from './credentials';
import { ApiError, CBR_ERRORS, invalidParameter } from './errors';
import { recordOperation } from './operation-logs';
import { checkResourceTypes, prepareResources, refreshAllocated, RESOURCE_CREATE, ResourceInput } from './resources';
import type { ResourceRecord, Store, VaultRecord } from './store';
import {
  array, bindRuleKeyCheck, bindRuleValueCheck, boolean, integer, isAbsent, object, queryEnum, queryInteger, required, Rule,
  string, tagKeyCheck, tagValueCheck, uniqueBy, validateBody,
} from './validation';

export { OBJECT_TYPES, PROTECT_TYPES, RESOURCE_TYPES } from './catalog';

// ---- Request tables -----------------------------------------------------------------------

/** Table 4-157 Tag. */
export const TAG = object({
  key: required(string({ check: tagKeyCheck })),
  value: required(string({ check: tagValueCheck })),
});

/** Table 4-159 BindRulesTags. */
const BIND_RULES_TAG = object({
  key: required(string({ check: bindRuleKeyCheck })),
  value: required(string({ check: bindRuleValueCheck })),
});

/** Table 4-158 VaultBindRules. */
export const VAULT_BIND_RULES = object({
  tags: array(BIND_RULES_TAG, { min: 0, max: 5 }),
});

/** "period_type / period_num: This parameter is mandatory if charging_mode is set to pre_paid." */
export const prePaidNeedsPeriod: Rule = (billing, path) => {
  if (billing.charging_mode !== 'pre_paid') return;
  for (const field of ['period_type', 'period_num']) {
    if (billing[field] === undefined || billing[field] === null) throw invalidParameter(`${path}.${field} is mandatory when charging_mode is pre_paid.`);
  }
};

/** Table 4-154 BillingCreate (also 4-262 of 4.5.14). */
export const BILLING_CREATE = object({
  cloud_type: string({ enum: CLOUD_TYPES }),
  consistent_level: required(string({ enum: CONSISTENT_LEVELS })),
  object_type: required(string({ enum: OBJECT_TYPES })),
  protect_type: required(string({ enum: PROTECT_TYPES, code: CBR_ERRORS.PROTECT_TYPE })),
  size: required(integer({ min: 10, max: 10485760, code: CBR_ERRORS.VAULT_CAPACITY })),
  charging_mode: string({ enum: CHARGING_MODES }),
  period_type: string({ enum: ['year', 'month'] }),
  period_num: integer({ min: 1 }),
  is_auto_renew: boolean(),
  is_auto_pay: boolean(),
  console_url: string({ min: 1, max: 255 }),
  is_multi_az: boolean(),
}, { rules: [prePaidNeedsPeriod] });

function billingOf(vault: Record<string, unknown>): Record<string, unknown> {
  return vault.billing as Record<string, unknown>;
}

/** "demand_billing: can be set to true only when a yearly/monthly vault is created." */
const demandBillingNeedsPrePaid: Rule = (vault, path) => {
  if (vault.demand_billing === true && billingOf(vault).charging_mode !== 'pre_paid') {
    throw invalidParameter(`${path}.demand_billing can be true only for a yearly/monthly (pre_paid) vault.`);
  }
};

/** "auto_expand: Only pay-per-use vaults support auto capacity expansion." */
export const autoExpandNeedsPostPaid: Rule = (vault, path) => {
  if (vault.auto_expand === true && billingOf(vault).charging_mode === 'pre_paid') {
    throw invalidParameter(`${path}.auto_expand can be true only for a pay-per-use (post_paid) vault.`);
  }
};

export const resourcesMatchObjectType: Rule = (vault, path) =>
  checkResourceTypes(vault.resources as ResourceInput[], billingOf(vault).object_type as string, `${path}.resources`);

/** Table 4-153 VaultCreate. */
const VAULT_CREATE = object({
  backup_policy_id: string(),
  billing: required(BILLING_CREATE),
  description: string({ min: 0, max: 64 }),
  name: required(string({ min: 1, max: 64 })),
  resources: required(array(RESOURCE_CREATE, { min: 0, max: 255, code: CBR_ERRORS.MAX_VAULT_RESOURCES })),
  tags: array(TAG, { min: 1, max: 10, code: CBR_ERRORS.MAX_TAGS }),
  enterprise_project_id: string(),
  auto_bind: boolean(),
  bind_rules: VAULT_BIND_RULES,
  auto_expand: boolean(),
  threshold: integer({ min: 1, max: 100 }),
  smn_notify: boolean(),
  backup_name_prefix: string({ min: 0, max: 32 }),
  demand_billing: boolean(),
  sys_lock_source_service: string({ enum: ['SMB', ''] }),
}, {
  rules: [
    uniqueBy('tags', 'key'),
    uniqueBy('resources', 'id', CBR_ERRORS.DUPLICATE_RESOURCES),
    demandBillingNeedsPrePaid,
    autoExpandNeedsPostPaid,
    resourcesMatchObjectType,
  ],
});

/** Tables 4-202 VaultUpdate and 4-203 BillingUpdate. */
const VAULT_UPDATE = object({
  billing: object({
    consistent_level: string({ enum: CONSISTENT_LEVELS }),
    size: integer({ min: 1, max: 10485760, code: CBR_ERRORS.VAULT_CAPACITY }),
  }),
  name: string({ min: 1, max: 64 }),
  auto_bind: boolean(),
  bind_rules: VAULT_BIND_RULES,
  auto_expand: boolean(),
  smn_notify: boolean(),
  threshold: integer({ min: 1, max: 100 }),
});

// ---- Response tables --------------------------------------------------------------------

/** Table 4-173 Vault (4.5.2-4.5.4), in table order. */
const VAULT_FIELDS = [
  'billing', 'description', 'id', 'name', 'project_id', 'provider_id', 'resources', 'tags', 'enterprise_project_id',
  'auto_bind', 'bind_rules', 'user_id', 'created_at', 'auto_expand', 'smn_notify', 'threshold', 'sys_lock_source_service',
] as const;

/** Table 4-161 VaultCreateResource (4.5.1): the Vault fields plus four more. */
const VAULT_CREATE_FIELDS = [
  ...VAULT_FIELDS.slice(0, -1), 'backup_name_prefix', 'demand_billing', 'cbc_delete_count', 'frozen', 'sys_lock_source_service',
] as const;

function pick(v: VaultRecord, fields: readonly (keyof VaultRecord)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = v[f];
  return JSON.parse(JSON.stringify(out));
}

/** The Vault object of 4.5.2-4.5.4. */
export function vaultView(v: VaultRecord): Record<string, unknown> {
  return pick(v, VAULT_FIELDS);
}

/** The VaultCreateResource object of 4.5.1 (a superset of Vault). */
export function vaultCreateView(v: VaultRecord): Record<string, unknown> {
  return pick(v, VAULT_CREATE_FIELDS);
}

// ---- Handlers -----------------------------------------------------------------------------


/** A backup policy given at creation must exist and be applicable to the vault. */
export function checkBackupPolicy(store: Store, projectId: string, policyId: string, billing: Record<string, unknown>): void {
  const policy = store.policy(projectId, policyId);
  if (!policy) throw new ApiError(CBR_ERRORS.POLICY_NOT_FOUND, `vault.backup_policy_id ${JSON.stringify(policyId)} names no policy.`);
  if (policy.operation_type !== 'backup') {
    throw new ApiError(CBR_ERRORS.POLICY_NOT_APPLICABLE, `vault.backup_policy_id names a ${policy.operation_type} policy, not a backup policy.`);
  }
  if (billing.protect_type !== 'backup') {
    throw new ApiError(CBR_ERRORS.POLICY_NOT_APPLICABLE, `a backup policy cannot be applied to a ${billing.protect_type} vault.`);
  }
  if (billing.cloud_type === 'hybrid') throw new ApiError(CBR_ERRORS.HYBRID_POLICY, 'vault.billing.cloud_type is hybrid.');
}

/** Order ids look like the document's `CS2303030959MR1IT`. */
export function orderId(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(2, 12);
  return `CS${stamp}${randomBytes(4).toString('hex').toUpperCase().slice(0, 5)}`;
}

/** Product ids look like the document's `00301-231151-0--0`. */
export function productId(): string {
  return `00301-${String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000))}-0--0`;
}

const opt = <T>(v: unknown, fallback: T): T => (v === undefined || v === null ? fallback : v as T);

export interface NewVault {
  readonly id: string;
  readonly projectId: string;
  readonly userId: string;
  readonly now: Date;
  /** A validated VaultCreate (4-153) or VaultOrder (4-261). */
  readonly input: Record<string, unknown>;
  readonly resources: ResourceRecord[];
  /** Billing-center ids of a yearly/monthly vault. */
  readonly orderId?: string;
  readonly productId?: string;
  readonly name?: string;
}

/** The stored vault for a validated creation request, with every response field at its documented default. */
export function buildVault(v: NewVault): VaultRecord {
  const { input } = v;
  const billing = input.billing as Record<string, unknown>;
  const objectType = billing.object_type as string;
  const protectType = billing.protect_type as string;
  const vault: VaultRecord = {
    id: v.id,
    name: v.name ?? input.name as string,
    description: opt(input.description, ''),
    project_id: v.projectId,
    provider_id: PROVIDER_IDS[objectType],
    user_id: v.userId,
    created_at: apiTimestamp(v.now),
    billing: {
      allocated: 0,
      charging_mode: opt(billing.charging_mode, 'post_paid'),
      cloud_type: opt(billing.cloud_type, 'public'),
      consistent_level: billing.consistent_level as string,
      object_type: objectType,
      order_id: v.orderId ?? '',
      product_id: v.productId ?? '',
      protect_type: protectType,
      size: billing.size as number,
      spec_code: specCode(protectType, objectType),
      status: 'available',
      storage_unit: '',
      used: 0,
      frozen_scene: '',
      is_multi_az: opt(billing.is_multi_az, false),
    },
    resources: v.resources,
    tags: opt<Array<{ key: string; value: string }>>(input.tags, []).map((t) => ({ key: t.key.trim(), value: t.value.trim() })),
    enterprise_project_id: opt(input.enterprise_project_id, '0'),
    auto_bind: opt(input.auto_bind, false),
    bind_rules: opt(input.bind_rules, {}),
    auto_expand: opt(input.auto_expand, false),
    smn_notify: opt(input.smn_notify, true),
    threshold: opt(input.threshold, 80),
    backup_name_prefix: opt(input.backup_name_prefix, ''),
    demand_billing: opt(input.demand_billing, false),
    cbc_delete_count: 0,
    frozen: false,
    sys_lock_source_service: opt(input.sys_lock_source_service, ''),
    order: {
      period_type: billing.period_type as string | undefined,
      period_num: billing.period_num as number | undefined,
      is_auto_renew: opt(billing.is_auto_renew, false),
      is_auto_pay: opt(billing.is_auto_pay, false),
      console_url: billing.console_url as string | undefined,
    },
  };
  refreshAllocated(vault);
  return vault;
}

function createVault(ctx: RequestContext) {
  const input = validateBody(ctx.body, 'vault', VAULT_CREATE);
  const billing = input.billing as Record<string, unknown>;
  const records = prepareResources(ctx.store, input.resources as ResourceInput[], 'vault.resources');
  const policyId = input.backup_policy_id as string | undefined;
  if (!isAbsent(policyId)) checkBackupPolicy(ctx.store, ctx.params.project_id, policyId, billing);
  const prePaid = billing.charging_mode === 'pre_paid';
  const vault = buildVault({
    id: randomUUID(),
    projectId: ctx.params.project_id,
    userId: userIdOf(ctx.caller!),
    now: ctx.now,
    input,
    resources: records,
    ...(prePaid ? { orderId: orderId(ctx.now), productId: productId() } : {}),
  });
  ctx.store.data.vaults.push(vault);
  if (!isAbsent(policyId)) ctx.store.data.associations.push({ vault_id: vault.id, policy_id: policyId });
  // 4.5.1 documents 200, not the generic 201 of 7.1: the API's own section wins.
  return { status: 200, body: { vault: vaultCreateView(vault) } };
}

function showVault(ctx: RequestContext) {
  return { status: 200, body: { vault: vaultView(pathVault(ctx)) } };
}

/** 4.5.3 with the filters of Table 4-189. */
function listVaults(ctx: RequestContext) {
  const q = ctx.query;
  const limit = queryInteger(q, 'limit', 1, 1000) ?? 1000;
  const offset = queryInteger(q, 'offset', 0) ?? 0;
  const cloudType = queryEnum(q, 'cloud_type', CLOUD_TYPES);
  const objectType = queryEnum(q, 'object_type', OBJECT_TYPES);
  const protectType = queryEnum(q, 'protect_type', PROTECT_TYPES);
  const status = queryEnum(q, 'status', VAULT_STATUSES);
  const eps = q.get('enterprise_project_id');
  const id = q.get('id');
  const name = q.get('name');
  const policyId = q.get('policy_id');
  const resourceIds = q.get('resource_ids')?.split(',').map((s) => s.trim()).filter((s) => s);
  const matching = ctx.store.data.vaults.filter((v) =>
    v.project_id === ctx.params.project_id
    && (cloudType === undefined || v.billing.cloud_type === cloudType)
    && (objectType === undefined || v.billing.object_type === objectType)
    && (protectType === undefined || v.billing.protect_type === protectType)
    && (status === undefined || v.billing.status === status)
    && (eps === null || eps === 'all_granted_eps' || v.enterprise_project_id === eps)
    && (id === null || v.id === id)
    // The document does not say whether name matches exactly; a substring match is the
    // safer assumption for clients, which must then compare names themselves.
    && (name === null || v.name.includes(name))
    && (policyId === null || ctx.store.associationsOfVault(v.id).some((a) => a.policy_id === policyId))
    && (resourceIds === undefined || v.resources.some((r) => resourceIds.includes(r.id))));
  return {
    status: 200,
    body: { vaults: matching.slice(offset, offset + limit).map(vaultView), count: matching.length, limit, offset },
  };
}

function updateVault(ctx: RequestContext) {
  const vault = pathVault(ctx);
  const input = validateBody(ctx.body, 'vault', VAULT_UPDATE);
  if (input.auto_expand === true && vault.billing.charging_mode === 'pre_paid') {
    throw invalidParameter('vault.auto_expand can be true only for a pay-per-use (post_paid) vault.');
  }
  const billing = (input.billing ?? {}) as Record<string, unknown>;
  const set = <K extends keyof VaultRecord>(key: K, value: unknown) => {
    if (!isAbsent(value)) vault[key] = value as VaultRecord[K];
  };
  if (!isAbsent(billing.consistent_level)) vault.billing.consistent_level = billing.consistent_level as string;
  if (!isAbsent(billing.size)) vault.billing.size = billing.size as number;
  set('name', input.name);
  set('auto_bind', input.auto_bind);
  set('bind_rules', input.bind_rules);
  set('auto_expand', input.auto_expand);
  set('smn_notify', input.smn_notify);
  set('threshold', input.threshold);
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 200, body: { vault: vaultView(vault) } };
}

/**
 * 4.5.5. "Once a vault is deleted, all backups in the vault are cleared": a vault_delete task.
 *
 * Yearly/monthly (pre_paid) vaults are deleted like any other. The reference gives no exception:
 * 4.5.5 documents only 204 and no billing condition; the one 7.2 code that could refuse,
 * BackupService.6111 "The vault cannot be deleted.", has the handling measure "Try again. If the
 * fault persists, contact technical support." (a transient failure, not a rule about billing
 * modes); and the vault itself carries cbc_delete_count, "Vault deletion count", kept for the
 * billing center (CBC), which presumes that such vaults do get deleted. The subscription is not
 * the vault API's business: the order of a deleted vault stays as it was, marked with the time
 * its vault went away.
 */
function deleteVault(ctx: RequestContext) {
  const vault = pathVault(ctx);
  const data = ctx.store.data;
  data.vaults = data.vaults.filter((v) => v !== vault);
  data.associations = data.associations.filter((a) => a.vault_id !== vault.id && a.destination_vault_id !== vault.id);
  const order = data.orders.find((o) => o.resource_id === vault.id);
  if (order) order.vault_deleted_at = apiTimestamp(ctx.now);
  recordOperation(ctx, vault, 'vault_delete', { vault_delete: { fail_count: 0, total_count: 0 } });
  return { status: 204 };
}

export const vaultRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/vaults', auth: 'cbr', hasBody: true, handle: createVault },
  { method: 'GET', pattern: '/v3/{project_id}/vaults', auth: 'cbr', hasBody: false, handle: listVaults },
  { method: 'GET', pattern: '/v3/{project_id}/vaults/{vault_id}', auth: 'cbr', hasBody: false, handle: showVault },
  { method: 'PUT', pattern: '/v3/{project_id}/vaults/{vault_id}', auth: 'cbr', hasBody: true, handle: updateVault },
  { method: 'DELETE', pattern: '/v3/{project_id}/vaults/{vault_id}', auth: 'cbr', hasBody: false, handle: deleteVault },
];
