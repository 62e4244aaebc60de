import { Construct, IConstruct } from 'constructs';
import type { CbrLocationOptions } from './location';
import { HookTable } from './private/hook-table';
import { claimIdentity, stackRelativePath } from './private/identity';
import { relationLocation, retainsRelations, vaultRef } from './private/relations';
import { tagCountViolation, tagKeyViolation, tagValueViolation } from '../rules/vault';
import { reportViolation } from './private/violation';
import { IVault, VaultOrigin } from './vault';
import { describeVaultRef, TagSpec } from '../contract/specs';

/** Properties of one vault tag (API 4.7.3, table 4-334). */
export interface VaultTagProps extends CbrLocationOptions {
  /** The tagged vault. */
  readonly vault: IVault;
  /** Tag key: 1-36 letters, digits, hyphens and underscores, without spaces around it. */
  readonly key: string;
  /** Tag value: 0-43 letters, digits, hyphens, underscores and periods, without spaces around it. */
  readonly value: string;
}

const TAG_KEYS = Symbol.for('cdktf-cbr.vault-tag-keys');

/**
 * Counts the tags this app declares per vault (Vault.tags and VaultTag constructs alike) and fails
 * when one more would exceed the 10 tags a vault takes, the ownership tag included.
 */
function countTag(scope: IConstruct, vault: string, owned: boolean, key: string): void {
  const root = scope.node.root as IConstruct & { [TAG_KEYS]?: Map<string, string[]> };
  const all = root[TAG_KEYS] ?? (root[TAG_KEYS] = new Map<string, string[]>());
  const keys = all.get(vault) ?? [];
  reportViolation(scope, tagCountViolation('key', key, keys, owned, vault));
  all.set(vault, [...keys, key]);
}

/**
 * One tag on a vault, managed apart from the vault: changing its value overwrites it, removing the
 * construct deletes it. A key belongs to exactly one construct: naming it both in `Vault.tags` and
 * in a `VaultTag` fails at synth. `terraform destroy` keeps the tags of a retained vault.
 *
 * A vault takes at most 10 tags (API 4.7.3): a vault of this app at most 9 besides its ownership
 * tag, counting `Vault.tags` and every `VaultTag` on it; an imported vault at most 10 from this app.
 */
export class VaultTag extends Construct {
  constructor(scope: Construct, id: string, props: VaultTagProps) {
    super(scope, id);
    const vault = vaultRef(this, props.vault);
    const location = relationLocation(this, props.vault, props);
    reportViolation(this, tagKeyViolation('key', props.key));
    reportViolation(this, tagValueViolation('value', props.value));
    const identity = describeVaultRef(vault);
    claimIdentity(this, `tag "${props.key}" of ${identity}`, {
      field: 'key', value: props.key, fix: 'Declare each tag key once: either in Vault.tags or as a VaultTag.',
    });
    const declared = props.vault.origin === VaultOrigin.DECLARED;
    countTag(this, identity, declared, props.key);
    // An imported vault outlives the stack, but the tags this app put on it do not.
    const retain = retainsRelations(props.vault) && declared;
    const spec = (): TagSpec => ({ vault, key: props.key, value: props.value, retain_on_destroy: retain, ...location });
    HookTable.of(this, 'tag').register(this, stackRelativePath(this), spec);
  }
}
