import { HookContext, HookError } from './context';
import { deleteVerdict, otherEntry, sameObject } from './declared';
import { FieldChange } from './diff';
import { handedOver } from './handoff';
import { findPolicyByRef, findVaultByRef, requirePolicy, requireVault } from './refs';
import type { Policy, Vault } from '../../api/cbr/responses';
import { AttachmentSpec, describeVaultRef } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { isNotFound } from '../errors';

/** The live side of an attachment: the vault, the policy, and the policy's record of the vault. */
export interface LiveAttachment {
  readonly vault: Vault;
  readonly policy: Policy;
  readonly destination_vault_id?: string;
}

function attachmentOf(policy: Policy, vaultId: string) {
  return (policy.associated_vaults ?? []).find((a) => a.vault_id === vaultId);
}

export async function readAttachment(client: CbrClient, spec: AttachmentSpec): Promise<LiveAttachment | undefined> {
  const vault = await findVaultByRef(client, spec.vault, spec.deployment);
  const policy = await findPolicyByRef(client, spec.policy);
  const link = vault && policy ? attachmentOf(policy, vault.id) : undefined;
  return link ? { vault: vault!, policy: policy!, destination_vault_id: link.destination_vault_id } : undefined;
}

export function diffAttachment(spec: AttachmentSpec, live: LiveAttachment): FieldChange[] {
  const live_ = live.destination_vault_id ?? '';
  // A destination vault of the stack has its id in another region, which drift does not read: applied with one is in sync.
  if (spec.destination_vault) return live_ !== '' ? [] : [{ field: 'destination_vault_id', desired: describeVaultRef(spec.destination_vault), live: live_, updatable: true }];
  return live_ === spec.destination_vault_id ? [] : [{ field: 'destination_vault_id', desired: spec.destination_vault_id, live: live_, updatable: true }];
}

/**
 * The id of the vault the replicas go to: the spec's, or that of its destination vault, found in
 * the region and project the policy replicates to (its operation_definition, 4.8.1).
 */
async function destinationId(spec: AttachmentSpec, policy: Policy, ctx: HookContext): Promise<string> {
  const ref = spec.destination_vault;
  if (!ref) return spec.destination_vault_id;
  const od = policy.operation_definition ?? {};
  if (!od.destination_region || !od.destination_project_id) {
    throw new HookError(`policy "${policy.name}" (${policy.id}) names no destination region and project, so ${describeVaultRef(ref)} cannot be found; ` +
      'apply a replication policy of this stack, or one whose destination is that vault\'s region');
  }
  if (!ctx.clientAt) throw new HookError('this hook cannot reach another region (no client for it)');
  const at = { region: od.destination_region, projectId: od.destination_project_id };
  const destination = await findVaultByRef(ctx.clientAt(at), ref, spec.deployment);
  if (!destination) {
    throw new HookError(`the destination ${describeVaultRef(ref)} does not exist in region ${at.region} (project ${at.projectId}); ` +
      'it is created by this apply: if its creation failed above, fix that and apply again');
  }
  return destination.id;
}

/**
 * Ensures the policy is applied to the vault. A vault takes one policy per operation type, and the
 * construct declares "this vault's backup (or replication) policy is P": any other policy of that
 * type on the vault is removed first. When this entry replaced one that applied another policy or
 * named another vault, that pair is removed once this one is applied, unless another entry of the
 * stack declares it.
 */
export async function applyAttachment(client: CbrClient, spec: AttachmentSpec, ctx: HookContext): Promise<void> {
  const previous = handedOver(ctx, 'attachment');
  const vault = await requireVault(client, spec.vault, spec.deployment);
  const policy = await requirePolicy(client, spec.policy);
  if (policy.operation_type !== spec.operation_type) {
    throw new HookError(`policy "${policy.name}" (${policy.id}) is a ${policy.operation_type} policy, but the attachment declares ${spec.operation_type}; ` +
      'fix the policyType given to Policy.fromPolicyId()/fromPolicyName().');
  }
  const current = attachmentOf(policy, vault.id);
  const destination = await destinationId(spec, policy, ctx);
  if (current && (current.destination_vault_id ?? '') === destination) {
    ctx.unchanged(`attachment ${ctx.key}: unchanged (policy ${policy.name} on vault ${vault.name})`);
  } else {
    const actions: string[] = [];
    const others = (await client.listPolicies({ vault_id: vault.id, operation_type: spec.operation_type }))
      .filter((p) => p.id !== policy.id && attachmentOf(p, vault.id));
    for (const other of current ? [policy, ...others] : others) {
      await dissociate(client, vault.id, other.id);
      actions.push(`removed policy ${other.name}`);
    }
    await client.associatePolicy(vault.id, {
      policy_id: policy.id,
      ...(destination ? { destination_vault_id: destination } : {}),
    });
    const region = policy.operation_definition?.destination_region;
    actions.push(`applied policy ${policy.name}${destination ? ` (destination vault ${destination}${region ? ` in ${region}` : ''})` : ''}`);
    ctx.report(`attachment ${ctx.key}: ${actions.join(', ')} on vault ${vault.name} (${vault.id})`);
  }
  if (previous && !sameObject('attachment', previous, spec) && !otherEntry(ctx, 'attachment', (d) => sameObject('attachment', previous, d))) {
    await removeAttachment(client, previous, ctx, false);
  }
}

/**
 * Removes the policy from the vault if, and only if, it is still applied there and no other
 * attachment of this stack applies it (the construct moved), and the entry is not replaced by one
 * the hook entry takes over (it removes what the new spec no longer names).
 */
export async function deleteAttachment(client: CbrClient, spec: AttachmentSpec, ctx: HookContext): Promise<void> {
  const verdict = deleteVerdict(ctx, 'attachment', spec, false);
  switch (verdict.keep) {
    case 'moved': return ctx.report(`attachment ${ctx.key}: left the policy on ${describeVaultRef(spec.vault)} for ${verdict.to}`);
    case 'replaced': return ctx.report(`attachment ${ctx.key}: kept the policy on ${describeVaultRef(spec.vault)} (declared with another spec now: the hook entry takes it over)`);
    case 'requested': return ctx.report(`attachment ${ctx.key}: kept the policy on ${describeVaultRef(spec.vault)} (replaced on request: the hook entry applies it again)`);
    case 'expressions':
      return ctx.report(`attachment ${ctx.key}: kept the policy on ${describeVaultRef(spec.vault)} (its values come from Terraform expressions, so a replacement ` +
        'cannot be told from a destroy here; the hook entry removes what the new spec no longer names)');
    default: return removeAttachment(client, spec, ctx, true);
  }
}

async function removeAttachment(client: CbrClient, spec: AttachmentSpec, ctx: HookContext, reportGone: boolean): Promise<void> {
  const vault = await findVaultByRef(client, spec.vault, spec.deployment);
  const policy = vault ? await findPolicyByRef(client, spec.policy) : undefined;
  if (!vault || !policy || !attachmentOf(policy, vault.id)) {
    if (reportGone) ctx.report(`attachment ${ctx.key}: already gone (${describeVaultRef(spec.vault)})`);
    return;
  }
  await dissociate(client, vault.id, policy.id);
  ctx.report(`attachment ${ctx.key}: removed policy ${policy.name} from vault ${vault.name} (${vault.id})`);
}

async function dissociate(client: CbrClient, vaultId: string, policyId: string): Promise<void> {
  try {
    await client.dissociatePolicy(vaultId, policyId);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
