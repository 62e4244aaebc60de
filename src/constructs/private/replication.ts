import { IConstruct } from 'constructs';
import { describePlace, differentPlace } from '../../rules/location';
import type { RuleViolation } from '../../rules/violation';
import type { CbrLocationOptions } from '../location';
import type { IPolicy } from '../policy';
import { IVault, ProtectType } from '../vault';

/**
 * Cross-region replication declared once: `vault.attachPolicy(replicate, { destinationVault })`.
 * The destination vault's region and project become the policy's destination_region and
 * destination_project_id (API 4.8.1), and its id the attachment's destination_vault_id (4.5.8),
 * which the hook resolves at apply.
 */

/** The destination vaults each replication policy is applied with, in the order of their attachments. */
const DESTINATIONS = new WeakMap<IPolicy, Array<{ readonly attachment: IConstruct; readonly at: CbrLocationOptions }>>();

/** Records that `attachment` applies `policy` with a destination vault `at` a region and project. */
export function addDestination(policy: IPolicy, attachment: IConstruct, at: CbrLocationOptions): void {
  const list = DESTINATIONS.get(policy) ?? [];
  list.push({ attachment, at });
  DESTINATIONS.set(policy, list);
}

/**
 * The one region and project the policy replicates to, from the destination vaults it is applied
 * with; undefined when none is. Two that differ for sure break 4.8.1: a policy has one destination.
 */
export function destinationOf(policy: IPolicy): { at?: CbrLocationOptions; violation?: RuleViolation } {
  const [first, ...rest] = DESTINATIONS.get(policy) ?? [];
  if (!first) return {};
  const other = rest.find((d) => differentPlace(d.at, first.at) !== undefined);
  if (!other) return { at: first.at };
  return {
    violation: {
      field: 'destinationVault',
      value: other.attachment.node.path,
      rule: 'a replication policy has one destination region and project (destination_region, destination_project_id, API 4.8.1): ' +
        `${first.attachment.node.path} replicates to ${describePlace(first.at)}, ${other.attachment.node.path} to ${describePlace(other.at)}`,
      fix: 'Declare one replication policy per destination region.',
    },
  };
}

/**
 * The first rule of cross-region replication that applying a replication policy from `source` to
 * `destination` breaks, as far as synth knows the two vaults: the destination is a replication
 * vault (4.5.1 protect_type; 7.2 BackupService.6119) of the source's object type, in a region and
 * project of its own that it names (the policy's destination_region and destination_project_id are
 * mandatory, 4.8.1), and not the source's region.
 */
export function destinationViolation(source: IVault, destination: IVault): RuleViolation | undefined {
  const value = destination.node.path;
  if (destination.protectType !== undefined && destination.protectType !== ProtectType.REPLICATION) {
    return {
      field: 'destinationVault',
      value,
      rule: `replicas go to a replication vault (protectType REPLICATION), and vault "${destination.vaultName}" is a ${destination.protectType} vault (API 4.5.8, BackupService.6119)`,
      fix: 'Give the destination vault protectType: ProtectType.REPLICATION.',
    };
  }
  if (source.objectType !== undefined && destination.objectType !== undefined && source.objectType !== destination.objectType) {
    return {
      field: 'destinationVault',
      value,
      rule: `the destination vault holds replicas of the same kind of resource, and vault "${destination.vaultName}" is a ${destination.objectType} vault, ` +
        `vault "${source.vaultName}" a ${source.objectType} vault (API 4.5.8, BackupService.6119)`,
      fix: `Give the destination vault objectType ${source.objectType.toUpperCase()}.`,
    };
  }
  if (destination.region === undefined || destination.projectId === undefined) {
    return {
      field: 'destinationVault',
      value,
      rule: `the policy replicates to the destination vault's region and project, which vault "${destination.vaultName}" does not name ` +
        '(destination_region and destination_project_id are mandatory, API 4.8.1)',
      fix: 'Give the destination vault its region and projectId (or declare it under CbrDefaults.set(scope, { region, projectId })).',
    };
  }
  if (source.region !== undefined && source.region === destination.region) {
    return {
      field: 'destinationVault',
      value,
      rule: `replication copies backups to another region, and vault "${destination.vaultName}" is in the source vault's region "${destination.region}"`,
      fix: 'Declare the destination vault in another region.',
    };
  }
  return undefined;
}
