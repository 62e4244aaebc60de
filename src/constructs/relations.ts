import type { IConstruct } from 'constructs';
import type { IPolicy } from './policy';
import type { IVault, VaultObjectType } from './vault';
import type { PolicyRef, VaultRef } from '../runtime/specs';

/** The library-internal side of a vault: every IVault this library hands out has it. */
interface VaultInternals {
  readonly objectType?: VaultObjectType;
  readonly node: IConstruct['node'];
  _ref(): VaultRef;
  _retainsRelations(): boolean;
}

export function vaultInternals(scope: IConstruct, vault: IVault): VaultInternals {
  const v = vault as Partial<VaultInternals>;
  if (typeof v._ref !== 'function' || typeof v._retainsRelations !== 'function') {
    throw new Error(`${scope.node.path}: vault "${vault.vaultName}" is not a Vault of this library; use new Vault(), Vault.fromVaultId() or Vault.fromVaultName()`);
  }
  return v as VaultInternals;
}

export function policyRef(scope: IConstruct, policy: IPolicy): PolicyRef {
  const p = policy as Partial<{ _ref(): PolicyRef }>;
  if (typeof p._ref !== 'function') {
    throw new Error(`${scope.node.path}: policy "${policy.policyName}" is not a Policy of this library; use new Policy(), Policy.fromPolicyId() or Policy.fromPolicyName()`);
  }
  return p._ref();
}

