import { HookContext } from './context';
import { deleteVerdict, isExpression, otherEntry } from './declared';
import { FieldChange, sameValue } from './diff';
import { handedOver } from './handoff';
import { ownedByDeployment } from './ownership';
import { findVaultByRef, matchesRef, requireVault } from './refs';
import type { ResourceResp, Vault } from '../../api/cbr/responses';
import { AssociationSpec, describeVaultRef, HookKind, VaultRef } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { ApiError } from '../errors';

function excluded(resource: ResourceResp): string[] {
  return [...(resource.extra_info?.exclude_volumes ?? [])].sort();
}

function resourceIn(vault: Vault | undefined, id: string): ResourceResp | undefined {
  return vault?.resources?.find((r) => r.id === id);
}

export async function readAssociation(client: CbrClient, spec: AssociationSpec): Promise<ResourceResp | undefined> {
  return resourceIn(await findVaultByRef(client, spec.vault, spec.deployment), spec.resource_id);
}

export function diffAssociation(spec: AssociationSpec, live: ResourceResp): FieldChange[] {
  const changes: FieldChange[] = [];
  if (live.type !== spec.resource_type) changes.push({ field: 'resource_type', desired: spec.resource_type, live: live.type, updatable: false });
  const desired = [...spec.exclude_volumes].sort();
  if (!sameValue(desired, excluded(live))) changes.push({ field: 'exclude_volumes', desired, live: excluded(live), updatable: true });
  return changes;
}

/**
 * Whether `vault` is one this deployment owns or this stack points at, so a resource in it may be
 * moved from it: a vault tagged for this deployment, a vault the previous version of this entry
 * named, or a vault another relation of this stack names.
 */
function isThisStacks(ctx: HookContext, vault: Vault, spec: AssociationSpec, previous: AssociationSpec | undefined): boolean {
  if (ownedByDeployment(vault, spec.deployment)) return true;
  if (previous && matchesRef(vault, previous.vault, previous.deployment)) return true;
  const refs: Array<VaultRef | undefined> = [];
  for (const kind of ['association', 'attachment', 'tag'] as HookKind[]) {
    for (const d of Object.values(ctx.declared(kind) ?? {})) refs.push((d as { vault?: VaultRef }).vault);
  }
  return refs.some((r) => r && typeof r.value === 'string' && !isExpression(r.value) && matchesRef(vault, r, spec.deployment));
}

function resourceBody(spec: AssociationSpec) {
  return {
    id: spec.resource_id,
    type: spec.resource_type,
    ...(spec.exclude_volumes.length > 0 ? { extra_info: { exclude_volumes: spec.exclude_volumes } } : {}),
  };
}

/**
 * Moves the resource into `vault` with its backups (4.5.11) when another vault of this stack holds
 * it; otherwise the API's refusal (6103) is raised with the fix.
 */
async function moveIn(
  client: CbrClient, spec: AssociationSpec, vault: Vault, ctx: HookContext, previous: AssociationSpec | undefined, refusal: ApiError,
): Promise<void> {
  const holder = (await client.findVaultsByResource(spec.resource_id)).find((v) => v.id !== vault.id && resourceIn(v, spec.resource_id));
  if (!holder || !isThisStacks(ctx, holder, spec, previous)) {
    const where = holder ? `vault ${holder.name} (${holder.id}), which this stack does not manage` : 'another vault';
    refusal.message += `. ${spec.resource_id} is protected by ${where}: remove it there first (its ResourceAssociation, or in the console).`;
    throw refusal;
  }
  await client.migrateResources(holder.id, vault.id, [spec.resource_id]);
  ctx.report(`association ${ctx.key}: moved ${spec.resource_id} from vault ${holder.name} to vault ${vault.name} with its backups`);
  const moved = resourceIn(await client.showVault(vault.id), spec.resource_id);
  if (moved && diffAssociation(spec, moved).length > 0) await client.addResources(vault.id, [resourceBody(spec)]);
}

/**
 * Associates one resource. Changing `exclude_volumes` re-adds the resource with the new list (4.5.7
 * covers "a server was previously added"); it is never removed first, which would delete its backups.
 * A resource that another vault of this stack holds is moved with its backups (4.5.11), whichever
 * of the two entries' hooks Terraform runs first (DESIGN.md fact 10). When this entry replaces one
 * that named another resource (its id comes from a resource that was replaced), the old resource is
 * removed once the new one is in.
 */
