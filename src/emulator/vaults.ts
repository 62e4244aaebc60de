import { randomBytes, randomUUID } from 'node:crypto';
import { PROVIDER_IDS, specCode } from './catalog';
import { apiTimestamp, pathVault, RequestContext, Route } from './context';
import { userIdOf } from './credentials';
import { recordOperation } from './operation-logs';
import { prepareResources, refreshAllocated } from './resources';
import type { ResourceRecord, Store, VaultRecord } from './store';
import { CLOUD_TYPES, OBJECT_TYPES, PROTECT_TYPES, VAULT_STATUSES } from '../api/cbr/catalog';
import { CREATE_VAULT, UPDATE_VAULT } from '../api/cbr/vaults';
import { ApiError, CBR_ERRORS, invalidParameter } from '../api/errors';
import { isAbsent, queryEnum, queryInteger, validateRequest } from '../api/table';

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
  const input = validateRequest(ctx.body, CREATE_VAULT).vault;
  const billing = input.billing as Record<string, unknown>;
  const records = prepareResources(ctx.store, input.resources, 'vault.resources');
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
  const input = validateRequest(ctx.body, UPDATE_VAULT).vault;
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
