import { IConstruct } from 'constructs';
import { stackRelativePath } from './identity';
import { reportViolation } from './violation';
import type { PolicyRef, VaultRef } from '../../contract/specs';
import type { CbrLocationOptions } from '../location';
import { resolveLocation } from './location';
import { describePlace, differentPlace } from '../../rules/location';
import type { IPolicy } from '../policy';
import { RemovalPolicy } from '../removal-policy';
import { IVault, VaultOrigin } from '../vault';

/**
 * The vaults and policies this library made. Relations read only public members, but a user's own
 * IVault or IPolicy has no hook behind it: its relations would fail at apply, so they fail at synth.
 */
const OURS = new WeakSet<IConstruct>();

/** Marks a vault or policy as made by this library (its constructor calls this). */
export function markAsOurs(construct: IVault | IPolicy): void {
  OURS.add(construct);
}

/** How lifecycle hooks find `vault`, from its public members. */
export function vaultRef(scope: IConstruct, vault: IVault): VaultRef {
  requireOurs(scope, vault, 'vault', vault.vaultName, 'Vault', 'new Vault(), Vault.fromVaultId() or Vault.fromVaultName()');
  switch (vault.origin) {
    case VaultOrigin.IMPORTED_BY_ID: return { by: 'id', value: vault.vaultId ?? vault.vaultName, name: '' };
    case VaultOrigin.IMPORTED_BY_NAME: return { by: 'name', value: vault.vaultName, name: vault.vaultName };
    default: return { by: 'path', value: stackRelativePath(vault), name: vault.vaultName };
  }
}

/**
 * The location of a relation of `vault`, as its spec carries it: the vault's. A relation that names
 * a region or project of its own must name the vault's (checked here when both are known at synth).
 */
export function relationLocation(scope: IConstruct, vault: IVault, own: CbrLocationOptions): { region: string; project_id: string } {
  const at = { region: vault.region, projectId: vault.projectId };
  if (own.region !== undefined || own.projectId !== undefined) {
    const mine = resolveLocation(scope, { region: own.region ?? at.region, projectId: own.projectId ?? at.projectId });
    const field = differentPlace(mine, at);
    reportViolation(scope, field && {
      field,
      value: mine[field],
      rule: `a relation lives in its vault's region and project, and vault "${vault.vaultName}" is in ${describePlace(at)}`,
      fix: `Remove ${field}: the relation takes its vault's.`,
    });
  }
  return { region: at.region ?? '', project_id: at.projectId ?? '' };
}

/** Whether the relations of `vault` (its tags, associations) are kept when the stack is destroyed. */
export function retainsRelations(vault: IVault): boolean {
  return vault.removalPolicy === RemovalPolicy.RETAIN;
}

/** How lifecycle hooks find `policy`: by id when imported by id, by its unique name otherwise. */
export function policyRef(scope: IConstruct, policy: IPolicy): PolicyRef {
  requireOurs(scope, policy, 'policy', policy.policyName, 'Policy', 'new Policy(), Policy.fromPolicyId() or Policy.fromPolicyName()');
  return policy.policyId !== undefined ? { by: 'id', value: policy.policyId } : { by: 'name', value: policy.policyName };
}

function requireOurs(scope: IConstruct, construct: IConstruct, field: string, name: string, kind: string, fix: string): void {
  reportViolation(scope, OURS.has(construct) ? undefined : {
    field,
    value: name,
    rule: `it is not a ${kind} of this library, so no lifecycle hook manages it or can find it`,
    fix: `Use ${fix}.`,
  });
}
