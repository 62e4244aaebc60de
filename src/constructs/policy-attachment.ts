import { Construct } from 'constructs';
import { requireValid } from './errors';
import { HookTable } from './hook-table';
import { claimIdentity, stackRelativePath } from './identity';
import type { IPolicy } from './policy';
import { policyRef, vaultInternals } from './relations';
import type { IVault } from './vault';
import { AttachmentSpec, describeVaultRef } from '../runtime/specs';

/** Properties of a policy applied to a vault (API 4.5.8). */
export interface PolicyAttachmentProps {
  /** The vault the policy applies to. */
  readonly vault: IVault;
  /** The backup or replication policy. */
  readonly policy: IPolicy;
  /**
   * Destination vault id in the replication region: required for replication policies, not allowed otherwise.
   * @default - none
   */
  readonly destinationVaultId?: string;
}

/**
 * Applies a policy to a vault. Removing this construct removes the policy from the vault (4.5.9);
 * that deletes no backups. A vault takes one backup and one replication policy.
 */
export class PolicyAttachment extends Construct {
  constructor(scope: Construct, id: string, props: PolicyAttachmentProps) {
    super(scope, id);
    const vault = vaultInternals(this, props.vault);
    const type = props.policy.policyType;
    const destination = props.destinationVaultId ?? '';
    requireValid(this, 'destinationVaultId', props.destinationVaultId, type === 'replication' ? destination !== '' : destination === '',
      type === 'replication' ? 'a replication policy needs the destination vault (API 4.5.8)' : 'only replication policies take a destination vault (API 4.5.8)',
      type === 'replication' ? 'Set destinationVaultId to the vault id in the destination region.' : 'Remove destinationVaultId.');
    claimIdentity(this, `the ${type} policy of ${describeVaultRef(vault._ref())}`,
      `A vault takes one ${type} policy (API 4.5.8); remove one of the attachments.`);
    const spec = (): AttachmentSpec => ({
      vault: vault._ref(),
      policy: policyRef(this, props.policy),
      operation_type: type,
      destination_vault_id: destination,
    });
    HookTable.of(this, 'attachment').register(stackRelativePath(this), spec);
  }
}
