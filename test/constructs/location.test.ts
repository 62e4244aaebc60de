import { TerraformVariable, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CbrDefaults, Policy, PolicyAttachment, ResourceAssociation, Schedule, Vault, VaultObjectType, VaultResource, VaultTag } from '../../src';
import { specLocals } from '../support/specs';

const daily = () => Schedule.fromPatterns(['FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=0']);
const DR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function stack() {
  return new TerraformStack(Testing.app(), 'backup');
}

/** Each kind's specs by key, with the fields left at their defaults put back. */
function specs(s: TerraformStack): any {
  return specLocals(JSON.parse(Testing.synth(s)));
}

const where = (spec: any) => ({ region: spec.region, project_id: spec.project_id });

describe('region and project', () => {
  test('a vault and a policy name their region and project; the relations of the vault carry the vault\'s', () => {
    const s = stack();
    const dr = new Vault(s, 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100, region: 'eu-west-101', projectId: DR_PROJECT, tags: { team: 'sre' } });
    dr.attachPolicy(new Policy(s, 'Nightly', { policyName: 'nightly', schedule: daily(), region: 'eu-west-101', projectId: DR_PROJECT }));
    dr.addResources('Web', [VaultResource.server('srv-1')]);
    const all = specs(s);
    const there = { region: 'eu-west-101', project_id: DR_PROJECT };
    expect(where(all.cbr_vault_specs.Dr)).toEqual(there);
    expect(where(all.cbr_policy_specs.Nightly)).toEqual(there);
    expect(where(all.cbr_attachment_specs['Dr/BackupPolicy'])).toEqual(there);
    expect(where(all.cbr_association_specs['Dr/Web/srv-1'])).toEqual(there);
    expect(where(all.cbr_tag_specs['Dr/Tag-team'])).toEqual(there);
    // The region and project identify the object: they are in triggers_replace, and a vault without them leaves them out.
    const json = JSON.parse(Testing.synth(s));
    expect(JSON.parse(json.locals.cbr_vault_identities.Dr)).toMatchObject(there);
    expect(dr.region).toBe('eu-west-101');
    expect(dr.projectId).toBe(DR_PROJECT);
  });

  test('without a region, an object is in the region of the terraform run: nothing is written', () => {
    const s = stack();
    new Vault(s, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
    const json = JSON.parse(Testing.synth(s));
    expect(JSON.parse(json.locals.cbr_vault_identities.Prod)).toEqual({ object_type: 'server' });
  });

  test('CbrDefaults of a scope apply to every construct below it; the nearest scope wins, and a project alone stays in its region', () => {
    const s = stack();
    CbrDefaults.set(s, { region: 'ap-southeast-1', projectId: 'f841e01fd2b14e7fa41b6ae7aa6b0594' });
    const site = new Construct(s, 'DrSite');
    CbrDefaults.set(site, { region: 'eu-west-101', projectId: DR_PROJECT });
    new Vault(s, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
    new Vault(site, 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100 });
    new Vault(site, 'Other', { vaultName: 'other', objectType: VaultObjectType.SERVER, size: 100, projectId: 'aaaabbbbccccddddeeeeffff00001111' });
    const all = specs(s);
    expect(where(all.cbr_vault_specs.Prod)).toEqual({ region: 'ap-southeast-1', project_id: 'f841e01fd2b14e7fa41b6ae7aa6b0594' });
    expect(where(all.cbr_vault_specs['DrSite/Dr'])).toEqual({ region: 'eu-west-101', project_id: DR_PROJECT });
    expect(where(all.cbr_vault_specs['DrSite/Other'])).toEqual({ region: 'eu-west-101', project_id: 'aaaabbbbccccddddeeeeffff00001111' });
    expect(CbrDefaults.of(site)).toEqual({ region: 'eu-west-101', projectId: DR_PROJECT });
  });

  test('a region from a Terraform variable is written as its expression, for the hook to check at apply', () => {
    const s = stack();
    const region = new TerraformVariable(s, 'dr_region', { type: 'string' });
    new Vault(s, 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100, region: region.stringValue, projectId: DR_PROJECT });
    expect(where(specs(s).cbr_vault_specs.Dr)).toEqual({ region: '${var.dr_region}', project_id: DR_PROJECT });
  });

  test('fails when a region is not a region ID', () => {
    expect(() => new Vault(stack(), 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100, region: 'eu west' }))
      .toThrow('backup/Dr: region "eu west" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-). ' +
        'Use the ID of the region, e.g. "ap-southeast-1", or leave it out for the region of the terraform run (HW_REGION_NAME).');
  });

  test('fails when a project ID has characters no project ID has', () => {
    expect(() => CbrDefaults.set(stack(), { region: 'eu-west-101', projectId: 'my project' }))
      .toThrow('backup: projectId "my project" is invalid: a project ID has 1-64 letters, digits, underscores and hyphens (IAM gives 32 hexadecimal characters; ' +
        'API reference 7.3). Use the ID of your project in that region (console: My Credentials > API Credentials), or leave it out for HW_PROJECT_ID.');
  });

  test('fails when a relation names another region than its vault', () => {
    const s = stack();
    const dr = new Vault(s, 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100, region: 'eu-west-101', projectId: DR_PROJECT });
    expect(() => new ResourceAssociation(s, 'Web', { vault: dr, resources: [VaultResource.server('srv-1')], region: 'ap-southeast-1' }))
      .toThrow(`backup/Web: region "ap-southeast-1" is invalid: a relation lives in its vault's region and project, and vault "dr" is in region "eu-west-101", project "${DR_PROJECT}". ` +
        'Remove region: the relation takes its vault\'s.');
    expect(() => new VaultTag(s, 'Team', { vault: dr, key: 'team', value: 'sre', projectId: 'aaaabbbbccccddddeeeeffff00001111' }))
      .toThrow('backup/Team: projectId "aaaabbbbccccddddeeeeffff00001111" is invalid: a relation lives in its vault\'s region and project');
    // Naming the vault's own is allowed.
    expect(() => new VaultTag(s, 'Same', { vault: dr, key: 'same', value: 'x', region: 'eu-west-101' })).not.toThrow();
  });

  test('fails when a policy of another region is applied to a vault', () => {
    const s = stack();
    const dr = new Vault(s, 'Dr', { vaultName: 'dr', objectType: VaultObjectType.SERVER, size: 100, region: 'eu-west-101', projectId: DR_PROJECT });
    const home = new Policy(s, 'Nightly', { policyName: 'nightly', schedule: daily() });
    expect(() => new PolicyAttachment(s, 'Attach', { vault: dr, policy: home }))
      .toThrow('backup/Attach: policy "nightly" is invalid: a policy applies to the vaults of its own region and project (API 4.5.8), and it is in ' +
        'the region and project of the terraform run (HW_REGION_NAME, HW_PROJECT_ID), vault "dr" in region "eu-west-101", ' +
        `project "${DR_PROJECT}". Declare the policy in the vault's region and project.`);
  });

  test('an imported vault or policy takes its region and project as an option', () => {
    const s = stack();
    const vault = Vault.fromVaultId(s, 'Dr', 'a8b2c0d4-0000-4000-8000-000000000001', { region: 'eu-west-101', projectId: DR_PROJECT });
    const policy = Policy.fromPolicyName(s, 'Shared', 'shared', undefined, { region: 'eu-west-101', projectId: DR_PROJECT });
    vault.attachPolicy(policy);
    expect(where(specs(s).cbr_attachment_specs['Dr/BackupPolicy'])).toEqual({ region: 'eu-west-101', project_id: DR_PROJECT });
  });
});
