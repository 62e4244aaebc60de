import { Fn, TerraformResource, TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AttachPolicyOptions, IPolicy, IVault, Policy, PolicyAttachment, PolicyType, RemovalPolicy, ResourceAssociation, Schedule, Vault, VaultObjectType,
  VaultOrigin, VaultResource, VaultTag,
} from '../../src';
import { specLocals } from '../support/specs';

const daily = () => Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);

function setup() {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'backup');
  const vault = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
  return { app, stack, vault };
}

/** The tables' specs, keyed `cbr_<kind>_specs`. */
function specs(stack: TerraformStack): any {
  return specLocals(JSON.parse(Testing.synth(stack)));
}

describe('PolicyAttachment', () => {
  test('vault.attachPolicy() registers the attachment under a key stable across policies of one type', () => {
    const { stack, vault } = setup();
    vault.attachPolicy(new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: daily() }));
    expect(specs(stack).cbr_attachment_specs).toEqual({
      'Prod/BackupPolicy': {
        spec_format: 4,
        vault: { by: 'path', value: 'Prod', name: 'prod' },
        policy: { by: 'name', value: 'nightly' },
        operation_type: 'backup',
        destination_vault_id: '',
        region: '',
        project_id: '',
      },
    });
  });

  test('a vault of the stack is named by its construct path below the stack, also inside another scope', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'backup');
    const team = new Construct(stack, 'Team');
    const vault = new Vault(team, 'Prod', { vaultName: 'team-prod', objectType: VaultObjectType.SERVER, size: 100 });
    vault.attachPolicy(new Policy(team, 'Nightly', { policyName: 'nightly', schedule: daily() }));
    vault.addResources('Web', [VaultResource.server('srv-1')]);
    vault.addTag('env', 'prod');
    const locals = specs(stack);
    const ref = { by: 'path', value: 'Team/Prod', name: 'team-prod' };
    expect(locals.cbr_attachment_specs['Team/Prod/BackupPolicy'].vault).toEqual(ref);
    expect(locals.cbr_association_specs['Team/Prod/Web/srv-1'].vault).toEqual(ref);
    expect(locals.cbr_tag_specs['Team/Prod/Tag-env'].vault).toEqual(ref);
    // The path is the vault's own key in its table.
    expect(Object.keys(locals.cbr_vault_specs)).toEqual(['Team/Prod']);
  });

  test('works with imported vaults and policies', () => {
    const { stack } = setup();
    const vault = Vault.fromVaultId(stack, 'Legacy', 'a8b2c0d4-0000-4000-8000-000000000001');
    const policy = Policy.fromPolicyId(stack, 'Shared', 'p-123', PolicyType.REPLICATION);
    new PolicyAttachment(stack, 'Attach', { vault, policy, destinationVaultId: 'v-dest' });
    expect(specs(stack).cbr_attachment_specs.Attach).toEqual({
      spec_format: 4,
      vault: { by: 'id', value: 'a8b2c0d4-0000-4000-8000-000000000001', name: '' },
      policy: { by: 'id', value: 'p-123' },
      operation_type: 'replication',
      destination_vault_id: 'v-dest',
      region: '',
      project_id: '',
    });
  });

  test('fails when a vault gets two backup policies', () => {
    const { stack, vault } = setup();
    const a = new Policy(stack, 'A', { policyName: 'a', schedule: daily() });
    const b = new Policy(stack, 'B', { policyName: 'b', schedule: daily() });
    new PolicyAttachment(stack, 'AttachA', { vault, policy: a });
    expect(() => new PolicyAttachment(stack, 'AttachB', { vault, policy: b })).toThrow(
      'backup/AttachB: policy "b" is invalid: the backup policy of vault "prod" is already managed by backup/AttachA, and two constructs cannot manage one cloud object. A vault takes one backup policy (API 4.5.8); remove one of the attachments.');
  });

  test('fails when attachPolicy() applies a second policy of one type to a vault', () => {
    const { stack, vault } = setup();
    vault.attachPolicy(new Policy(stack, 'A', { policyName: 'a', schedule: daily() }));
    expect(() => vault.attachPolicy(new Policy(stack, 'B', { policyName: 'b', schedule: daily() }))).toThrow(
      'backup/Prod: policy "b" is invalid: vault "prod" takes one backup policy (API 4.5.8), and backup/Prod/BackupPolicy applies one already. ' +
      'Remove one of the attachPolicy() calls.');
  });

  test('fails when a replication policy has no destination vault', () => {
    const { stack, vault } = setup();
    const policy = new Policy(stack, 'Rep', {
      policyName: 'rep', schedule: daily(), policyType: PolicyType.REPLICATION, destinationRegion: 'cn-north-4', destinationProjectId: 'p-dest',
    });
    expect(() => vault.attachPolicy(policy)).toThrow(
      'backup/Prod/ReplicationPolicy: destinationVaultId undefined is invalid: a replication policy needs the destination vault (API 4.5.8). Pass destinationVault: the replication Vault in the destination region (or destinationVaultId: its id).');
  });
});

