import { CbrClient, CbrRequestOptions } from './client';
import type { AssociatePolicyRequest } from '../../api/cbr/associations';
import type { CreatePolicyRequest, UpdatePolicyRequest } from '../../api/cbr/policies';
import type { ResourceCreate } from '../../api/cbr/resources';
import type { ListPoliciesQuery, ListVaultsQuery, Policy, Vault, VaultPolicyResp, VaultTag } from '../../api/cbr/responses';
import type { Tag } from '../../api/cbr/tags';
import type { CreateVaultRequest, UpdateVaultRequest } from '../../api/cbr/vaults';
import { CBR_ERRORS } from '../../api/errors';
import { ApiError, isNotFound } from '../errors';

/**
 * The project as ONE paged listing of vaults and ONE listing of policies show it, served to the
 * handlers through the CbrClient interface: the hook entry and drift read N objects in N / 1,000
 * calls instead of a few calls each. Writes go to the API; a vault or policy written is read again
 * (one GET) the next time a handler looks at it, so a handler sees what the writes before it did.
 * Every call goes out through `base`: its transport, token and request counting.
 */
export class CachedCbrClient extends CbrClient {
  private vaults?: Promise<Map<string, Vault>>;
  private policies?: Promise<Map<string, Policy>>;
  /** Written since they were read: read again before they are served. */
  private readonly staleVaults = new Set<string>();
  private readonly stalePolicies = new Set<string>();
  private readonly rereads = new Map<string, Promise<void>>();

  constructor(private readonly base: CbrClient) {
    super(base.config, undefined, base.options);
  }

  override request<T = unknown>(method: string, path: string, opts: CbrRequestOptions = {}): Promise<T | undefined> {
    return this.base.request<T>(method, path, opts);
  }

  // ---- reads, from the listings --------------------------------------------------------------

  override async listAllVaults(filter: Omit<ListVaultsQuery, 'limit' | 'offset'> = {}): Promise<Vault[]> {
    return (await this.allVaults()).filter((v) => matchesVault(v, filter));
  }

  override async showVault(vaultId: string): Promise<Vault> {
    const vault = (await this.vaultMap()).get(vaultId);
    if (!vault) throw this.notFound('vaults', vaultId, CBR_ERRORS.VAULT_NOT_FOUND);
    return vault;
  }

  override async listVaultsByTag(key: string, value: string): Promise<Vault[]> {
    return (await this.allVaults()).filter((v) => (v.tags ?? []).some((t) => t.key === key && t.value === value));
  }

  override async findVaultsByResource(resourceId: string): Promise<Vault[]> {
    return (await this.allVaults()).filter((v) => (v.resources ?? []).some((r) => r.id === resourceId));
  }

  override async listPolicies(query: ListPoliciesQuery = {}): Promise<Policy[]> {
    return [...(await this.policyMap()).values()].filter((p) =>
      (!query.operation_type || p.operation_type === query.operation_type) &&
      (!query.vault_id || (p.associated_vaults ?? []).some((a) => a.vault_id === query.vault_id)));
  }

  override async showPolicy(policyId: string): Promise<Policy> {
    const policy = (await this.policyMap()).get(policyId);
    if (!policy) throw this.notFound('policies', policyId, CBR_ERRORS.POLICY_NOT_FOUND);
    return policy;
  }

  // ---- writes, to the API --------------------------------------------------------------------

  override async createVault(body: CreateVaultRequest): Promise<Vault> {
    return this.creating('vaults', () => super.createVault(body));
  }

  override async updateVault(vaultId: string, body: UpdateVaultRequest): Promise<Vault> {
    return this.touching([vaultId], [], () => super.updateVault(vaultId, body));
  }

  override async deleteVault(vaultId: string): Promise<void> {
    await this.touching([vaultId], [], () => super.deleteVault(vaultId));
  }

  override async createPolicy(body: CreatePolicyRequest): Promise<Policy> {
    return this.creating('policies', () => super.createPolicy(body));
  }

  override async updatePolicy(policyId: string, body: UpdatePolicyRequest): Promise<Policy> {
    return this.touching([], [policyId], () => super.updatePolicy(policyId, body));
  }

  override async deletePolicy(policyId: string): Promise<void> {
    await this.touching([], [policyId], () => super.deletePolicy(policyId));
  }

  override async associatePolicy(vaultId: string, body: AssociatePolicyRequest): Promise<VaultPolicyResp> {
    return this.touching([vaultId], body.policy_id ? [body.policy_id] : [], () => super.associatePolicy(vaultId, body));
  }

  override async dissociatePolicy(vaultId: string, policyId: string): Promise<void> {
    await this.touching([vaultId], [policyId], () => super.dissociatePolicy(vaultId, policyId));
  }

