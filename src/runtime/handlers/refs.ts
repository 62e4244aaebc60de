import { HookError } from './context';
import { ownerTagOf, resolveRef } from './ownership';
import type { Policy, Vault } from '../../api/cbr/responses';
import { describeVaultRef, OWNER_TAG_KEY, PolicyRef, VaultRef } from '../../contract/specs';
import type { CbrClient } from '../cbr/client';
import { isNotFound } from '../errors';

/**
 * Finds the vault a relation points at, or undefined when it does not exist (any more). A `path`
 * ref names a Vault of the stack, found by its ownership tag in `deployment` (the spec's).
 */
export async function findVaultByRef(client: CbrClient, wanted: VaultRef, deployment: string | undefined): Promise<Vault | undefined> {
  const ref = resolveRef(wanted, deployment);
  switch (ref.by) {
    case 'id':
      try {
        return await client.showVault(ref.value);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    case 'name': {
      const named = (await client.listAllVaults({ name: ref.value })).filter((v) => v.name === ref.value);
      if (named.length > 1) {
        throw new HookError(`${named.length} vaults are named "${ref.value}" (${named.map((v) => v.id).join(', ')}); import the one you mean with Vault.fromVaultId()`);
      }
      return named[0];
    }
    case 'owner':
      return (await findOwnedVault(client, ref)).ours;
  }
}

function isOwnedBy(vault: Vault, owner: string): boolean {
  return ownerTagOf(vault) === owner;
}

/** Whether `vault` is the one `ref` points at, judged from the vault alone. */
export function matchesRef(vault: Vault, wanted: VaultRef, deployment: string | undefined): boolean {
  const ref = resolveRef(wanted, deployment);
  switch (ref.by) {
    case 'id': return vault.id === ref.value;
    case 'name': return vault.name === ref.value;
    case 'owner': return isOwnedBy(vault, ref.value);
  }
}

/**
 * Finds a vault by its ownership tag: the name filter first (one cheap call in the common case),
 * then a tag query (4.7.1), which finds a vault renamed since it was created in one call however
 * many vaults the project has. Also returns the vaults that merely carry the name, so a create can
 * refuse to take over someone else's vault.
 */
export async function findOwnedVault(client: CbrClient, ref: VaultRef): Promise<{ ours?: Vault; named: Vault[] }> {
  const named = ref.name ? (await client.listAllVaults({ name: ref.name })).filter((v) => v.name === ref.name) : [];
  const ours = named.find((v) => isOwnedBy(v, ref.value)) ??
    (await client.listVaultsByTag(OWNER_TAG_KEY, ref.value)).find((v) => isOwnedBy(v, ref.value));
  return { ours, named };
}

/** Like findVaultByRef, for apply hooks: a missing vault is an error that says what to check. */
export async function requireVault(client: CbrClient, ref: VaultRef, deployment: string | undefined): Promise<Vault> {
  const vault = await findVaultByRef(client, ref, deployment);
  if (!vault) {
    throw new HookError(`${describeVaultRef(ref)} was not found in the project. ` +
      (ref.by === 'owner' || ref.by === 'path' ? 'Its Vault construct should have created it earlier in this apply; check the vault hook output above.' : 'Check the imported id or name and the region (HW_REGION_NAME).'));
  }
  return vault;
}

export async function findPolicyByRef(client: CbrClient, ref: PolicyRef): Promise<Policy | undefined> {
  if (ref.by === 'id') {
    try {
      return await client.showPolicy(ref.value);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  return (await client.listPolicies({})).find((p) => p.name === ref.value);
}

export async function requirePolicy(client: CbrClient, ref: PolicyRef): Promise<Policy> {
  const policy = await findPolicyByRef(client, ref);
  if (!policy) {
    throw new HookError(`policy ${ref.by === 'id' ? ref.value : `"${ref.value}"`} was not found in the project. ` +
      (ref.by === 'name' ? 'If it is declared in this app, check the policy hook output above.' : 'Check the imported id and the region.'));
  }
  return policy;
}