describe('ResourceAssociation', () => {
  test('one hook-table entry per resource, keyed by construct path and resource id', () => {
    const { stack, vault } = setup();
    vault.addResources('Web', [VaultResource.server('srv-1', { excludeVolumes: ['vol-9'] }), VaultResource.server('srv-2')]);
    expect(specs(stack).cbr_association_specs).toEqual({
      'Prod/Web/srv-1': { spec_format: 4, vault: { by: 'path', value: 'Prod', name: 'prod' }, resource_id: 'srv-1', resource_type: 'OS::Nova::Server', exclude_volumes: ['vol-9'], retain_on_destroy: true, region: '', project_id: '' },
      'Prod/Web/srv-2': { spec_format: 4, vault: { by: 'path', value: 'Prod', name: 'prod' }, resource_id: 'srv-2', resource_type: 'OS::Nova::Server', exclude_volumes: [], retain_on_destroy: true, region: '', project_id: '' },
    });
  });

  test('a resource id known only at apply is keyed by its expression, which is known at plan', () => {
    const { stack, vault } = setup();
    const server = new TerraformResource(stack, 'server', { terraformResourceType: 'terraform_data' });
    const ids = new TerraformVariable(stack, 'ids', { type: 'list(string)' });
    vault.addResources('Web', [VaultResource.server(server.getStringAttribute('id')), VaultResource.server(Fn.element(ids.listValue, 0))]);
    const table = specs(stack).cbr_association_specs;
    expect(table).toEqual({
      'Prod/Web/terraform_data.server.id': {
        spec_format: 4,
        vault: { by: 'path', value: 'Prod', name: 'prod' },
        resource_id: '${terraform_data.server.id}',
        resource_ref: 'terraform_data.server.id',
        resource_type: 'OS::Nova::Server',
        exclude_volumes: [],
        retain_on_destroy: true,
        region: '',
        project_id: '',
      },
      'Prod/Web/element(var.ids, 0)': expect.objectContaining({ resource_id: '${element(var.ids, 0)}', resource_ref: 'element(var.ids, 0)' }),
    });
    // Terraform evaluates ${...} and %{...} in object keys: none may be left in a key.
    for (const key of Object.keys(table)) expect(key).not.toMatch(/[$%]\{/);
  });

  test('fails when one expression is associated twice', () => {
    const { stack, vault } = setup();
    const server = new TerraformResource(stack, 'server', { terraformResourceType: 'terraform_data' });
    vault.addResources('Web', [VaultResource.server(server.getStringAttribute('id'))]);
    vault.addResources('Again', [VaultResource.server(server.getStringAttribute('id'))]);
    expect(() => specs(stack)).toThrow(
      'backup/Prod/Again: resources "OS::Nova::Server terraform_data.server.id" is invalid: resource terraform_data.server.id is already managed by backup/Prod/Web, and two constructs cannot manage one cloud object. A resource can be protected by one vault only (API 4.5.7, BackupService.6103); vault "prod" cannot take it again.');
  });

  test('associations of a vault destroyed with the stack are destroyed too', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'backup');
    const vault = new Vault(stack, 'Tmp', { vaultName: 'tmp', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
    vault.addResources('Disks', [VaultResource.disk('vol-1')]);
    expect(specs(stack).cbr_association_specs['Tmp/Disks/vol-1'].retain_on_destroy).toBe(false);
  });

  test('fails when the resource type does not fit the vault', () => {
    const { vault } = setup();
    expect(() => vault.addResources('Disks', [VaultResource.disk('vol-1')])).toThrow(
      'backup/Prod/Disks: resources "OS::Cinder::Volume vol-1" is invalid: a server vault cannot hold OS::Cinder::Volume resources (API 4.5.7, BackupService.6102). Put it in a vault with objectType DISK.');
  });

  test('fails when one resource is associated twice', () => {
    const { stack, vault } = setup();
    const other = new Vault(stack, 'Other', { vaultName: 'other', objectType: VaultObjectType.SERVER, size: 100 });
    vault.addResources('Web', [VaultResource.server('srv-1')]);
    expect(() => new ResourceAssociation(stack, 'Again', { vault: other, resources: [VaultResource.server('srv-1')] })).toThrow(
      'backup/Again: resources "OS::Nova::Server srv-1" is invalid: resource srv-1 is already managed by backup/Prod/Web, and two constructs cannot manage one cloud object. A resource can be protected by one vault only (API 4.5.7, BackupService.6103); vault "other" cannot take it again.');
  });

  test('fails when the list is empty', () => {
    const { vault } = setup();
    expect(() => vault.addResources('None', [])).toThrow(
      'backup/Prod/None: resources "0 resources" is invalid: an association has 1-256 resources (API 4.5.7). Add a resource or remove the association.');
  });
});

describe('VaultTag', () => {
  test('Vault.tags become one tag entry each', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'backup');
    new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'platform', env: 'prod' } });
    expect(specs(stack).cbr_tag_specs).toEqual({
      'Prod/Tag-env': { spec_format: 4, vault: { by: 'path', value: 'Prod', name: 'prod' }, key: 'env', value: 'prod', retain_on_destroy: true, region: '', project_id: '' },
      'Prod/Tag-team': { spec_format: 4, vault: { by: 'path', value: 'Prod', name: 'prod' }, key: 'team', value: 'platform', retain_on_destroy: true, region: '', project_id: '' },
    });
  });

  test('fails when Vault.tags and a VaultTag name the same key', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'backup');
    const vault = new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100, tags: { team: 'platform' } });
    expect(() => new VaultTag(stack, 'Team', { vault, key: 'team', value: 'security' })).toThrow(
      'backup/Team: key "team" is invalid: tag "team" of vault "prod" is already managed by backup/Prod/Tag-team, and two constructs cannot manage one cloud object. Declare each tag key once: either in Vault.tags or as a VaultTag.');
  });

  test('fails when a tag key has a character the API rejects', () => {
    const { vault } = setup();
    expect(() => vault.addTag('cost center', 'x')).toThrow(
      'backup/Prod/Tag-cost center: key "cost center" is invalid: a tag key has 1-36 letters, digits, hyphens (-) and underscores (_) (API 4.7.3). Remove the other characters or shorten the key.');
  });
});