  override async addResources(vaultId: string, resources: ResourceCreate[]): Promise<string[]> {
    return this.touching([vaultId], [], () => super.addResources(vaultId, resources));
  }

  override async removeResources(vaultId: string, resourceIds: string[]): Promise<string[]> {
    return this.touching([vaultId], [], () => super.removeResources(vaultId, resourceIds));
  }

  override async migrateResources(vaultId: string, destinationVaultId: string, resourceIds: string[]): Promise<string[]> {
    return this.touching([vaultId, destinationVaultId], [], () => super.migrateResources(vaultId, destinationVaultId, resourceIds));
  }

  override async setResources(vaultId: string, resourceIds: string[], action: 'suspend' | 'unsuspend'): Promise<string[]> {
    return this.touching([vaultId], [], () => super.setResources(vaultId, resourceIds, action));
  }

  override async batchVaultTags(vaultId: string, action: 'create' | 'delete', tags: VaultTag[]): Promise<void> {
    await this.touching([vaultId], [], () => super.batchVaultTags(vaultId, action, tags));
  }

  override async createVaultTag(vaultId: string, tag: Tag): Promise<void> {
    await this.touching([vaultId], [], () => super.createVaultTag(vaultId, tag));
  }

  override async deleteVaultTag(vaultId: string, key: string): Promise<void> {
    await this.touching([vaultId], [], () => super.deleteVaultTag(vaultId, key));
  }

  // ---- the listings ---------------------------------------------------------------------------

  /** Adds what a create made to its listing, or, when it failed, drops the listing. */
  private async creating<T extends Vault | Policy>(listing: 'vaults' | 'policies', create: () => Promise<T>): Promise<T> {
    let made: T;
    try {
      made = await create();
    } catch (err) {
      // It may have been created all the same (a lost answer): the lookup that follows
      // (createOnce) must see the project as it is now, so the listing is made again.
      this[listing] = undefined;
      throw err;
    }
    const map = this[listing] as Promise<Map<string, T>> | undefined;
    if (map) (await map).set(made.id, made);
    return made;
  }

  /** Marks what a write changes as stale, whether it succeeded or not: a failed write may have happened. */
  private async touching<T>(vaultIds: readonly string[], policyIds: readonly string[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      for (const id of vaultIds) this.staleVaults.add(id);
      for (const id of policyIds) this.stalePolicies.add(id);
    }
  }

  private async allVaults(): Promise<Vault[]> {
    return [...(await this.vaultMap()).values()];
  }

  private async vaultMap(): Promise<Map<string, Vault>> {
    this.vaults ??= super.listAllVaults({}).then((all) => new Map(all.map((v) => [v.id, v])));
    const map = await this.vaults;
    await this.reread(this.staleVaults, 'vault', map, (id) => super.showVault(id));
    return map;
  }

  private async policyMap(): Promise<Map<string, Policy>> {
    this.policies ??= super.listPolicies({}).then((all) => new Map(all.map((p) => [p.id, p])));
    const map = await this.policies;
    await this.reread(this.stalePolicies, 'policy', map, (id) => super.showPolicy(id));
    return map;
  }

  /** Reads the stale objects again (each once, however many handlers ask at the same time) and waits for every reread; one gone is dropped. */
  private async reread<T>(stale: Set<string>, kind: string, map: Map<string, T>, read: (id: string) => Promise<T>): Promise<void> {
    for (const id of stale) {
      stale.delete(id);
      const key = `${kind}:${id}`;
      const pending: Promise<void> = read(id).then((fresh) => { map.set(id, fresh); }, (err) => {
        if (isNotFound(err)) {
          map.delete(id);
          return;
        }
        stale.add(id);
        throw err;
      }).finally(() => {
        // A write during this read started another one: that one stays to be waited for.
        if (this.rereads.get(key) === pending) this.rereads.delete(key);
      });
      this.rereads.set(key, pending);
    }
    // Also those another caller started: none is served before it is read again.
    await Promise.all([...this.rereads].filter(([key]) => key.startsWith(`${kind}:`)).map(([, pending]) => pending));
  }

  private notFound(collection: string, id: string, error: { code: string; message: string }): ApiError {
    return new ApiError({ status: 404, method: 'GET', path: this.projectPath(collection, id), errorCode: error.code, errorMsg: error.message });
  }
}

function matchesVault(v: Vault, f: Omit<ListVaultsQuery, 'limit' | 'offset'>): boolean {
  return (!f.name || v.name === f.name) &&
    (!f.id || v.id === f.id) &&
    (!f.object_type || v.billing.object_type === f.object_type) &&
    (!f.protect_type || v.billing.protect_type === f.protect_type) &&
    (!f.cloud_type || v.billing.cloud_type === f.cloud_type) &&
    (!f.resource_ids || (v.resources ?? []).some((r) => String(f.resource_ids).split(',').includes(r.id)));
}
