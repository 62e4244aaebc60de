import { createHash } from 'node:crypto';
import type { Vault } from '../../api/cbr/responses';
import { OWNER_TAG_KEY, VaultRef } from '../../contract/specs';

/**
 * Which deployment a vault belongs to. A deployment is one Terraform state of one stack: its anchor
 * (`terraform_data.cbr_deployment`) has a random id that every entry's spec carries (`deployment`).
 * The ownership tag of a vault is `<deployment digest>-<construct digest>`: two states of the same
 * app never share a tag, and a construct that moves within one state is recognised by the first half.
 * Tag values allow letters, digits, - _ . and at most 43 characters (4.7.3): 16 + 1 + 24.
 */

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The first half of every ownership tag this deployment writes. */
export function deploymentPrefix(deployment: string): string {
  return `${digest(deployment, 16)}-`;
}

/** The ownership tag value of the vault declared at `key` (a stack-relative construct path). */
export function ownerTag(deployment: string, key: string): string {
  return `${deploymentPrefix(deployment)}${digest(key, 24)}`;
}

/** The vault's ownership tag value, or undefined when it has none. */
export function ownerTagOf(vault: Vault): string | undefined {
  return vault.tags?.find((t) => t.key === OWNER_TAG_KEY)?.value;
}

/** Whether the vault carries this deployment's ownership tag (for any construct). */
export function ownedByDeployment(vault: Vault, deployment: string | undefined): boolean {
  return deployment !== undefined && (ownerTagOf(vault) ?? '').startsWith(deploymentPrefix(deployment));
}

/** A ref as hooks look vaults up: by ownership tag, id or name. */
export type ResolvedRef = VaultRef & { readonly by: 'owner' | 'id' | 'name' };

/**
 * A ref as hooks look vaults up: a `path` ref (format 3) becomes the ownership tag of that
 * construct in `deployment`; other refs are returned as they are.
 */
export function resolveRef(ref: VaultRef, deployment: string | undefined): ResolvedRef {
  if (ref.by !== 'path') return ref as ResolvedRef;
  if (deployment === undefined) throw new Error(`the vault of ${ref.value} is named by construct path, but the spec carries no deployment`);
  return { by: 'owner', value: ownerTag(deployment, ref.value), name: ref.name };
}
