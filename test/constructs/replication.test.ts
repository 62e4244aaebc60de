import { Testing, TerraformStack } from 'cdktf';
import { Policy, PolicyAttachment, PolicyType, ProtectType, Retention, Schedule, Vault, VaultObjectType } from '../../src';
import { specLocals } from '../support/specs';

const DR = 'eu-west-101';
const DR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function setup() {
  const stack = new TerraformStack(Testing.app(), 'backup');
  const source = new Vault(stack, 'Source', { vaultName: 'source', objectType: VaultObjectType.SERVER, size: 100 });
  const replicate = new Policy(stack, 'Replicate', {
    policyName: 'replicate', policyType: PolicyType.REPLICATION, schedule: Schedule.daily({ hour: 3 }), retention: Retention.count(30),
  });
  const replicas = (props: Partial<ConstructorParameters<typeof Vault>[2]> = {}, id = 'Replicas') => new Vault(stack, id, {
    vaultName: id.toLowerCase(),
    objectType: VaultObjectType.SERVER,
    protectType: ProtectType.REPLICATION,
    size: 100,
    region: DR,
    projectId: DR_PROJECT,
    ...props,
  });
  return { stack, source, replicate, replicas };
}

describe('replication declared once', () => {
  test('the policy replicates to the destination vault\'s region and project, and the attachment names that vault beside a backup policy', () => {
    const { stack, source, replicate, replicas } = setup();
    source.attachPolicy(new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.daily({ hour: 1 }) }));
    source.attachPolicy(replicate, { destinationVault: replicas() });
    const specs = specLocals(JSON.parse(Testing.synth(stack)));
    expect(specs.cbr_policy_specs.Replicate.operation_definition)
      .toEqual({ max_backups: 30, destination_region: DR, destination_project_id: DR_PROJECT });
    expect(specs.cbr_attachment_specs['Source/ReplicationPolicy']).toMatchObject({
      operation_type: 'replication', destination_vault_id: '', destination_vault: { by: 'path', value: 'Replicas', name: 'replicas' }, region: '', project_id: '',
    });
    expect(specs.cbr_attachment_specs['Source/BackupPolicy']).toMatchObject({ operation_type: 'backup', destination_vault_id: '' });
  });

  test('an imported destination is named by id, in the region it is imported with', () => {
    const { stack, source, replicate } = setup();
    const imported = Vault.fromVaultId(stack, 'Far', 'f1f2f3f4-0000-4000-8000-000000000001', { region: DR, projectId: DR_PROJECT, protectType: ProtectType.REPLICATION });
    source.attachPolicy(replicate, { destinationVault: imported });
    const specs = specLocals(JSON.parse(Testing.synth(stack)));
    expect(specs.cbr_attachment_specs['Source/ReplicationPolicy'].destination_vault).toEqual({ by: 'id', value: 'f1f2f3f4-0000-4000-8000-000000000001', name: '' });
    expect(specs.cbr_policy_specs.Replicate.operation_definition).toMatchObject({ destination_region: DR, destination_project_id: DR_PROJECT });
  });

  test('fails when the destination vault is a backup vault', () => {
    const { source, replicate, replicas } = setup();
    expect(() => source.attachPolicy(replicate, { destinationVault: replicas({ protectType: ProtectType.BACKUP }) })).toThrow(
      'backup/Source/ReplicationPolicy: destinationVault "backup/Replicas" is invalid: replicas go to a replication vault (protectType REPLICATION), and vault ' +
      '"replicas" is a backup vault (API 4.5.8, BackupService.6119). Give the destination vault protectType: ProtectType.REPLICATION.');
  });

  test('fails when the destination vault holds another kind of resource', () => {
    const { source, replicate, replicas } = setup();
    expect(() => source.attachPolicy(replicate, { destinationVault: replicas({ objectType: VaultObjectType.DISK }) })).toThrow(
      'backup/Source/ReplicationPolicy: destinationVault "backup/Replicas" is invalid: the destination vault holds replicas of the same kind of resource, and vault ' +
      '"replicas" is a disk vault, vault "source" a server vault (API 4.5.8, BackupService.6119). Give the destination vault objectType SERVER.');
  });

  test('fails when the destination vault does not name its region and project', () => {
    const { source, replicate, replicas } = setup();
    expect(() => source.attachPolicy(replicate, { destinationVault: replicas({ region: undefined, projectId: undefined }) })).toThrow(
      'backup/Source/ReplicationPolicy: destinationVault "backup/Replicas" is invalid: the policy replicates to the destination vault\'s region and project, which ' +
      'vault "replicas" does not name (destination_region and destination_project_id are mandatory, API 4.8.1). Give the destination vault its region and projectId ' +
      '(or declare it under CbrDefaults.set(scope, { region, projectId })).');
  });

  test('fails when the destination vault is in the source vault\'s region', () => {
    const { stack, replicate, replicas } = setup();
    const source = new Vault(stack, 'DrSource', { vaultName: 'dr-source', objectType: VaultObjectType.SERVER, size: 100, region: DR, projectId: DR_PROJECT });
    // The policy of the source region cannot serve it, and one of its own region replicates within that region.
    expect(() => source.attachPolicy(replicate, { destinationVault: replicas() })).toThrow(/a policy applies to the vaults of its own region and project/);
    const local = new Policy(stack, 'DrReplicate', {
      policyName: 'dr-replicate', policyType: PolicyType.REPLICATION, schedule: Schedule.daily({ hour: 3 }), region: DR, projectId: DR_PROJECT,
    });
    const other = new Vault(stack, 'DrOther', { vaultName: 'dr-other', objectType: VaultObjectType.SERVER, size: 100, region: DR, projectId: DR_PROJECT });
    expect(() => other.attachPolicy(local, { destinationVault: replicas({}, 'Replicas2') })).toThrow(
      'backup/DrOther/ReplicationPolicy: destinationVault "backup/Replicas2" is invalid: replication copies backups to another region, and vault "replicas2" is ' +
      `in the source vault's region "${DR}". Declare the destination vault in another region.`);
  });

  test('fails when a vault takes a second replication policy', () => {
    const { stack, source, replicate, replicas } = setup();
    source.attachPolicy(replicate, { destinationVault: replicas() });
    const other = new Policy(stack, 'Other', { policyName: 'other', policyType: PolicyType.REPLICATION, schedule: Schedule.daily({ hour: 5 }) });
    expect(() => new PolicyAttachment(stack, 'Second', { vault: source, policy: other, destinationVault: replicas({}, 'More') }))
      .toThrow(/A vault takes one replication policy \(API 4\.5\.8\); remove one of the attachments\./);
  });

  test('fails when one replication policy is applied towards two regions', () => {
    const { stack, source, replicate, replicas } = setup();
    source.attachPolicy(replicate, { destinationVault: replicas() });
    const second = new Vault(stack, 'Second', { vaultName: 'second', objectType: VaultObjectType.SERVER, size: 100 });
    second.attachPolicy(replicate, { destinationVault: replicas({ region: 'cn-north-4' }, 'North') });
    expect(() => Testing.synth(stack)).toThrow(
      'backup/Replicate: destinationVault "backup/Second/ReplicationPolicy" is invalid: a replication policy has one destination region and project ' +
      '(destination_region, destination_project_id, API 4.8.1): backup/Source/ReplicationPolicy replicates to region "eu-west-101", project ' +
      `"${DR_PROJECT}", backup/Second/ReplicationPolicy to region "cn-north-4", project "${DR_PROJECT}". Declare one replication policy per destination region.`);
  });

  test('fails when a replication policy gets neither a destination vault nor a destination region', () => {
    const { stack, source, replicate } = setup();
    source.attachPolicy(replicate, { destinationVaultId: 'v-far' });
    expect(() => Testing.synth(stack)).toThrow(
      'backup/Replicate: destinationRegion undefined is invalid: a replication policy needs its destination region and project (destination_region and ' +
      'destination_project_id, API 4.8.1). Apply it with vault.attachPolicy(policy, { destinationVault }) to a replication Vault in the destination region, ' +
      'or set destinationRegion and destinationProjectId.');
  });

  test('fails when a backup policy is given a destination vault, or both a vault and an id', () => {
    const { stack, source, replicate, replicas } = setup();
    const nightly = new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: Schedule.daily({ hour: 1 }) });
    expect(() => source.attachPolicy(nightly, { destinationVault: replicas() })).toThrow(
      'backup/Source/BackupPolicy: destinationVault "backup/Replicas" is invalid: only replication policies take a destination vault (API 4.5.8). Remove destinationVault.');
    expect(() => source.attachPolicy(replicate, { destinationVault: replicas({}, 'Two'), destinationVaultId: 'v-far' })).toThrow(
      'backup/Source/ReplicationPolicy: destinationVaultId "v-far" is invalid: a policy is applied with one destination vault (API 4.5.8), and destinationVault ' +
      'names one already. Remove destinationVaultId.');
  });
});
