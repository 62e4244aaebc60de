import type { RequestContext, Route } from './context';
import { apiTimestamp, pathVault } from './context';
import { recordOperation } from './operation-logs';
import type { ProtectableRecord, ResourceRecord, Store, VaultRecord } from './store';
import { RESOURCE_TYPES, RESOURCE_TYPES_BY_OBJECT_TYPE } from '../api/cbr/catalog';
import { ADD_RESOURCES, checkResourceTypes, MAX_RESOURCES_PER_CALL, MIGRATE_RESOURCES, REMOVE_RESOURCES, ResourceCreate, SET_RESOURCES } from '../api/cbr/resources';
import { ApiError, CBR_ERRORS, invalidParameter } from '../api/errors';
import { isAbsent, isPlainObject, queryEnum, queryInteger, show, validateRequest } from '../api/table';

/**
 * Resources: the protectable servers, disks and file systems the emulator is configured with
 * (4.2.1, 4.2.3), associating them with vaults (4.5.7) or dissociating them (4.5.6), moving them
 * to another vault (4.5.11) and suspending their auto backup (4.5.13).
 *
 * Resource ids are checked against the configured protectable resources ONLY when at least one is
 * configured; with none, any id is accepted (a simple setup needs no inventory).
 *
 * Rules of 4.5.11 Migrating Resources (`{ destination_vault_id, resource_ids }`). The document
 * gives the body table (4-248) and nothing else; the codes are those of 7.2 whose wording fits:
 * - body: a JSON object with exactly those fields, resource_ids 1 to 256 non-empty strings (the
 *   largest resource list 4.5.7 accepts; 4-248 gives no length): else 9900; an id listed twice: 6104.
 * - destination_vault_id: not the path vault (9900); a vault of the same project (6120 "The
 *   destination vault does not exist."); a backup vault, since 4.5.11 "associate[s] resources with
 *   another vault" so their backups continue there (a replication vault: 6124 "Backup is not allowed
 *   for the current type of vaults."); of the path vault's object_type (6102 "The vault does not
 *   support this resource type."); with room for the resources (6100, as 4.5.7).
 * - every id must be held by the path vault (6135, as 4.5.6), except that an id the destination
 *   already holds counts as migrated: the document says nothing about repeating a migration, and
 *   this makes a retried call whose first answer was lost succeed with the same answer.
 * - a migrated resource keeps its record: type, name, extra_info, size, protect_status and its
 *   backups (backup_count, backup_size), as 4.5.11 "migrate[s] the resource backups" too. Both
 *   vaults' billing.allocated follow; billing.used is not modelled (always 0), so nothing moves there.
 * - it is one synchronous change: all checks come first, then both vaults change together.
 * - 200 `{ migrated_resources: [...] }` lists the migrated resource ids, see migrateResources.
 *
 * Rules of 4.5.13 Setting Auto Backup for a Vault (`{ resource_ids, action }`, Table 4-256):
 * - action is suspend or unsuspend, resource_ids 1 to 256 strings (9900); duplicates 6104; every
 *   id must be in the path vault (6135). The URI is `set-resources` (the example request's
 *   `set_resource` contradicts the URI section, which wins).
 * - the state is kept in ResourceResp.protect_status, the one per-resource status field 4.5.2
 *   returns: suspend sets it to `suspended`, unsuspend back to `available`. Its documented
 *   enumeration (available, error, protecting, restoring, removing) has no value for a suspended
 *   resource; `suspended` is the emulator's own. Repeating an action is not an error.
 * - 200 `{ set_resource_ids: [...] }` echoes resource_ids, as the example response does.
 */

/**
 * The most resources a vault holds. The document states no per-vault total; 256 is the largest list
 * it accepts in one call (4.5.7 resources, 4.5.14 resources: "Array Length: 1 - 256").
 */
export const MAX_VAULT_RESOURCES = MAX_RESOURCES_PER_CALL;

/** ProtectablesResp.status (Table 4-52). */
const PROTECTABLE_STATUSES = ['active', 'deleted', 'error'] as const;

/** 4.2.1 / 4.2.3 protectable_type: "Enumeration values: server, disk". */
const PROTECTABLE_TYPES = ['server', 'disk'] as const;

