import { apiTimestamp, objectBody, pathVault, RequestContext, Route } from './context';
import type { VaultRecord } from './store';
import { vaultView } from './vaults';
import { MAX_VAULT_TAGS } from '../api/cbr/catalog';
import { ADD_TAG, BATCH_TAGS_CREATE, BATCH_TAGS_DELETE, RESOURCE_INSTANCES } from '../api/cbr/tags';
import { ApiError, CBR_ERRORS, invalidParameter } from '../api/errors';
import { isAbsent, validateValue } from '../api/table';

/**
 * Vault tags (4.7). Each API applies its own section's rules:
 * - 4.7.2 batch action: "The character set of the tags will not be verified. A key and a value can
 *   individually consist of up to 127 and 255 characters." Duplicate keys fail when adding and are
 *   allowed when deleting; deleting absent tags succeeds; at most 10 tags per vault (6600).
 * - 4.7.3 add one: Table 4-334 (key up to 36 characters, value up to 43, the character sets of
 *   Table 4-157); an existing key is overwritten; at most 10 tags (6600).
 * - 4.7.4 delete one: "The key length and character set are not verified"; a key the vault does
 *   not have answers 404 ("When you delete a nonexistent tag, error code 404 will be returned"):
 *   BackupService.6601 "The key does not exist."
 * - An unknown vault_id answers 400 BackupService.9900 "Invalid vault_id provided.", the 4.7.5
 *   example response (the 4.7 status-code tables list 400, not 404).
 * - sys_tags (both in requests and filters) are for "users with the op_service permission" only,
 *   which no emulator account has: 9900.
 */

type Tag = { key: string; value: string };


function noSysTags(input: Record<string, unknown>, path = 'sys_tags'): void {
  if (!isAbsent(input.sys_tags)) throw invalidParameter(`${path} is available only to the op_service permission, which this account does not have.`);
}

/** Sets tags on the vault (overwriting equal keys); 6600 when it would end up with more than 10. */
function putTags(vault: VaultRecord, tags: readonly Tag[], path: string): void {
  const merged = [...vault.tags];
  for (const t of tags) {
    const at = merged.findIndex((x) => x.key === t.key);
    if (at >= 0) merged[at] = t; else merged.push(t);
  }
  if (merged.length > MAX_VAULT_TAGS) {
    throw new ApiError(CBR_ERRORS.MAX_TAGS,
      `${path}: vault ${vault.id} has ${vault.tags.length} tags; adding ${merged.length - vault.tags.length} more would exceed ${MAX_VAULT_TAGS}.`);
  }
  vault.tags = merged;
}

// ---- 4.7.2 -------------------------------------------------------------------------------

function batchTags(ctx: RequestContext) {
  const vault = pathVault(ctx, CBR_ERRORS.TAG_VAULT_INVALID);
  const input = objectBody(ctx);
  const action = input.action;
  validateValue(input, action === 'delete' ? BATCH_TAGS_DELETE : BATCH_TAGS_CREATE, '');
  noSysTags(input);
  if (isAbsent(input.tags)) throw invalidParameter(`tags is mandatory for action ${action}.`);
  const tags = (input.tags as Array<{ key: string; value?: string | null }>)
    .map((t) => ({ key: t.key.trim(), value: isAbsent(t.value) ? undefined : t.value.trim() }));
  if (action === 'create') {
    const seen = new Set<string>();
    tags.forEach((t, i) => {
      if (seen.has(t.key)) throw invalidParameter(`tags[${i}].key ${JSON.stringify(t.key)} is given more than once.`);
      seen.add(t.key);
    });
    putTags(vault, tags as Tag[], 'tags');
  } else {
    // A value, when given, must match too; absent tags are "considered to be deleted".
    vault.tags = vault.tags.filter((x) => !tags.some((t) => t.key === x.key && (t.value === undefined || t.value === x.value)));
  }
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 204 };
}

// ---- 4.7.3 / 4.7.4 / 4.7.5 ------------------------------------------------------------------

function addTag(ctx: RequestContext) {
  const vault = pathVault(ctx, CBR_ERRORS.TAG_VAULT_INVALID);
  const input = objectBody(ctx);
  validateValue(input, ADD_TAG, '');
  const tag = input.tag as Tag;
  putTags(vault, [{ key: tag.key.trim(), value: tag.value.trim() }], 'tag');
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 204 };
}

function deleteTag(ctx: RequestContext) {
  const vault = pathVault(ctx, CBR_ERRORS.TAG_VAULT_INVALID);
  const key = ctx.params.key.trim();
  if (key === '') throw invalidParameter('The key cannot be left blank or be an empty string.');
  if (!vault.tags.some((t) => t.key === key)) throw new ApiError(CBR_ERRORS.TAG_KEY_NOT_FOUND, `Vault ${vault.id} has no tag ${JSON.stringify(key)}.`);
  vault.tags = vault.tags.filter((t) => t.key !== key);
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 204 };
}

function listTags(ctx: RequestContext) {
  return { status: 200, body: { tags: pathVault(ctx, CBR_ERRORS.TAG_VAULT_INVALID).tags.map((t) => ({ key: t.key, value: t.value })) } };
}

