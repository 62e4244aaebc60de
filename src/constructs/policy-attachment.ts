import { Construct } from 'constructs';
import type { CbrLocationOptions } from './location';
import type { IPolicy } from './policy';
import { HookTable } from './private/hook-table';
import { claimIdentity, stackRelativePath } from './private/identity';
import { policyRef, relationLocation, vaultRef } from './private/relations';
import { addDestination, destinationViolation } from './private/replication';
import { policyPlaceViolation } from '../rules/location';
import { reportViolation, requireValid } from './private/violation';
import type { IVault } from './vault';
import { AttachmentSpec, describeVaultRef } from '../contract/specs';

/** Options of `Vault.attachPolicy()`. */
export interface AttachPolicyOptions {
  /**
   * The vault the replicas go to, in another region: a replication `Vault` of this stack (or one
   * imported with its region and project). The hook finds its id at apply, and the policy
   * replicates to its region and project. A replication policy needs it or `destinationVaultId`;
   * a backup policy takes neither.
   * @default - none
   */
  readonly destinationVault?: IVault;
  /**
   * Destination vault id in the replication region, when the vault is not declared here (the
   * policy then names destinationRegion and destinationProjectId itself).
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
    reportViolation(this, policyPlaceViolation(props.policy.policyName, { region: props.policy.region, projectId: props.policy.projectId },
      { name: props.vault.vaultName, region: props.vault.region, projectId: props.vault.projectId }));
    const type = props.policy.policyType;
    const destination = props.destinationVaultId ?? '';
    const replication = type === 'replication';
    const target = props.destinationVault;
    reportViolation(this, target && props.destinationVaultId !== undefined ? {
      field: 'destinationVaultId',
      value: props.destinationVaultId,
      rule: 'a policy is applied with one destination vault (API 4.5.8), and destinationVault names one already',
      fix: 'Remove destinationVaultId.',
    } : undefined);
    if (target && !replication) {
      reportViolation(this, { field: 'destinationVault', value: target.node.path, rule: 'only replication policies take a destination vault (API 4.5.8)', fix: 'Remove destinationVault.' });
    }
    requireValid(this, replication ? destination !== '' || target !== undefined : destination === '', {
      field: 'destinationVaultId',
      value: props.destinationVaultId,
      rule: replication ? 'a replication policy needs the destination vault (API 4.5.8)' : 'only replication policies take a destination vault (API 4.5.8)',
      fix: replication ? 'Pass destinationVault: the replication Vault in the destination region (or destinationVaultId: its id).' : 'Remove destinationVaultId.',
    });
    const targetRef = target && vaultRef(this, target);
    if (target) {
      reportViolation(this, destinationViolation(props.vault, target));
      addDestination(props.policy, this, { region: target.region, projectId: target.projectId });
    }
    claimIdentity(this, `the ${type} policy of ${describeVaultRef(vault)}`, {
      field: 'policy',
      value: props.policy.policyName,
      fix: `A vault takes one ${type} policy (API 4.5.8); remove one of the attachments.`,
    });
    const spec = (): AttachmentSpec => ({
      vault, policy, operation_type: type, destination_vault_id: destination, ...(targetRef ? { destination_vault: targetRef } : {}), ...location,
    });
    HookTable.of(this, 'attachment').register(this, stackRelativePath(this), spec);
  }
}