// ---- Shared by 4.5.1, 4.5.7 and 4.5.14 ----------------------------------------------------

function excludedOf(r: ResourceCreate): string[] {
  return [...(r.extra_info?.exclude_volumes ?? [])];
}

/** The configured resource behind a ResourceCreate, when resources are checked; throws 6302 / 9900. */
function checkProtectable(store: Store, r: ResourceCreate, path: string): ProtectableRecord | undefined {
  if (!store.checksResources) return undefined;
  const known = store.protectable(r.id);
  if (!known || known.status === 'deleted') {
    throw new ApiError(CBR_ERRORS.RESOURCE_NOT_FOUND, `${path}.id ${JSON.stringify(r.id)} names no ${known ? 'existing (it was deleted)' : 'known'} resource.`);
  }
  if (known.type !== r.type) throw invalidParameter(`${path}.type ${JSON.stringify(r.type)} does not match resource ${JSON.stringify(r.id)}, which is a ${known.type}.`);
  if (known.volumes.length > 0) {
    const volumeIds = new Set(known.volumes.map((v) => v.id));
    excludedOf(r).forEach((id, i) => {
      if (!volumeIds.has(id)) throw invalidParameter(`${path}.extra_info.exclude_volumes[${i}] ${JSON.stringify(id)} is not a disk of ${known.type} ${JSON.stringify(r.id)}.`);
    });
  }
  return known;
}

/** "Allocated capacity for the associated resource, in GB": the disks backed up, when they are known. */
function allocatedSize(known: ProtectableRecord | undefined, excluded: readonly string[]): number {
  if (!known) return 0;
  if (known.volumes.length === 0) return known.size;
  return known.volumes.filter((v) => !excluded.includes(v.id)).reduce((sum, v) => sum + v.size, 0);
}

/**
 * Checks resources about to be associated with a vault (`targetVaultId`, or a vault still to be
 * created) and builds their records: 6302 (unknown resource, when resources are checked), 9900
 * (type or excluded disk does not match the configured resource), 6103 (held by another vault or
 * by a pending yearly/monthly order). Resource type against object type (6102) and duplicates
 * (6104) are the caller's checks, made before these.
 */
export function prepareResources(store: Store, inputs: readonly ResourceCreate[], path: string, targetVaultId?: string): ResourceRecord[] {
  return inputs.map((r, i) => {
    const p = `${path}[${i}]`;
    const known = checkProtectable(store, r, p);
    const holder = store.vaultHoldingResource(r.id);
    if (holder && holder.id !== targetVaultId) {
      throw new ApiError(CBR_ERRORS.RESOURCE_ALREADY_ASSOCIATED, `${p}.id ${JSON.stringify(r.id)} is in vault ${holder.id}.`);
    }
    const order = store.orderHoldingResource(r.id);
    if (order && order.resource_id !== targetVaultId) {
      throw new ApiError(CBR_ERRORS.RESOURCE_ALREADY_ASSOCIATED,
        `${p}.id ${JSON.stringify(r.id)} is in vault ${order.resource_id}, which order ${order.order_id} is creating.`);
    }
    const excluded = excludedOf(r);
    return {
      extra_info: { exclude_volumes: excluded },
      id: r.id,
      name: r.name ?? known?.name ?? '',
      protect_status: 'available',
      size: allocatedSize(known, excluded),
      type: r.type,
      backup_size: 0,
      backup_count: 0,
    };
  });
}

/** billing.allocated: "Allocated capacity, in GB", the sum over the vault's resources. */
export function refreshAllocated(vault: VaultRecord): void {
  vault.billing.allocated = vault.resources.reduce((sum, r) => sum + r.size, 0);
}

// ---- 4.5.7 / 4.5.6 ----------------------------------------------------------------------

/** 6100 when `vault` cannot take `more` resources. */
function checkRoom(vault: VaultRecord, more: number): void {
  if (vault.resources.length + more > MAX_VAULT_RESOURCES) {
    throw new ApiError(CBR_ERRORS.MAX_VAULT_RESOURCES,
      `Vault ${vault.id} holds ${vault.resources.length} resources; ${more} more would exceed ${MAX_VAULT_RESOURCES}.`);
  }
}

