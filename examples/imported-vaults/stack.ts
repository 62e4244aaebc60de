import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { ... } from 'cdktf-cbr';
import { Policy, PolicyAttachment, ResourceAssociation, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';

export interface ImportedVaultsProps {
  /** The id of an existing server vault (shown in the CBR console). */
  readonly legacyVaultId: string;
  /** The name of another existing vault; it must match exactly one vault of the project when hooks run. */
  readonly sharedVaultName: string;
  /** The name of an existing backup policy, e.g. one a central team manages. */
  readonly standardPolicyName: string;
  /** ECS servers the legacy vault should protect. */
  readonly serverIds: string[];
}

/**
 * Vaults and a policy this app does not own, found by id or name when the hooks run, and managed
 * relations on them: the existing policy is applied to one vault, servers are associated with it,
 * and the other vault gets two tags.
 *
 * Imported objects are never created, changed or deleted by this stack. On `terraform destroy`
 * the policy is removed from the vault again and the tags are deleted; the associations are kept
 * (dissociating a resource deletes its backups), as the default removal policy of relations on an
 * imported vault says.
 */
export function buildImportedVaults(scope: Construct, props: ImportedVaultsProps): void {
  // objectType is optional for imports; given, it lets synth check the resource types.
  const legacy = Vault.fromVaultId(scope, 'Legacy', props.legacyVaultId, { objectType: VaultObjectType.SERVER });
  const shared = Vault.fromVaultName(scope, 'Shared', props.sharedVaultName);
  const standard = Policy.fromPolicyName(scope, 'Standard', props.standardPolicyName);

  // Imports are IVaults/IPolicys: relate them with the relation constructs.
  new PolicyAttachment(scope, 'LegacyStandard', { vault: legacy, policy: standard });
  new ResourceAssociation(scope, 'LegacyServers', {
    vault: legacy,
    resources: props.serverIds.map((id) => VaultResource.server(id)),
  });

  new VaultTag(scope, 'SharedCostCenter', { vault: shared, key: 'cost-center', value: 'cc-4711' });
  new VaultTag(scope, 'SharedOwner', { vault: shared, key: 'owner', value: 'data-team' });
}

/** The example as a stack of its own. */
export class ImportedVaultsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ImportedVaultsProps) {
    super(scope, id);
    buildImportedVaults(this, props);
  }
}