// ---- 4.7.6 -------------------------------------------------------------------------------

/** Every key used on the project's vaults with the values it has, in first-seen order. */
function projectTags(ctx: RequestContext) {
  const byKey = new Map<string, string[]>();
  for (const v of ctx.store.data.vaults.filter((x) => x.project_id === ctx.params.project_id)) {
    for (const t of v.tags) {
      const values = byKey.get(t.key) ?? [];
      if (!values.includes(t.value)) values.push(t.value);
      byKey.set(t.key, values);
    }
  }
  return { status: 200, body: { tags: [...byKey].map(([key, values]) => ({ key, values })) } };
}

// ---- 4.7.1 -------------------------------------------------------------------------------

type TagsReq = { key: string; values: string[] };

function uniqueKeys(list: unknown, path: string): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  (list as TagsReq[]).forEach((t, i) => {
    const key = t.key.trim();
    if (seen.has(key)) throw invalidParameter(`${path}[${i}].key ${JSON.stringify(key)} is given more than once.`);
    seen.add(key);
    const values = new Set<string>();
    t.values.forEach((v, j) => {
      if (values.has(v.trim())) throw invalidParameter(`${path}[${i}].values[${j}] ${JSON.stringify(v.trim())} is given more than once.`);
      values.add(v.trim());
    });
  });
}

/** One TagsReq against a vault's tags: the key present, with any listed value ("*x": containing x); no values: any value. */
function matchesOne(tags: readonly Tag[], req: TagsReq): boolean {
  const key = req.key.trim();
  const tag = tags.find((t) => t.key === key);
  if (!tag) return false;
  if (req.values.length === 0) return true;
  return req.values.some((raw) => {
    const v = raw.trim();
    return v.startsWith('*') ? tag.value.includes(v.replace(/^\*+/, '')) : tag.value === v;
  });
}

/**
 * 4.7.1. tags: all entries match (keys AND, values OR); tags_any: some entry matches; not_tags:
 * excludes vaults that match all its entries; not_tags_any: excludes vaults that match any;
 * without_any_tag: vaults with no tags, the other tag filters ignored. matches resource_name: an
 * empty value matches exactly (an empty name), any other value is a substring match.
 */
function resourceInstances(ctx: RequestContext) {
  const input = objectBody(ctx);
  validateValue(input, RESOURCE_INSTANCES, '');
  noSysTags(input);
  for (const f of ['tags', 'tags_any', 'not_tags', 'not_tags_any']) uniqueKeys(input[f], f);
  const list = (f: string) => (isAbsent(input[f]) ? undefined : input[f] as TagsReq[]);
  const [tags, tagsAny, notTags, notTagsAny] = [list('tags'), list('tags_any'), list('not_tags'), list('not_tags_any')];
  const match = (input.matches as Array<{ key: string; value: string }> | undefined)?.[0];
  const matching = ctx.store.data.vaults.filter((v) => {
    if (v.project_id !== ctx.params.project_id) return false;
    if (!isAbsent(input.cloud_type) && v.billing.cloud_type !== input.cloud_type) return false;
    if (!isAbsent(input.object_type) && v.billing.object_type !== input.object_type) return false;
    if (match && !(match.value === '' ? v.name === '' : v.name.includes(match.value))) return false;
    if (input.without_any_tag === true) return v.tags.length === 0;
    if (tags && !tags.every((t) => matchesOne(v.tags, t))) return false;
    if (tagsAny && !tagsAny.some((t) => matchesOne(v.tags, t))) return false;
    if (notTags && notTags.every((t) => matchesOne(v.tags, t))) return false;
    if (notTagsAny && notTagsAny.some((t) => matchesOne(v.tags, t))) return false;
    return true;
  });
  if (input.action === 'count') return { status: 200, body: { total_count: matching.length } };
  const limit = isAbsent(input.limit) ? 1000 : Number(input.limit);
  const offset = isAbsent(input.offset) ? 0 : Number(input.offset);
  return {
    status: 200,
    body: {
      resources: matching.slice(offset, offset + limit).map((v) => ({
        resource_id: v.id,
        resource_detail: { vault: vaultView(v) },
        tags: v.tags.map((t) => ({ key: t.key, value: t.value })),
        resource_name: v.name,
      })),
      total_count: matching.length,
    },
  };
}

export const tagRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/vault/resource_instances/action', auth: 'cbr', hasBody: true, handle: resourceInstances },
  { method: 'GET', pattern: '/v3/{project_id}/vault/tags', auth: 'cbr', hasBody: false, handle: projectTags },
  { method: 'POST', pattern: '/v3/{project_id}/vault/{vault_id}/tags/action', auth: 'cbr', hasBody: true, handle: batchTags },
  { method: 'POST', pattern: '/v3/{project_id}/vault/{vault_id}/tags', auth: 'cbr', hasBody: true, handle: addTag },
  { method: 'GET', pattern: '/v3/{project_id}/vault/{vault_id}/tags', auth: 'cbr', hasBody: false, handle: listTags },
  { method: 'DELETE', pattern: '/v3/{project_id}/vault/{vault_id}/tags/{key}', auth: 'cbr', hasBody: false, handle: deleteTag },
];