function duplicates(ids: readonly string[], path: string, field = ''): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ApiError(CBR_ERRORS.DUPLICATE_RESOURCES, `${path}[${i}]${field} ${JSON.stringify(id)} is given more than once.`);
    seen.add(id);
  });
}

/**
 * 4.5.7. A resource already in THIS vault is not an error: its extra_info is replaced ("in case
 * that a server was previously added and some disks on this server do not need to be backed up").
 */
function addResources(ctx: RequestContext) {
  const vault = pathVault(ctx);
  const inputs = validateRequest(ctx.body, ADD_RESOURCES).resources;
  duplicates(inputs.map((r) => r.id), 'resources', '.id');
  checkResourceTypes(inputs, vault.billing.object_type, 'resources');
  const records = prepareResources(ctx.store, inputs, 'resources', vault.id);
  checkRoom(vault, records.filter((r) => !vault.resources.some((x) => x.id === r.id)).length);
  for (const record of records) {
    const existing = vault.resources.find((x) => x.id === record.id);
    if (existing) {
      // Re-adding keeps the resource (and its backups); only what the request says changes.
      existing.extra_info = record.extra_info;
      existing.size = record.size;
      if (!isAbsent(inputs.find((r) => r.id === record.id)!.name)) existing.name = record.name;
    } else {
      vault.resources.push(record);
    }
  }
  refreshAllocated(vault);
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 200, body: { add_resource_ids: records.map((r) => r.id) } };
}

/** 6135 for the first of `ids` that `vault` does not hold, unless `alsoHeld` accepts it. */
function checkHeld(vault: VaultRecord, ids: readonly string[], alsoHeld: (id: string) => boolean = () => false): void {
  ids.forEach((id, i) => {
    if (!vault.resources.some((r) => r.id === id) && !alsoHeld(id)) {
      throw new ApiError(CBR_ERRORS.RESOURCE_NOT_IN_VAULT, `resource_ids[${i}] ${JSON.stringify(id)} is not in vault ${vault.id}.`);
    }
  });
}

/** The vault, the validated body and its resource_ids (6104 when one is listed twice). */
function vaultAndIds(ctx: RequestContext, schema: typeof REMOVE_RESOURCES | typeof MIGRATE_RESOURCES | typeof SET_RESOURCES):
{ vault: VaultRecord; body: Record<string, unknown>; ids: string[] } {
  const vault = pathVault(ctx);
  const body = validateRequest(ctx.body, schema);
  const ids = body.resource_ids;
  duplicates(ids, 'resource_ids');
  return { vault, body, ids };
}

/** 4.5.6: every id must be in the vault (6135); the removal is recorded as a remove_resource task. */
function removeResources(ctx: RequestContext) {
  const { vault, ids } = vaultAndIds(ctx, REMOVE_RESOURCES);
  checkHeld(vault, ids);
  const removed = vault.resources.filter((r) => ids.includes(r.id));
  vault.resources = vault.resources.filter((r) => !ids.includes(r.id));
  refreshAllocated(vault);
  vault.updated_at = apiTimestamp(ctx.now);
  recordOperation(ctx, vault, 'remove_resource', {
    remove_resources: {
      fail_count: 0,
      // "Number of deleted backups": the emulator keeps no backups.
      total_count: 0,
      resources: removed.map((r) => ({ extra_info: r.extra_info, id: r.id, name: r.name, type: r.type })),
    },
  });
  return { status: 200, body: { remove_resource_ids: ids } };
}

// ---- 4.5.11 / 4.5.13 --------------------------------------------------------------------

