import { Fn, TerraformResource, TerraformVariable, Testing, TerraformStack } from 'cdktf';
import {
  hbr, Policy, PolicyAttachment, PolicyType, ResourceAssociation, Retention, Schedule, Vault, VaultObjectType, VaultResource, VaultTag,
} from '../../src';
import { specLocals } from '../support/specs';

/** Every prop whose value can come from elsewhere in the configuration, given as a token. */
describe('props that take values known only at apply', () => {
  test('every such prop synthesizes to its Terraform expression, under keys made of construct paths and expression text', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'backup');
    const str = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const num = (name: string) => new TerraformVariable(stack, name, { type: 'number' }).numberValue;
    const server = new TerraformResource(stack, 'server', { terraformResourceType: 'terraform_data' });
    const disks = new TerraformVariable(stack, 'disks', { type: 'list(string)' });

    const vault = new Vault(stack, 'Prod', {
      vaultName: str('name'),
      description: str('description'),
      objectType: VaultObjectType.SERVER,
      size: num('size'),
      threshold: num('threshold'),
      enterpriseProjectId: str('ep'),
      backupNamePrefix: str('prefix'),
      bindRules: { env: str('env') },
      tags: { team: str('team') },
    });
    const imported = Vault.fromVaultId(stack, 'Imported', str('vault_id'));
    const byName = Vault.fromVaultName(stack, 'ByName', str('vault_name'));
    const policy = new Policy(stack, 'Nightly', { policyName: str('policy'), schedule: Schedule.fromPatterns([str('pattern')]), retention: Retention.count(7) });
    const replication = new Policy(stack, 'Rep', {
      schedule: Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=4;BYMINUTE=0']),
      policyType: PolicyType.REPLICATION,
      destinationRegion: str('region'),
      destinationProjectId: str('project'),
    });
    vault.attachPolicy(policy);
    vault.attachPolicy(replication, { destinationVaultId: str('dest_vault') });
    new PolicyAttachment(stack, 'AttachById', { vault: imported, policy: Policy.fromPolicyId(stack, 'PolicyById', str('policy_id')) });
    new PolicyAttachment(stack, 'AttachByName', { vault: byName, policy: Policy.fromPolicyName(stack, 'PolicyByName', str('policy_name')) });
    vault.addResources('Web', [VaultResource.server(server.getStringAttribute('id'), { excludeVolumes: [Fn.element(disks.listValue, 0)] })]);
    new ResourceAssociation(stack, 'Others', { vault: imported, resources: [VaultResource.server(str('other_server'))] });
    new VaultTag(stack, 'Owner', { vault: imported, key: 'owner', value: str('owner') });
    new hbr.BackupClient(stack, 'Agents', { vaultId: str('hbr_vault'), instanceIds: [str('instance_a'), str('instance_b')] });

    const locals = specLocals(JSON.parse(Testing.synth(stack)));
    expect(locals.cbr_vault_specs.Prod).toMatchObject({
      name: '${var.name}',
      description: '${var.description}',
      size: '${var.size}',
      threshold: '${var.threshold}',
      enterprise_project_id: '${var.ep}',
      backup_name_prefix: '${var.prefix}',
      bind_rules: { env: '${var.env}' },
    });
    expect(locals.cbr_policy_specs.Nightly).toMatchObject({ name: '${var.policy}', pattern: ['${var.pattern}'], runs_per_week: -1 });
    expect(locals.cbr_policy_specs.Rep.operation_definition).toMatchObject({ destination_region: '${var.region}', destination_project_id: '${var.project}' });
    expect(Object.keys(locals.cbr_attachment_specs).sort()).toEqual(['AttachById', 'AttachByName', 'Prod/BackupPolicy', 'Prod/ReplicationPolicy']);
    expect(locals.cbr_attachment_specs['Prod/ReplicationPolicy'].destination_vault_id).toBe('${var.dest_vault}');
    expect(locals.cbr_attachment_specs.AttachById).toMatchObject({ vault: { by: 'id', value: '${var.vault_id}' }, policy: { by: 'id', value: '${var.policy_id}' } });
    expect(locals.cbr_attachment_specs.AttachByName).toMatchObject({ vault: { by: 'name', value: '${var.vault_name}' }, policy: { by: 'name', value: '${var.policy_name}' } });
    expect(locals.cbr_association_specs).toEqual({
      'Prod/Web/terraform_data.server.id': expect.objectContaining({ resource_id: '${terraform_data.server.id}', exclude_volumes: ['${element(var.disks, 0)}'] }),
      'Others/var.other_server': expect.objectContaining({ resource_id: '${var.other_server}', resource_ref: 'var.other_server' }),
    });
    expect(locals.cbr_tag_specs['Prod/Tag-team'].value).toBe('${var.team}');
    expect(locals.cbr_tag_specs.Owner).toMatchObject({ vault: { by: 'id', value: '${var.vault_id}' }, value: '${var.owner}' });
    expect(locals.cbr_client_specs.Agents).toMatchObject({ vault_id: '${var.hbr_vault}' });
    expect([...locals.cbr_client_specs.Agents.instance_ids].sort()).toEqual(['${var.instance_a}', '${var.instance_b}']);
    // Terraform evaluates templates in object keys too: no key may hold one (DESIGN.md fact 8).
    for (const table of Object.values<Record<string, unknown>>(locals)) {
      for (const key of Object.keys(table)) expect(key).not.toMatch(/[$%]\{/);
    }
  });
});
