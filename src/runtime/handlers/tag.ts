import { HookContext } from './context';
import { deleteVerdict, otherEntry, sameObject } from './declared';
import { FieldChange } from './diff';
import { handedOver } from './handoff';
import { findVaultByRef, requireVault } from './refs';
import type { VaultTag as Tag } from '../../api/cbr/responses';
import { describeVaultRef, TagSpec } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { isNotFound } from '../errors';

export async function readTag(client: CbrClient, spec: TagSpec): Promise<Tag | undefined> {
  const vault = await findVaultByRef(client, spec.vault, spec.deployment);
  return vault?.tags?.find((t) => t.key === spec.key);
}

export function diffTag(spec: TagSpec, live: Tag): FieldChange[] {
  return (live.value ?? '') === spec.value ? [] : [{ field: 'value', desired: spec.value, live: live.value ?? '', updatable: true }];
}

/**
 * Sets one tag; 4.7.3 overwrites an existing key, so a changed value is one call. When this entry
 * replaces one that set another key (a VaultTag whose key changed) or another vault's tag, that tag
 * is removed once this one is set, unless another entry of the stack declares it.
 */
export async function applyTag(client: CbrClient, spec: TagSpec, ctx: HookContext): Promise<void> {
  const previous = handedOver(ctx, 'tag');
  const vault = await requireVault(client, spec.vault, spec.deployment);
  const live = vault.tags?.find((t) => t.key === spec.key);
  if (live && (live.value ?? '') === spec.value) {
    ctx.unchanged(`tag ${ctx.key}: unchanged (${spec.key}=${spec.value} on vault ${vault.name})`);
  } else {
    await client.createVaultTag(vault.id, { key: spec.key, value: spec.value });
    const what = live ? `changed ${spec.key} ${JSON.stringify(live.value ?? '')} -> ${JSON.stringify(spec.value)}` : `added ${spec.key}=${spec.value}`;
    ctx.report(`tag ${ctx.key}: ${what} on vault ${vault.name} (${vault.id})`);
  }
  if (previous && !sameObject('tag', previous, spec) && !otherEntry(ctx, 'tag', (d) => sameObject('tag', previous, d))) {
    await removeTag(client, previous, ctx, `removed ${previous.key}, which this entry set before,`, false);
  }
}

/**
 * Removes the tag, except when it is kept on destroy, moves to another entry, or this is the first
 * half of a replacement (the replacing entry's apply hook sets it and removes what it no longer declares).
 */
export async function deleteTag(client: CbrClient, spec: TagSpec, ctx: HookContext): Promise<void> {
  const verdict = deleteVerdict(ctx, 'tag', spec, spec.retain_on_destroy);
  switch (verdict.keep) {
    case 'moved': return ctx.report(`tag ${ctx.key}: left ${spec.key} on ${describeVaultRef(spec.vault)} for ${verdict.to}`);
    case 'replaced': return ctx.report(`tag ${ctx.key}: kept ${spec.key} (declared with another spec now: the hook entry takes it over)`);
    case 'requested': return ctx.report(`tag ${ctx.key}: kept ${spec.key} (replaced on request: the hook entry applies it again)`);
    case 'retained': return ctx.report(`tag ${ctx.key}: retained ${spec.key} on ${describeVaultRef(spec.vault)} (the vault is retained)`);
    case 'expressions':
      return ctx.report(`tag ${ctx.key}: kept ${spec.key} on ${describeVaultRef(spec.vault)} (its values come from Terraform expressions, ` +
        'so a replacement cannot be told from a destroy here; the hook entry removes what the new spec no longer names)');
    default: return removeTag(client, spec, ctx, `removed ${spec.key}`, true);
  }
}

async function removeTag(client: CbrClient, spec: TagSpec, ctx: HookContext, done: string, reportGone: boolean): Promise<void> {
  const vault = await findVaultByRef(client, spec.vault, spec.deployment);
  if (!vault || !vault.tags?.some((t) => t.key === spec.key)) {
    if (reportGone) ctx.report(`tag ${ctx.key}: already gone (${spec.key})`);
    return;
  }
  try {
    await client.deleteVaultTag(vault.id, spec.key);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  ctx.report(`tag ${ctx.key}: ${done} from vault ${vault.name} (${vault.id})`);
}