export async function applyAssociation(client: CbrClient, spec: AssociationSpec, ctx: HookContext): Promise<void> {
  const previous = handedOver(ctx, 'association');
  const vault = await requireVault(client, spec.vault, spec.deployment);
  const live = resourceIn(vault, spec.resource_id);
  const changes = live ? diffAssociation(spec, live) : [];
  if (live && changes.length === 0) {
    ctx.unchanged(`association ${ctx.key}: unchanged (${spec.resource_id} in vault ${vault.name})`);
  } else {
    try {
      await client.addResources(vault.id, [resourceBody(spec)]);
      const what = live ? `updated exclude_volumes of ${spec.resource_id}` : `added ${spec.resource_type} ${spec.resource_id}`;
      ctx.report(`association ${ctx.key}: ${what} in vault ${vault.name} (${vault.id})`);
    } catch (err) {
      if (!(err instanceof ApiError && err.errorCode === 'BackupService.6103')) throw err;
      await moveIn(client, spec, vault, ctx, previous, err);
    }
  }
  if (previous && previous.resource_id !== spec.resource_id) await dropReplaced(client, previous, ctx);
}

/** Removes the resource a replaced entry named, unless another entry of this stack declares it. */
async function dropReplaced(client: CbrClient, old: AssociationSpec, ctx: HookContext): Promise<void> {
  if (otherEntry<AssociationSpec>(ctx, 'association', (d) => d.resource_id === old.resource_id)) return;
  await dissociate(client, old, ctx, `removed ${old.resource_id}, which this entry named before,`, false);
}

async function dissociate(client: CbrClient, spec: AssociationSpec, ctx: HookContext, done: string, reportGone = true): Promise<void> {
  const vault = await findVaultByRef(client, spec.vault, spec.deployment);
  if (!vault || !resourceIn(vault, spec.resource_id)) {
    if (reportGone) ctx.report(`association ${ctx.key}: already gone (${spec.resource_id})`);
    return;
  }
  try {
    await client.removeResources(vault.id, [spec.resource_id]);
  } catch (err) {
    // A retried removal whose first answer was lost finds the resource already gone.
    if (!(err instanceof ApiError && err.errorCode === 'BackupService.6135')) throw err;
  }
  ctx.report(`association ${ctx.key}: ${done} from vault ${vault.name} (${vault.id})`);
}

/**
 * Dissociates one resource, except:
 * - its construct is gone but another entry of this stack declares the resource: it is moving
 *   there, and that entry's apply hook moves it with its backups;
 * - the entry is still declared with a changed spec: this is the first half of a replacement
 *   (DESIGN.md fact 2), and the new entry's apply hook updates, moves or replaces the resource;
 * - the entry is still declared and takes values from Terraform expressions: a changed value (a
 *   replaced server, a new variable value) looks the same as `terraform destroy` from here, and
 *   dissociating would delete backups the replacing entry keeps; the replacing entry drops an old id;
 * - the entry is still declared, unchanged, and kept on destroy: `terraform destroy` of a stack
 *   whose vault is retained.
 */
export async function deleteAssociation(client: CbrClient, spec: AssociationSpec, ctx: HookContext): Promise<void> {
  const verdict = deleteVerdict(ctx, 'association', spec, spec.retain_on_destroy);
  const id = spec.resource_id;
  switch (verdict.keep) {
    case 'moved': return ctx.report(`association ${ctx.key}: left ${id} for ${verdict.to}, which moves it with its backups`);
    case 'replaced': return ctx.report(`association ${ctx.key}: kept ${id} (declared with another spec now: the hook entry takes it over)`);
    case 'requested': return ctx.report(`association ${ctx.key}: kept ${id} (replaced on request: the hook entry applies it again; dissociating would delete its backups)`);
    case 'retained':
      return ctx.report(`association ${ctx.key}: retained ${id} in ${describeVaultRef(spec.vault)} (the vault is retained; dissociating would delete the resource's backups)`);
    case 'expressions':
      return ctx.report(`association ${ctx.key}: kept ${id} in ${describeVaultRef(spec.vault)} ` +
        '(its values come from Terraform expressions, so a replacement cannot be told from a destroy here; the hook entry drops an old id)');
    default: return dissociate(client, spec, ctx, `removed ${id}`);
  }
}
