import { CbrClient } from './client';
import type { ListPoliciesQuery, Policy, ListVaultsQuery, Vault } from '../../api/cbr/responses';
import { CBR_ERRORS } from '../../api/errors';
import { ApiError } from '../errors';

/**
 * A read-only view of the project built from ONE paged listing of vaults and ONE listing of
 * policies, served to the handlers' read functions through the CbrClient interface. Drift over N
 * objects then costs N / page size calls instead of several calls per object.
 */
export class SnapshotCbrClient extends CbrClient {
  private vaults?: Promise<Vault[]>;
  private policies?: Promise<Policy[]>;

  async listAllVaults(filter: Omit<ListVaultsQuery, 'limit' | 'offset'> = {}): Promise<Vault[]> {
    this.vaults ??= super.listAllVaults({});
    return (await this.vaults).filter((v) => matchesVault(v, filter));
  }

  async listVaultsByTag(key: string, value: string): Promise<Vault[]> {
    return (await this.listAllVaults({})).filter((v) => (v.tags ?? []).some((t) => t.key === key && t.value === value));
  }

  async showVault(vaultId: string): Promise<Vault> {
    const vault = (await this.listAllVaults({})).find((v) => v.id === vaultId);
    if (!vault) throw new ApiError({ status: 404, method: 'GET', path: this.projectPath('vaults', vaultId), errorCode: CBR_ERRORS.VAULT_NOT_FOUND.code, errorMsg: CBR_ERRORS.VAULT_NOT_FOUND.message });
    return vault;
  }

  async listPolicies(query: ListPoliciesQuery = {}): Promise<Policy[]> {
    this.policies ??= super.listPolicies({});
    return (await this.policies).filter((p) =>
      (!query.operation_type || p.operation_type === query.operation_type) &&
      (!query.vault_id || (p.associated_vaults ?? []).some((a) => a.vault_id === query.vault_id)));
  }

  async showPolicy(policyId: string): Promise<Policy> {
    const policy = (await this.listPolicies({})).find((p) => p.id === policyId);
    if (!policy) throw new ApiError({ status: 404, method: 'GET', path: this.projectPath('policies', policyId), errorCode: CBR_ERRORS.POLICY_NOT_FOUND.code, errorMsg: CBR_ERRORS.POLICY_NOT_FOUND.message });
    return policy;
  }
}

function matchesVault(v: Vault, f: Omit<ListVaultsQuery, 'limit' | 'offset'>): boolean {
  return (!f.name || v.name === f.name) &&
    (!f.id || v.id === f.id) &&
    (!f.object_type || v.billing.object_type === f.object_type) &&
    (!f.protect_type || v.billing.protect_type === f.protect_type) &&
    (!f.cloud_type || v.billing.cloud_type === f.cloud_type);
}
