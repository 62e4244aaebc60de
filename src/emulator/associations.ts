import { apiTimestamp, pathVault, RequestContext, Route } from './context';
import type { Association, PolicyRecord, VaultRecord } from './store';
import { ASSOCIATE_POLICY, DISSOCIATE_POLICY } from '../api/cbr/associations';
import { ApiError, CBR_ERRORS, invalidParameter } from '../api/errors';
import { isAbsent, validateRequest } from '../api/table';

/**
 * Applying policies to vaults (4.5.8) and removing them (4.5.9).
 *
 * Rules, and where they come from:
 * - One policy of each operation type per vault. 4.5.1 takes a single backup_policy_id; a second
 *   backup (or replication) policy is refused with BackupService.6001 "The maximum number of this
 *   type of policies has been reached." rather than silently replacing the first: nothing in the
 *   document says a policy replaces another, and 6001 is the only 7.2 code about a count of
 *   policies of one type. Applying the policy that is already applied succeeds again (a retry
 *   must not fail) and sets the destination vault given.
 * - Types must fit (6127 "This policy cannot be applied to this vault."): a backup policy needs a
 *   backup vault; a replication policy replicates a backup vault's backups, so it too is applied
 *   to a backup vault, and its destination vault is a replication vault. Backup policies and
 *   hybrid vaults: 6136.
 * - destination_vault_id "is used and mandatory only when a replication policy is set" (4-228):
 *   9900 when it is missing for a replication policy or given without one. When the policy's
 *   destination_region and destination_project_id name a region and project this emulator serves
 *   (its main region or an extra one), the destination vault must exist there (6120) and be a
 *   replication vault of the same object type (6119); a vault in a region not served cannot be
 *   seen and is taken on trust. The document does not require the destination region to differ
 *   from the vault's, so a destination in the same region is accepted.
 * - Removing a policy that is not applied: 404 BackupService.6002 "The vault is not applied with
 *   the policy."
 */


/** VaultPolicyResp (4-230, 4-235), in the order of the document's examples. */
function policyResp(a: Association): Record<string, unknown> {
  return { vault_id: a.vault_id, policy_id: a.policy_id, ...(a.destination_vault_id ? { destination_vault_id: a.destination_vault_id } : {}) };
}

function checkDestination(ctx: RequestContext, vault: VaultRecord, policy: PolicyRecord, destinationId: string): void {
  if (destinationId === vault.id) throw invalidParameter(`destination_vault_id ${JSON.stringify(destinationId)} is the vault itself.`);
  const od = policy.operation_definition;
  const projectId = od.destination_project_id as string;
  const region = ctx.regions.find((r) => r.name === od.destination_region);
  if (!region?.serves(projectId)) return;
  const destination = region.store.vault(projectId, destinationId);
  if (!destination) {
    throw new ApiError(CBR_ERRORS.DESTINATION_VAULT_NOT_FOUND, `destination_vault_id ${JSON.stringify(destinationId)} names no vault in region ${region.name}.`);
  }
  if (destination.billing.protect_type !== 'replication') {
    throw new ApiError(CBR_ERRORS.DESTINATION_NOT_REPLICATION, `destination vault ${destinationId} is a ${destination.billing.protect_type} vault, not a replication vault.`);
  }
  if (destination.billing.object_type !== vault.billing.object_type) {
    throw new ApiError(CBR_ERRORS.DESTINATION_NOT_REPLICATION,
      `destination vault ${destinationId} holds ${destination.billing.object_type} replicas; vault ${vault.id} is a ${vault.billing.object_type} vault.`);
  }
}

function checkFits(vault: VaultRecord, policy: PolicyRecord): void {
  if (vault.billing.protect_type !== 'backup') {
    throw new ApiError(CBR_ERRORS.POLICY_NOT_APPLICABLE,
      `${policy.operation_type} policy ${policy.id} cannot be applied to vault ${vault.id}, a ${vault.billing.protect_type} vault; it needs a backup vault.`);
  }
  if (policy.operation_type === 'backup' && vault.billing.cloud_type === 'hybrid') {
    throw new ApiError(CBR_ERRORS.HYBRID_POLICY, `vault ${vault.id} is a hybrid cloud vault.`);
  }
}