/** The destination of 4.5.11: another backup vault of the project, of the source's object type (9900, 6120, 6124, 6102). */
function migrationDestination(ctx: RequestContext, source: VaultRecord, destinationId: string): VaultRecord {
  if (destinationId === source.id) throw invalidParameter(`destination_vault_id ${JSON.stringify(destinationId)} is the vault itself.`);
  const destination = ctx.store.vault(ctx.params.project_id, destinationId);
  if (!destination) {
    throw new ApiError(CBR_ERRORS.DESTINATION_VAULT_NOT_FOUND, `destination_vault_id ${JSON.stringify(destinationId)} names no vault of project ${ctx.params.project_id}.`);
  }
  if (destination.billing.protect_type !== 'backup') {
    throw new ApiError(CBR_ERRORS.BACKUP_NOT_ALLOWED_FOR_VAULT_TYPE,
      `destination vault ${destinationId} is a ${destination.billing.protect_type} vault; resources can only be migrated to a backup vault.`);
  }
  if (destination.billing.object_type !== source.billing.object_type) {
    throw new ApiError(CBR_ERRORS.RESOURCE_TYPE_NOT_SUPPORTED,
      `destination vault ${destinationId} holds ${destination.billing.object_type} resources; vault ${source.id} holds ${source.billing.object_type} resources.`);
  }
  return destination;
}

/** 4.5.11: moves resources, with their backups, to another vault in one change (rules in the module comment). */
function migrateResources(ctx: RequestContext) {
  const { vault: source, body, ids } = vaultAndIds(ctx, MIGRATE_RESOURCES);
  const destination = migrationDestination(ctx, source, body.destination_vault_id as string);
  // Already in the destination: migrated by an earlier call (a retry), not an error.
  checkHeld(source, ids, (id) => destination.resources.some((r) => r.id === id));
  const moving = source.resources.filter((r) => ids.includes(r.id));
  checkRoom(destination, moving.length);
  if (moving.length > 0) {
    source.resources = source.resources.filter((r) => !ids.includes(r.id));
    destination.resources.push(...moving);
    const now = apiTimestamp(ctx.now);
    for (const v of [source, destination]) {
      refreshAllocated(v);
      v.updated_at = now;
    }
  }
  // Table 4-249 says "List of migrated resources"; the example's single id is the destination
  // vault's, which would tell the caller nothing it sent: the emulator answers the resource ids.
  return { status: 200, body: { migrated_resources: ids } };
}

/** 4.5.13: suspends or resumes auto backup of resources of the vault, in their protect_status. */
function setResources(ctx: RequestContext) {
  const { vault, body, ids } = vaultAndIds(ctx, SET_RESOURCES);
  checkHeld(vault, ids);
  const status = body.action === 'suspend' ? 'suspended' : 'available';
  for (const r of vault.resources) if (ids.includes(r.id)) r.protect_status = status;
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 200, body: { set_resource_ids: ids } };
}

// ---- 4.2.1 / 4.2.3 -----------------------------------------------------------------------

/** VaultGet (Table 4-54): the Vault fields plus updated_at and version. */
function vaultGet(v: VaultRecord): Record<string, unknown> {
  return JSON.parse(JSON.stringify({
    billing: v.billing,
    description: v.description,
    id: v.id,
    name: v.name,
    project_id: v.project_id,
    provider_id: v.provider_id,
    resources: v.resources,
    tags: v.tags,
    enterprise_project_id: v.enterprise_project_id,
    auto_bind: v.auto_bind,
    bind_rules: v.bind_rules,
    user_id: v.user_id,
    created_at: v.created_at,
    auto_expand: v.auto_expand,
    smn_notify: v.smn_notify,
    threshold: v.threshold,
    sys_lock_source_service: v.sys_lock_source_service,
    updated_at: v.updated_at ?? v.created_at,
    // The document does not say what version counts; the emulator keeps none.
    version: '',
  }));
}

/** ProtectablesResp (Table 4-52). A server's children are its disks. */
function protectableView(store: Store, projectId: string, p: ProtectableRecord): Record<string, unknown> {
  const holder = store.vaultHoldingResource(p.id);
  const ok = p.status === 'active';
  const protectable: Record<string, unknown> = ok
    ? { code: '', reason: '', result: true }
    : {
      code: 'BackupService.6215',
      reason: 'Backup is not allowed in the current resource status.',
      result: false,
      message: `The resource is ${p.status}.`,
    };
  if (holder && holder.project_id === projectId) protectable.vault = vaultGet(holder);
  const children = p.volumes.map((v) => {
    const disk = store.protectable(v.id);
    return disk ? protectableView(store, projectId, disk) : {
      children: [], detail: {}, id: v.id, name: v.name, protectable: { code: '', reason: '', result: true }, size: v.size, status: 'active', type: 'OS::Cinder::Volume',
    };
  });
  return JSON.parse(JSON.stringify({
    children, detail: p.detail, id: p.id, name: p.name, protectable, size: p.size, status: p.status, type: p.type,
  }));
}