describe('relations read the public members of IVault and IPolicy', () => {
  test('a declared vault, a vault imported by id and one imported by name', () => {
    const { stack, vault } = setup();
    const byId = Vault.fromVaultId(stack, 'ById', 'v-1', { objectType: VaultObjectType.DISK });
    const byName = Vault.fromVaultName(stack, 'ByName', 'legacy');
    expect([vault.origin, vault.vaultName, vault.vaultId, vault.objectType, vault.removalPolicy])
      .toEqual([VaultOrigin.DECLARED, 'prod', undefined, VaultObjectType.SERVER, RemovalPolicy.RETAIN]);
    expect([byId.origin, byId.vaultName, byId.vaultId, byId.objectType, byId.removalPolicy])
      .toEqual([VaultOrigin.IMPORTED_BY_ID, 'v-1', 'v-1', VaultObjectType.DISK, RemovalPolicy.RETAIN]);
    expect([byName.origin, byName.vaultName, byName.vaultId, byName.objectType, byName.removalPolicy])
      .toEqual([VaultOrigin.IMPORTED_BY_NAME, 'legacy', undefined, undefined, RemovalPolicy.RETAIN]);
    const tmp = new Vault(stack, 'Tmp', { vaultName: 'tmp', objectType: VaultObjectType.DISK, size: 40, removalPolicy: RemovalPolicy.DESTROY });
    expect(tmp.removalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  test('a declared policy has no id at synth; one imported by id has', () => {
    const { stack } = setup();
    expect(new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: daily() }).policyId).toBeUndefined();
    expect(Policy.fromPolicyId(stack, 'ById', 'p-1').policyId).toBe('p-1');
    expect(Policy.fromPolicyName(stack, 'ByName', 'shared').policyId).toBeUndefined();
  });

  /** An IVault written by a user: every public member right, but no hook behind it. */
  class OwnVault extends Construct implements IVault {
    public readonly vaultName = 'own';
    public readonly origin = VaultOrigin.IMPORTED_BY_NAME;
    public readonly removalPolicy = RemovalPolicy.RETAIN;
    public attachPolicy(policy: IPolicy): PolicyAttachment {
      return new PolicyAttachment(this, 'Policy', { vault: this, policy });
    }
    public addResources(id: string, resources: VaultResource[]): ResourceAssociation {
      return new ResourceAssociation(this, id, { vault: this, resources });
    }
    public addTag(key: string, value: string): VaultTag {
      return new VaultTag(this, `Tag-${key}`, { vault: this, key, value });
    }
  }

  const NOT_OURS = 'is invalid: it is not a Vault of this library, so no lifecycle hook manages it or can find it. '
    + 'Use new Vault(), Vault.fromVaultId() or Vault.fromVaultName().';

  test('fails on a vault that is not one of this library, naming the construct, the vault and the fix', () => {
    const { stack } = setup();
    const own = new OwnVault(stack, 'Own');
    const policy = new Policy(stack, 'Nightly', { policyName: 'nightly', schedule: daily() });
    expect(() => own.attachPolicy(policy)).toThrow(`backup/Own/Policy: vault "own" ${NOT_OURS}`);
    expect(() => own.addResources('Web', [VaultResource.server('srv-1')])).toThrow(`backup/Own/Web: vault "own" ${NOT_OURS}`);
    expect(() => own.addTag('team', 'x')).toThrow(`backup/Own/Tag-team: vault "own" ${NOT_OURS}`);
  });

  test('fails on a policy that is not one of this library', () => {
    const { stack, vault } = setup();
    class OwnPolicy extends Construct implements IPolicy {
      public readonly policyName = 'own';
      public readonly policyType = PolicyType.BACKUP;
    }
    expect(() => vault.attachPolicy(new OwnPolicy(stack, 'Own'))).toThrow(
      'backup/Prod/BackupPolicy: policy "own" is invalid: it is not a Policy of this library, so no lifecycle hook manages it or can find it. '
      + 'Use new Policy(), Policy.fromPolicyId() or Policy.fromPolicyName().');
  });

  test('PolicyAttachmentProps takes the options of attachPolicy()', () => {
    const { stack, vault } = setup();
    const policy = new Policy(stack, 'Rep', {
      policyName: 'rep', schedule: daily(), policyType: PolicyType.REPLICATION, destinationRegion: 'cn-north-4', destinationProjectId: 'p-dest',
    });
    const options: AttachPolicyOptions = { destinationVaultId: 'v-dest' };
    new PolicyAttachment(stack, 'Attach', { vault, policy, ...options });
    expect(specs(stack).cbr_attachment_specs.Attach.destination_vault_id).toBe('v-dest');
  });
});