function associatePolicy(ctx: RequestContext) {
  const vault = pathVault(ctx);
  const input = validateRequest(ctx.body, ASSOCIATE_POLICY);
  const single = input.policy_id as string | undefined | null;
  const many = input.add_policy_ids as string[] | undefined | null;
  if (isAbsent(single) === isAbsent(many)) throw invalidParameter('Specify either policy_id or add_policy_ids in a request.');
  const ids = isAbsent(many) ? [single!] : many;
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw invalidParameter(`add_policy_ids[${i}] ${JSON.stringify(id)} is given more than once.`);
    seen.add(id);
  });
  const where = (i: number) => (isAbsent(many) ? 'policy_id' : `add_policy_ids[${i}]`);
  const policies = ids.map((id, i) => {
    const policy = ctx.store.policy(ctx.params.project_id, id);
    if (!policy) throw new ApiError(CBR_ERRORS.POLICY_NOT_FOUND, `${where(i)} ${JSON.stringify(id)} names no policy.`);
    return policy;
  });
  const destination = input.destination_vault_id as string | undefined | null;
  const replication = policies.filter((p) => p.operation_type === 'replication');
  if (replication.length > 0 && isAbsent(destination)) {
    throw invalidParameter(`destination_vault_id is mandatory when a replication policy is applied (policy ${replication[0].id}).`);
  }
  if (replication.length === 0 && !isAbsent(destination)) throw invalidParameter('destination_vault_id is used only when a replication policy is set.');

  const existing = ctx.store.associationsOfVault(vault.id);
  const types = new Map<string, string>();
  policies.forEach((policy, i) => {
    checkFits(vault, policy);
    if (policy.operation_type === 'replication') checkDestination(ctx, vault, policy, destination!);
    const other = types.get(policy.operation_type);
    if (other) {
      throw new ApiError(CBR_ERRORS.MAX_POLICIES_OF_TYPE, `${where(i)} is a second ${policy.operation_type} policy in the request (with ${other}); a vault takes one.`);
    }
    types.set(policy.operation_type, policy.id);
    const applied = existing.find((a) =>
      a.policy_id !== policy.id && ctx.store.policy(vault.project_id, a.policy_id)?.operation_type === policy.operation_type);
    if (applied) {
      throw new ApiError(CBR_ERRORS.MAX_POLICIES_OF_TYPE,
        `Vault ${vault.id} already has ${policy.operation_type} policy ${applied.policy_id}; remove it (dissociatepolicy) before applying ${policy.id}.`);
    }
  });

  const results = policies.map((policy) => {
    const dest = policy.operation_type === 'replication' ? destination! : undefined;
    let link = existing.find((a) => a.policy_id === policy.id);
    if (link) {
      if (dest) link.destination_vault_id = dest;
    } else {
      link = { vault_id: vault.id, policy_id: policy.id, ...(dest ? { destination_vault_id: dest } : {}) };
      ctx.store.data.associations.push(link);
    }
    return link;
  });
  vault.updated_at = apiTimestamp(ctx.now);
  // The response has room for one VaultPolicyResp: with add_policy_ids it describes the first.
  return { status: 200, body: { associate_policy: policyResp(results[0]) } };
}

function dissociatePolicy(ctx: RequestContext) {
  const vault = pathVault(ctx);
  const input = validateRequest(ctx.body, DISSOCIATE_POLICY);
  const policyId = input.policy_id as string;
  if (!ctx.store.policy(ctx.params.project_id, policyId)) throw new ApiError(CBR_ERRORS.POLICY_NOT_FOUND, `policy_id ${JSON.stringify(policyId)} names no policy.`);
  const link = ctx.store.associationsOfVault(vault.id).find((a) => a.policy_id === policyId);
  if (!link) throw new ApiError(CBR_ERRORS.POLICY_NOT_APPLIED, `Policy ${policyId} is not applied to vault ${vault.id}.`);
  ctx.store.data.associations = ctx.store.data.associations.filter((a) => a !== link);
  vault.updated_at = apiTimestamp(ctx.now);
  return { status: 200, body: { dissociate_policy: policyResp(link) } };
}

export const associationRoutes: Route[] = [
  { method: 'POST', pattern: '/v3/{project_id}/vaults/{vault_id}/associatepolicy', auth: 'cbr', hasBody: true, handle: associatePolicy },
  { method: 'POST', pattern: '/v3/{project_id}/vaults/{vault_id}/dissociatepolicy', auth: 'cbr', hasBody: true, handle: dissociatePolicy },
];
