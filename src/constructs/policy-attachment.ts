import { Construct } from 'constructs';
import type { CbrLocationOptions } from './location';
import type { IPolicy } from './policy';
import { HookTable } from './private/hook-table';
import { claimIdentity, stackRelativePath } from './private/identity';
import { differentLocation } from './private/location';
import { describeLocation, policyRef, relationLocation, vaultRef } from './private/relations';
import { reportViolation, requireValid } from './private/violation';
import type { IVault } from './vault';
import { AttachmentSpec, describeVaultRef } from '../contract/specs';

/** Options of `Vault.attachPolicy()`. */
export interface AttachPolicyOptions {
  /**
   * Destination vault id in the replication region: required for replication policies, not allowed otherwise.
   * @default - none
   */
  readonly destinationVaultId?: string;
}

/** Properties of a policy applied to a vault (API 4.5.8). */
export interface PolicyAttachmentProps extends AttachPolicyOptions, CbrLocationOptions {
  /** The vault the policy applies to. */
  readonly vault: IVault;
  /** The backup or replication policy. */
  readonly policy: IPolicy;
}

/**
 * Applies a policy to a vault. Removing this construct removes the policy from the vault (4.5.9);
 * that deletes no backups. A vault takes one backup and one replication policy.
 */
export class PolicyAttachment extends Construct {
  constructor(scope: Construct, id: string, props: PolicyAttachmentProps) {
    super(scope, id);
    const vault = vaultRef(this, props.vault);
    const policy = policyRef(this, props.policy);
    const location = relationLocation(this, props.vault, props);
    const policyAt = { region: props.policy.region, projectId: props.policy.projectId };
    const apart = differentLocation(policyAt, { region: props.vault.region, projectId: props.vault.projectId });
    reportViolation(this, apart && {
      field: 'policy',
      value: props.policy.policyName,
      rule: `a policy applies to the vaults of its own region and project (API 4.5.8), and it is in ${describeLocation(policyAt)}, ` +
        `vault "${props.vault.vaultName}" in ${describeLocation({ region: props.vault.region, projectId: props.vault.projectId })}`,
      fix: 'Declare the policy in the vault\'s region and project.',
    });
    const type = props.policy.policyType;
    const destination = props.destinationVaultId ?? '';
    const replication = type === 'replication';
    requireValid(this, replication ? destination !== '' : destination === '', {
      field: 'destinationVaultId',
      value: props.destinationVaultId,
      rule: replication ? 'a replication policy needs the destination vault (API 4.5.8)' : 'only replication policies take a destination vault (API 4.5.8)',
      fix: replication ? 'Set destinationVaultId to the vault id in the destination region.' : 'Remove destinationVaultId.',
    });
    claimIdentity(this, `the ${type} policy of ${describeVaultRef(vault)}`, {
      field: 'policy',
      value: props.policy.policyName,
      fix: `A vault takes one ${type} policy (API 4.5.8); remove one of the attachments.`,
    });
    const spec = (): AttachmentSpec => ({ vault, policy, operation_type: type, destination_vault_id: destination, ...location });
    HookTable.of(this, 'attachment').register(this, stackRelativePath(this), spec);
  }
}