function typesOf(protectableType: string): readonly string[] {
  return RESOURCE_TYPES_BY_OBJECT_TYPE[protectableType];
}

function protectableTypeParam(ctx: RequestContext): string {
  const t = ctx.params.protectable_type;
  if (!(PROTECTABLE_TYPES as readonly string[]).includes(t)) {
    throw invalidParameter(`protectable_type must be one of ${PROTECTABLE_TYPES.map((x) => JSON.stringify(x)).join(', ')}; got ${JSON.stringify(t)}.`);
  }
  return t;
}

/** 4.2.1 with the filters of Table 4-50; at most 50 a page ("A maximum of 50 records can be displayed on each page"). */
function listProtectables(ctx: RequestContext) {
  const types = typesOf(protectableTypeParam(ctx));
  const q = ctx.query;
  const limit = queryInteger(q, 'limit', 1, 50) ?? 50;
  const offset = queryInteger(q, 'offset', 0) ?? 0;
  const status = queryEnum(q, 'status', PROTECTABLE_STATUSES);
  const id = q.get('id');
  const name = q.get('name');
  const serverId = q.get('server_id');
  const marker = q.get('marker');
  const server = serverId === null ? undefined : ctx.store.protectable(serverId);
  let matching = ctx.store.data.protectables.filter((p) =>
    types.includes(p.type)
    && (id === null || p.id === id)
    && (name === null || p.name.includes(name))
    && (status === undefined || p.status === status)
    && (serverId === null || (server?.volumes ?? []).some((v) => v.id === p.id)));
  if (marker !== null) {
    const at = matching.findIndex((p) => p.id === marker);
    if (at < 0) throw invalidParameter(`query parameter marker ${JSON.stringify(marker)} names no record of this list.`);
    matching = matching.slice(at + 1);
  }
  const page = matching.slice(offset, offset + limit);
  return { status: 200, body: { instances: page.map((p) => protectableView(ctx.store, ctx.params.project_id, p)) } };
}

/** 4.2.3: 404 BackupService.6302 when the id names no resource of that type. */
function showProtectable(ctx: RequestContext) {
  const types = typesOf(protectableTypeParam(ctx));
  const p = ctx.store.protectable(ctx.params.instance_id);
  if (!p || !types.includes(p.type)) {
    throw new ApiError(CBR_ERRORS.RESOURCE_NOT_FOUND, `No ${ctx.params.protectable_type} has the id ${JSON.stringify(ctx.params.instance_id)}.`);
  }
  return { status: 200, body: { instance: protectableView(ctx.store, ctx.params.project_id, p) } };
}

// ---- Configuration (--resources-file, POST /_emulator/resources) ------------------------

/**
 * `[{ id, type, name, size?, status?, volumes?, detail? }]`; throws Error naming the entry at fault.
 * A server's volumes given without size or name take them from the disk of the same id (among
 * these or the `known` resources); a server without size is the sum of its volumes.
 */
export function parseProtectables(input: unknown, where = 'resources', known: readonly ProtectableRecord[] = []): ProtectableRecord[] {
  const parsed = parseEntries(input, where);
  const disks = [...known, ...parsed.map((p) => p.record)];
  return parsed.map(({ record, sizeGiven }) => {
    for (const v of record.volumes) {
      const disk = disks.find((d) => d.id === v.id && d.type === 'OS::Cinder::Volume');
      if (disk && v.size === 0) v.size = disk.size;
      if (disk && v.name === '') v.name = disk.name;
    }
    if (!sizeGiven) record.size = record.volumes.reduce((sum, v) => sum + v.size, 0);
    return record;
  });
}

