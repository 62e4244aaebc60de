import { HookContext, HookError } from './context';
import { describeChanges, diffFields, FieldChange, FieldRule } from './diff';
import { createOnce } from './ensure';
import { findOwnedVault, findVaultByRef } from './refs';
import type { CbrClient } from '../cbr/client';
import type { Vault } from '../cbr/types';
import { isNotFound } from '../errors';
import { OWNER_TAG_KEY, VaultRef, VaultSpec } from '../specs';

function tagMap(tags: ReadonlyArray<{ key: string; value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.key] = t.value ?? '';
  return out;
}

function bindRuleTags(rules: Record<string, string>): Array<{ key: string; value: string }> {
  return Object.entries(rules).map(([key, value]) => ({ key, value }));
}

/**
 * Fields compared between spec and live vault. `updatable` follows 4.5.4 (VaultUpdate):
 * name, auto_bind, bind_rules, auto_expand, smn_notify, threshold, billing.consistent_level, billing.size.
 * backup_name_prefix is not compared: 4.5.2 does not return it, so it is set at creation only.
 */
const VAULT_FIELDS: ReadonlyArray<FieldRule<VaultSpec, Vault>> = [
  { field: 'name', desired: (s) => s.name, live: (v) => v.name, updatable: true },
  { field: 'size', desired: (s) => s.size, live: (v) => v.billing.size, updatable: true },
  { field: 'consistent_level', desired: (s) => s.consistent_level, live: (v) => v.billing.consistent_level, updatable: true },
  { field: 'auto_expand', desired: (s) => s.auto_expand, live: (v) => v.auto_expand ?? false, updatable: true },
  { field: 'auto_bind', desired: (s) => s.auto_bind, live: (v) => v.auto_bind ?? false, updatable: true },
  { field: 'bind_rules', desired: (s) => s.bind_rules, live: (v) => tagMap(v.bind_rules?.tags), updatable: true },
  { field: 'threshold', desired: (s) => s.threshold, live: (v) => v.threshold ?? 80, updatable: true },
  { field: 'smn_notify', desired: (s) => s.smn_notify, live: (v) => v.smn_notify ?? true, updatable: true },
  { field: 'description', desired: (s) => s.description, live: (v) => v.description ?? '', updatable: false },
  { field: 'object_type', desired: (s) => s.object_type, live: (v) => v.billing.object_type, updatable: false },
  { field: 'protect_type', desired: (s) => s.protect_type, live: (v) => v.billing.protect_type, updatable: false },
  { field: 'cloud_type', desired: (s) => s.cloud_type, live: (v) => v.billing.cloud_type ?? 'public', updatable: false },
  { field: 'charging_mode', desired: (s) => s.charging_mode, live: (v) => v.billing.charging_mode ?? 'post_paid', updatable: false },
  { field: 'is_multi_az', desired: (s) => s.is_multi_az, live: (v) => v.billing.is_multi_az ?? false, updatable: false },
  { field: 'enterprise_project_id', desired: (s) => s.enterprise_project_id, live: (v) => String(v.enterprise_project_id ?? '0'), updatable: false },
];

export function diffVault(spec: VaultSpec, live: Vault): FieldChange[] {
  return diffFields(VAULT_FIELDS, spec, live);
}

/** The vault's identity: the ownership tag, not the name, so a renamed vault is still found. */
export function ownerRef(spec: VaultSpec): VaultRef {
  return { by: 'owner', value: spec.owner, name: spec.name };
}

/** Finds the vault this spec owns, or else a vault that merely has its name. */
export async function findVault(client: CbrClient, spec: VaultSpec): Promise<{ ours?: Vault; foreign?: Vault }> {
  const { ours, named } = await findOwnedVault(client, ownerRef(spec));
  return ours ? { ours } : { foreign: named[0] };
}

function createBody(spec: VaultSpec) {
  // User tags are hook-table entries of their own (kind `tag`), added right after the vault.
  const tags = [{ key: OWNER_TAG_KEY, value: spec.owner }];
  return {
    vault: {
      name: spec.name,
      description: spec.description,
      billing: {
        cloud_type: spec.cloud_type,
        consistent_level: spec.consistent_level,
        object_type: spec.object_type,
        protect_type: spec.protect_type,
        size: spec.size,
        charging_mode: spec.charging_mode,
        is_multi_az: spec.is_multi_az,
      },
      resources: [],
      tags,
      enterprise_project_id: spec.enterprise_project_id,
      auto_bind: spec.auto_bind,
      ...(Object.keys(spec.bind_rules).length > 0 ? { bind_rules: { tags: bindRuleTags(spec.bind_rules) } } : {}),
      auto_expand: spec.auto_expand,
      threshold: spec.threshold,
      smn_notify: spec.smn_notify,
      ...(spec.backup_name_prefix ? { backup_name_prefix: spec.backup_name_prefix } : {}),
    },
  };
}

function updateBody(changes: readonly FieldChange[], spec: VaultSpec) {
  const vault: Record<string, unknown> = {};
  const billing: Record<string, unknown> = {};
  for (const c of changes) {
    switch (c.field) {
      case 'size': billing.size = spec.size; break;
      case 'consistent_level': billing.consistent_level = spec.consistent_level; break;
      case 'bind_rules': vault.bind_rules = { tags: bindRuleTags(spec.bind_rules) }; break;
      default: vault[c.field] = c.desired;
    }
  }
  if (Object.keys(billing).length > 0) vault.billing = billing;
  return { vault };
}

export async function applyVault(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<void> {
  const { ours, foreign } = await findVault(client, spec);
  if (!ours) {
    if (foreign) {
      throw new HookError(
        `a vault named "${spec.name}" already exists (${foreign.id}) and was not created by this construct ` +
        `(its "${OWNER_TAG_KEY}" tag is not "${spec.owner}"). Choose another vaultName, or import it with Vault.fromVaultId().`);
    }
    const created = await createOnce(() => client.createVault(createBody(spec)), () => findVaultByRef(client, ownerRef(spec)));
    ctx.report(`vault ${ctx.key}: created ${created.id} (${spec.name}, ${spec.size} GB)`);
    return;
  }
  const changes = diffVault(spec, ours);
  const frozen = changes.filter((c) => !c.updatable);
  if (frozen.length > 0) {
    throw new HookError(
      `vault ${ours.id} cannot change ${describeChanges(frozen)} in place: the CBR API (4.5.4) does not update ` +
      `${frozen.map((c) => c.field).join(', ')}. Revert the change, or give the construct a new id to create a new vault ` +
      '(the old one is then deleted or retained according to its removalPolicy).');
  }
  if (changes.length === 0) {
    ctx.report(`vault ${ctx.key}: unchanged (${ours.id})`);
    return;
  }
  await client.updateVault(ours.id, updateBody(changes, spec));
  ctx.report(`vault ${ctx.key}: updated ${describeChanges(changes)} (${ours.id})`);
}

export async function deleteVault(client: CbrClient, spec: VaultSpec, ctx: HookContext): Promise<void> {
  const { ours } = await findVault(client, spec);
  if (!ours) {
    ctx.report(`vault ${ctx.key}: already gone`);
    return;
  }
  if (spec.removal_policy !== 'destroy') {
    ctx.report(`vault ${ctx.key}: retained ${ours.id} (removalPolicy RETAIN keeps the vault and its backups)`);
    return;
  }
  try {
    await client.deleteVault(ours.id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  ctx.report(`vault ${ctx.key}: deleted ${ours.id}`);
}

export async function readVault(client: CbrClient, spec: VaultSpec): Promise<Vault | undefined> {
  return (await findVault(client, spec)).ours;
}
