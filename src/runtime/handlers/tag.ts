import { HookContext } from './context';
import { otherEntry, ownDeclaration, sameRef } from './declared';
import { FieldChange } from './diff';
import { findVaultByRef, requireVault } from './refs';
import type { CbrClient } from '../cbr/client';
import type { Tag } from '../cbr/types';
import { isNotFound } from '../errors';
import { describeVaultRef, TagSpec } from '../specs';

export async function readTag(client: CbrClient, spec: TagSpec): Promise<Tag | undefined> {
  const vault = await findVaultByRef(client, spec.vault);
  return vault?.tags?.find((t) => t.key === spec.key);
}

export function diffTag(spec: TagSpec, live: Tag): FieldChange[] {
  return (live.value ?? '') === spec.value ? [] : [{ field: 'value', desired: spec.value, live: live.value ?? '', updatable: true }];
}

/** Sets one tag; 4.7.3 overwrites an existing key, so a changed value is one call. */
export async function applyTag(client: CbrClient, spec: TagSpec, ctx: HookContext): Promise<void> {
  const vault = await requireVault(client, spec.vault);
  const live = vault.tags?.find((t) => t.key === spec.key);
  if (live && (live.value ?? '') === spec.value) {
    ctx.report(`tag ${ctx.key}: unchanged (${spec.key}=${spec.value} on vault ${vault.name})`);
    return;
  }
  await client.createVaultTag(vault.id, { key: spec.key, value: spec.value });
  const what = live ? `changed ${spec.key} ${JSON.stringify(live.value ?? '')} -> ${JSON.stringify(spec.value)}` : `added ${spec.key}=${spec.value}`;
  ctx.report(`tag ${ctx.key}: ${what} on vault ${vault.name} (${vault.id})`);
}

export async function deleteTag(client: CbrClient, spec: TagSpec, ctx: HookContext): Promise<void> {
  if (spec.retain_on_destroy && ctx.stillDeclared()) {
    ctx.report(`tag ${ctx.key}: retained ${spec.key} on ${describeVaultRef(spec.vault)} (the vault is retained)`);
    return;
  }
  // Moved to another entry (Vault.tags to a VaultTag, or a moved construct): that entry sets it, maybe already.
  const to = ownDeclaration(ctx, 'tag', spec) === undefined &&
    otherEntry<TagSpec>(ctx, 'tag', (d) => sameRef(d.vault, spec.vault) && d.key === spec.key);
  if (to) {
    ctx.report(`tag ${ctx.key}: left ${spec.key} on ${describeVaultRef(spec.vault)} for ${to}`);
    return;
  }
  const vault = await findVaultByRef(client, spec.vault);
  if (!vault || !vault.tags?.some((t) => t.key === spec.key)) {
    ctx.report(`tag ${ctx.key}: already gone (${spec.key})`);
    return;
  }
  try {
    await client.deleteVaultTag(vault.id, spec.key);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  ctx.report(`tag ${ctx.key}: removed ${spec.key} from vault ${vault.name} (${vault.id})`);
}
