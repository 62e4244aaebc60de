import { HookContext } from './context';
import { FieldChange, sameValue } from './diff';
import { findVaultByRef, requireVault } from './refs';
import type { CbrClient } from '../cbr/client';
import type { ResourceResp, Vault } from '../cbr/types';
import { ApiError } from '../errors';
import { AssociationSpec, describeVaultRef } from '../specs';

function excluded(resource: ResourceResp): string[] {
  return [...(resource.extra_info?.exclude_volumes ?? [])].sort();
}

function resourceIn(vault: Vault | undefined, id: string): ResourceResp | undefined {
  return vault?.resources?.find((r) => r.id === id);
}

export async function readAssociation(client: CbrClient, spec: AssociationSpec): Promise<ResourceResp | undefined> {
  return resourceIn(await findVaultByRef(client, spec.vault), spec.resource_id);
}

export function diffAssociation(spec: AssociationSpec, live: ResourceResp): FieldChange[] {
  const changes: FieldChange[] = [];
  if (live.type !== spec.resource_type) changes.push({ field: 'resource_type', desired: spec.resource_type, live: live.type, updatable: false });
  const desired = [...spec.exclude_volumes].sort();
  if (!sameValue(desired, excluded(live))) changes.push({ field: 'exclude_volumes', desired, live: excluded(live), updatable: true });
  return changes;
}

/**
 * Associates one resource. Changing `exclude_volumes` re-adds the resource with the new list (4.5.7
 * covers "a server was previously added"); it is never removed first, which would delete its backups.
 */
export async function applyAssociation(client: CbrClient, spec: AssociationSpec, ctx: HookContext): Promise<void> {
  const vault = await requireVault(client, spec.vault);
  const live = resourceIn(vault, spec.resource_id);
  const changes = live ? diffAssociation(spec, live) : [];
  if (live && changes.length === 0) {
    ctx.report(`association ${ctx.key}: unchanged (${spec.resource_id} in vault ${vault.name})`);
    return;
  }
  try {
    await client.addResources(vault.id, [{
      id: spec.resource_id,
      type: spec.resource_type,
      ...(spec.exclude_volumes.length > 0 ? { extra_info: { exclude_volumes: spec.exclude_volumes } } : {}),
    }]);
  } catch (err) {
    if (err instanceof ApiError && err.errorCode === 'BackupService.6103') {
      err.message += `. ${spec.resource_id} is protected by another vault: remove it there first (its ResourceAssociation, or in the console).`;
    }
    throw err;
  }
  const what = live ? `updated exclude_volumes of ${spec.resource_id}` : `added ${spec.resource_type} ${spec.resource_id}`;
  ctx.report(`association ${ctx.key}: ${what} in vault ${vault.name} (${vault.id})`);
}

export async function deleteAssociation(client: CbrClient, spec: AssociationSpec, ctx: HookContext): Promise<void> {
  if (spec.retain_on_destroy && ctx.stillDeclared()) {
    ctx.report(`association ${ctx.key}: retained ${spec.resource_id} in ${describeVaultRef(spec.vault)} (the vault is retained; dissociating would delete the resource's backups)`);
    return;
  }
  const vault = await findVaultByRef(client, spec.vault);
  if (!vault || !resourceIn(vault, spec.resource_id)) {
    ctx.report(`association ${ctx.key}: already gone (${spec.resource_id})`);
    return;
  }
  try {
    await client.removeResources(vault.id, [spec.resource_id]);
  } catch (err) {
    // A retried removal whose first answer was lost finds the resource already gone.
    if (!(err instanceof ApiError && err.errorCode === 'BackupService.6135')) throw err;
  }
  ctx.report(`association ${ctx.key}: removed ${spec.resource_id} from vault ${vault.name} (${vault.id})`);
}
