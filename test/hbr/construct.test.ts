import { Testing, TerraformStack } from 'cdktf';
import { hbr, Vault, VaultObjectType } from '../../src';
import { specsOf } from '../support/specs';

function synth(build: (stack: TerraformStack) => void): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'backup');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const BASE = { vaultId: 'v-0001ufe000000kgm', instanceIds: ['i-bp1b', 'i-bp1a'] };

describe('hbr.BackupClient', () => {
  test('one entry of the client hook table, keyed by construct path, with every spec field and defaults', () => {
    const json = synth((stack) => {
      new hbr.BackupClient(stack, 'Agents', BASE);
    });
    const table = json.resource.terraform_data.cbr_client;
    expect(specsOf(json, 'client')).toEqual({
      Agents: {
        spec_format: 4,
        vault_id: 'v-0001ufe000000kgm',
        instance_ids: ['i-bp1a', 'i-bp1b'],
        source_types: [],
        cluster_id: '',
        alert_setting: '',
        use_https: false,
        resource_group_id: '',
        version_policy: 'keep_installed',
        access_key_id_env: '',
        access_key_secret_env: '',
        region: '',
      },
    });
    // Replaced delete-first (no lifecycle): the old entry's delete hook (which calls nothing) names the instances the new spec drops.
    expect(table.lifecycle).toBeUndefined();
    // The instances and the vault identify the clients: changing them replaces the entry; the settings update it in place.
    expect(JSON.parse(json.locals.cbr_client_identities.Agents)).toEqual({ vault_id: 'v-0001ufe000000kgm', instance_ids: ['i-bp1a', 'i-bp1b'] });
    expect(JSON.parse(json.locals.cbr_client_inputs.Agents)).toEqual({ spec_format: 4 });
    // The hook gets the entry with the stack's deployment, as every other kind; its only hook is the delete hook.
    expect(table.triggers_replace).toEqual(['${terraform_data.cbr_deployment.id}', '${local.cbr_client_identities[each.key]}']);
    expect(table.provisioner).toHaveLength(1);
    expect(table.provisioner[0]['local-exec']).toMatchObject({ when: 'destroy', interpreter: expect.arrayContaining(['delete', 'client']) });
  });

  test('every prop reaches the spec; access keys only by environment variable name', () => {
    const json = synth((stack) => {
      new hbr.BackupClient(stack, 'Hana', {
        ...BASE,
        sourceTypes: [hbr.SourceType.HANA, hbr.SourceType.of('UDM_ECS')],
        clusterId: 'cl-000csy09q5094vw9rfz9',
        alertSetting: hbr.AlertSetting.INHERITED,
        useHttps: true,
        resourceGroupId: 'rg-aekzvx7d3c4kpny',
        versionPolicy: hbr.ClientVersionPolicy.UPGRADE_TO_LATEST,
        accessKeyIdEnv: 'HBR_CLIENT_ACCESS_KEY_ID',
        accessKeySecretEnv: 'HBR_CLIENT_ACCESS_KEY_SECRET',
      });
    });
    expect(specsOf(json, 'client').Hana).toEqual({
      spec_format: 4,
      vault_id: 'v-0001ufe000000kgm',
      instance_ids: ['i-bp1a', 'i-bp1b'],
      source_types: ['HANA', 'UDM_ECS'],
      cluster_id: 'cl-000csy09q5094vw9rfz9',
      alert_setting: 'INHERITED',
      use_https: true,
      resource_group_id: 'rg-aekzvx7d3c4kpny',
      version_policy: 'upgrade_to_latest',
      access_key_id_env: 'HBR_CLIENT_ACCESS_KEY_ID',
      access_key_secret_env: 'HBR_CLIENT_ACCESS_KEY_SECRET',
      region: '',
    });
  });

  test('the client table exists (empty) next to the CBR tables, in no order with them (another service)', () => {
    const json = synth((stack) => {
      new Vault(stack, 'Prod', { vaultName: 'prod', objectType: VaultObjectType.SERVER, size: 100 });
    });
    const data = json.resource.terraform_data;
    expect(data.cbr_client.for_each).toBe('${local.cbr_client_inputs}');
    expect(data.cbr_client.depends_on).toBeUndefined();
    expect(specsOf(json, 'client')).toEqual({});
  });

  test.each([
    [{ vaultId: 'vault-1' }, /vaultId "vault-1" is invalid: a backup vault id looks like "v-0001ufe\.\.\."/],
    [{ instanceIds: [] }, /instanceIds \[\] is invalid: at least one ECS instance is needed/],
    [{ instanceIds: ['i-1', 'web-1'] }, /instanceIds "web-1" is invalid/],
    [{ instanceIds: ['i-1', 'i-1'] }, /instanceIds "i-1" is invalid: an instance is listed twice/],
    [{ sourceTypes: [hbr.SourceType.of('hana')] }, /sourceTypes "hana" is invalid/],
    [{ clusterId: 'cluster' }, /clusterId "cluster" is invalid/],
    [{ resourceGroupId: 'default' }, /resourceGroupId "default" is invalid/],
    [{ accessKeyIdEnv: 'HBR_AK' }, /accessKeyIdEnv and accessKeySecretEnv go together/],
  ])('validates %j at synth', (props, message) => {
    expect(() => synth((stack) => new hbr.BackupClient(stack, 'Agents', { ...BASE, ...props }))).toThrow(message);
  });

  test('a pasted secret is refused without being echoed', () => {
    const secret = 'Xy7pQ2wZr9LmN4vB8kT1sD6fH3jK0a';
    const err = (() => {
      try {
        synth((stack) => new hbr.BackupClient(stack, 'Agents', { ...BASE, accessKeyIdEnv: 'HBR_AK', accessKeySecretEnv: secret }));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(/accessKeySecretEnv "\(hidden: not an environment variable name\)" is invalid: it is the NAME of an environment variable/);
    expect(err?.message).not.toContain(secret);
  });

  test('a client names its region, or fails when it is no region id', () => {
    const stack = new TerraformStack(Testing.app(), 'backup');
    new hbr.BackupClient(stack, 'Beijing', { vaultId: 'v-1', instanceIds: ['i-1'], region: 'cn-beijing' });
    expect(specsOf(JSON.parse(Testing.synth(stack)), 'client').Beijing.region).toBe('cn-beijing');
    expect(() => new hbr.BackupClient(stack, 'Bad', { vaultId: 'v-1', instanceIds: ['i-2'], region: 'cn beijing' })).toThrow(
      'backup/Bad: region "cn beijing" is invalid: a region ID has 1-255 letters, digits, underscores (_) and hyphens (-). Use the ID of the region, ' +
      'e.g. "ap-southeast-1", or leave it out for the region of the terraform run (HBR_REGION_ID or ALIBABA_CLOUD_REGION_ID).');
  });

  test('two constructs cannot manage the client of one instance', () => {
    expect(() => synth((stack) => {
      new hbr.BackupClient(stack, 'A', BASE);
      new hbr.BackupClient(stack, 'B', { ...BASE, instanceIds: ['i-bp1a', 'i-bp1c'] });
    })).toThrow(/backup\/B: instanceIds "i-bp1a" is invalid: the HBR client of instance "i-bp1a" is already managed by backup\/A/);
  });
});