function parseEntries(input: unknown, where: string): Array<{ record: ProtectableRecord; sizeGiven: boolean }> {
  if (!Array.isArray(input)) throw new Error(`${where} must be a JSON array of {id, type, name, size?, volumes?}, got ${show(input)}.`);
  const seen = new Set<string>();
  return input.map((raw, i) => {
    const p = `${where}[${i}]`;
    if (!isPlainObject(raw)) throw new Error(`${p} must be an object, got ${show(raw)}.`);
    const allowed = ['id', 'type', 'name', 'size', 'status', 'volumes', 'detail'];
    for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw new Error(`${p}.${k} is not a resource field (${allowed.join(', ')}).`);
    const { id, type, name, size, status, volumes, detail } = raw;
    if (typeof id !== 'string' || id === '') throw new Error(`${p}.id must be a non-empty string.`);
    if (seen.has(id)) throw new Error(`${p}.id ${JSON.stringify(id)} is given more than once.`);
    seen.add(id);
    if (typeof type !== 'string' || !(RESOURCE_TYPES as readonly string[]).includes(type)) {
      throw new Error(`${p}.type must be one of ${RESOURCE_TYPES.join(', ')}; got ${show(type)}.`);
    }
    if (typeof name !== 'string') throw new Error(`${p}.name must be a string.`);
    if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 0)) throw new Error(`${p}.size must be a whole number of GB.`);
    if (status !== undefined && !(PROTECTABLE_STATUSES as readonly unknown[]).includes(status)) {
      throw new Error(`${p}.status must be one of ${PROTECTABLE_STATUSES.join(', ')}; got ${show(status)}.`);
    }
    if (detail !== undefined && !isPlainObject(detail)) throw new Error(`${p}.detail must be an object.`);
    if (volumes !== undefined && !Array.isArray(volumes)) throw new Error(`${p}.volumes must be an array of disk ids or {id, name?, size?}.`);
    if (volumes !== undefined && (volumes as unknown[]).length > 0 && !RESOURCE_TYPES_BY_OBJECT_TYPE.server.includes(type)) {
      throw new Error(`${p}.volumes: only servers have volumes, and ${id} is a ${type}.`);
    }
    const vols = ((volumes ?? []) as unknown[]).map((v, j) => {
      const vp = `${p}.volumes[${j}]`;
      if (typeof v === 'string' && v !== '') return { id: v, name: '', size: 0 };
      if (!isPlainObject(v) || typeof v.id !== 'string' || v.id === '') throw new Error(`${vp} must be a disk id or {id, name?, size?}.`);
      if (v.name !== undefined && typeof v.name !== 'string') throw new Error(`${vp}.name must be a string.`);
      if (v.size !== undefined && (typeof v.size !== 'number' || !Number.isInteger(v.size) || v.size < 0)) throw new Error(`${vp}.size must be a whole number of GB.`);
      return { id: v.id, name: (v.name as string | undefined) ?? '', size: (v.size as number | undefined) ?? 0 };
    });
    const record = {
      id,
      type,
      name,
      size: (size as number | undefined) ?? 0,
      status: (status as string | undefined) ?? 'active',
      volumes: vols,
      detail: (detail as Record<string, unknown> | undefined) ?? {},
    };
    return { record, sizeGiven: size !== undefined };
  });
}

export const resourceRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/vaults/{vault_id}/addresources', auth: 'cbr', hasBody: true, handle: addResources },
  { method: 'POST', pattern: '/v3/{project_id}/vaults/{vault_id}/removeresources', auth: 'cbr', hasBody: true, handle: removeResources },
  { method: 'POST', pattern: '/v3/{project_id}/vaults/{vault_id}/migrateresources', auth: 'cbr', hasBody: true, handle: migrateResources },
  { method: 'PUT', pattern: '/v3/{project_id}/vaults/{vault_id}/set-resources', auth: 'cbr', hasBody: true, handle: setResources },
  { method: 'GET', pattern: '/v3/{project_id}/protectables/{protectable_type}/instances', auth: 'cbr', hasBody: false, handle: listProtectables },
  { method: 'GET', pattern: '/v3/{project_id}/protectables/{protectable_type}/instances/{instance_id}', auth: 'cbr', hasBody: false, handle: showProtectable },
];
