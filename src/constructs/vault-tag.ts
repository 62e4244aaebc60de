import { Construct } from 'constructs';
import { requireValid } from './errors';
import { HookTable } from './hook-table';
import { claimIdentity, stackRelativePath } from './identity';
import { vaultIdentity, vaultInternals } from './relations';
import type { IVault } from './vault';
import { OWNER_TAG_KEY, TagSpec } from '../runtime/specs';

/** Properties of one vault tag (API 4.7.3, table 4-334). */
export interface VaultTagProps {
  /** The tagged vault. */
  readonly vault: IVault;
  /** Tag key: 1-36 letters, digits, hyphens and underscores. */
  readonly key: string;
  /** Tag value: 0-43 letters, digits, hyphens, underscores and periods. */
  readonly value: string;
}

const TAG_KEY = /^[A-Za-z0-9_-]{1,36}$/;
const TAG_VALUE = /^[A-Za-z0-9_.-]{0,43}$/;

/**
 * One tag on a vault, managed apart from the vault: changing its value overwrites it, removing the
 * construct deletes it. A key belongs to exactly one construct: naming it both in `Vault.tags` and
 * in a `VaultTag` fails at synth. `terraform destroy` keeps the tags of a retained vault.
 */
export class VaultTag extends Construct {
  constructor(scope: Construct, id: string, props: VaultTagProps) {
    super(scope, id);
    const vault = vaultInternals(this, props.vault);
    requireValid(this, 'key', props.key, TAG_KEY.test(props.key),
      'a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3)', 'Remove the other characters or shorten the key.');
    requireValid(this, 'key', props.key, props.key !== OWNER_TAG_KEY,
      `the key "${OWNER_TAG_KEY}" marks the vaults this library created`, 'Use another key.');
    requireValid(this, 'value', props.value, TAG_VALUE.test(props.value),
      'a tag value has 0-43 letters, digits, hyphens (-), underscores (_) and periods (.) (API 4.7.3)', 'Remove the other characters or shorten the value.');
    claimIdentity(this, `tag "${props.key}" of ${vaultIdentity(vault._ref())}`,
      'Declare each tag key once: either in Vault.tags or as a VaultTag.');
    const spec = (): TagSpec => ({
      vault: vault._ref(),
      key: props.key,
      value: props.value,
      retain_on_destroy: vault._retainsRelations() && vault._ref().by === 'owner',
    });
    HookTable.of(this, 'tag').register(stackRelativePath(this), spec);
  }
}
