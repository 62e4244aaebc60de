import { PROJECT, TestEmulator } from './helpers';

/**
 * The API reference's own example requests, sent as written (with the document's example
 * project id, which DEFAULT_CREDENTIALS uses), answered with every field of the response tables.
 */

// Table 4-161 VaultCreateResource / Table 4-173 Vault / Table 4-162 Billing / Table 4-163 ResourceResp.
const VAULT_FIELDS = [
  'billing', 'description', 'id', 'name', 'project_id', 'provider_id', 'resources', 'tags', 'enterprise_project_id',
  'auto_bind', 'bind_rules', 'user_id', 'created_at', 'auto_expand', 'smn_notify', 'threshold', 'sys_lock_source_service',
];
const VAULT_CREATE_EXTRA_FIELDS = ['backup_name_prefix', 'demand_billing', 'cbc_delete_count', 'frozen'];
const BILLING_FIELDS = [
  'allocated', 'charging_mode', 'cloud_type', 'consistent_level', 'object_type', 'order_id', 'product_id', 'protect_type',
  'size', 'spec_code', 'status', 'storage_unit', 'used', 'frozen_scene', 'is_multi_az',
];
const RESOURCE_FIELDS = ['extra_info', 'id', 'name', 'protect_status', 'size', 'type', 'backup_size', 'backup_count'];
// Table 4-355 Policy / 4-357 PolicyTriggerResp / 4-358 PolicyTriggerPropertiesResp.
const POLICY_FIELDS = ['enabled', 'id', 'name', 'operation_definition', 'operation_type', 'trigger', 'associated_vaults'];
const TRIGGER_FIELDS = ['id', 'name', 'properties', 'type'];

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

function expectVaultShape(vault: any, fields: string[]): void {
  expect(Object.keys(vault).sort()).toEqual([...fields].sort());
  expect(Object.keys(vault.billing).sort()).toEqual([...BILLING_FIELDS].sort());
  for (const r of vault.resources) expect(Object.keys(r).sort()).toEqual([...RESOURCE_FIELDS].sort());
  expect(vault.id).toMatch(UUID_V4);
  expect(vault.created_at).toMatch(TIMESTAMP);
  expect(vault.project_id).toBe(PROJECT);
  expect(vault.user_id).toMatch(/^[0-9a-f]{32}$/);
  expect(vault.billing.status).toBe('available');
  expect(vault.billing.used).toBe(0);
}

function expectPolicyShape(policy: any): void {
  expect(Object.keys(policy).sort()).toEqual([...POLICY_FIELDS].sort());
  expect(Object.keys(policy.trigger).sort()).toEqual([...TRIGGER_FIELDS].sort());
  expect(Object.keys(policy.trigger.properties).sort()).toEqual(['pattern', 'start_time']);
  expect(policy.id).toMatch(UUID_V4);
  expect(policy.trigger.id).toMatch(UUID_V4);
  expect(policy.trigger.type).toBe('time');
  expect(policy.trigger.properties.start_time).toMatch(TIMESTAMP);
}

// 4.8.1 example request.
const POLICY_EXAMPLE = {
  policy: {
    enabled: true,
    name: 'policy001',
    operation_definition: {
      day_backups: 0,
      month_backups: 0,
      retention_duration_days: 1,
      timezone: 'UTC+08:00',
      week_backups: 0,
      year_backups: 0,
    },
    operation_type: 'backup',
    trigger: {
      properties: {
        pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'],
      },
    },
  },
};

// 4.5.1 first example request; its backup_policy_id is replaced by a policy that exists.
function vaultExample1(policyId: string) {
  return {
    vault: {
      backup_policy_id: policyId,
      billing: {
        cloud_type: 'public',
        consistent_level: 'crash_consistent',
        object_type: 'server',
        protect_type: 'backup',
        size: 100,
        charging_mode: 'post_paid',
        is_auto_renew: false,
        is_auto_pay: false,
        console_url: 'https://console.demo.com/cbr/?agencyId=97fcd896b7914cb98f553a087232e243&region=testregion/cbr/manager/csbs/vaultList',
      },
      description: 'vault_description',
      name: 'vault_name',
      resources: [{
        extra_info: {
          exclude_volumes: ['43a320a5-3efd-4568-b1aa-8dd9183cc64b'],
        },
        id: '23a320a5-3efd-4568-b1aa-8dd9183cc64c',
        type: 'OS::Nova::Server',
      }],
      tags: [{
        key: 'key01',
        value: 'value01',
      }],
      enterprise_project_id: '0',
    },
  };
}

// 4.5.1 second example request.
const VAULT_EXAMPLE_2 = {
  vault: {
    billing: {
      consistent_level: 'crash_consistent',
      object_type: 'disk',
      protect_type: 'backup',
      size: 40,
      charging_mode: 'post_paid',
      is_auto_renew: false,
      is_auto_pay: false,
    },
    name: 'test',
    resources: [],
  },
};

describe('document examples', () => {
  let emu: TestEmulator;
  beforeEach(async () => {
    emu = await TestEmulator.start({ now: () => new Date() });
  });
  afterEach(() => emu.close());

  test('4.8.1 creates a backup policy answered 200 with the documented Policy', async () => {
    const res = await emu.call('POST', `/v3/${PROJECT}/policies`, { body: POLICY_EXAMPLE });
    expect(res.status).toBe(200);
    expectPolicyShape(res.body.policy);
    expect(res.body.policy).toMatchObject({
      name: 'policy001',
      enabled: true,
      operation_type: 'backup',
      associated_vaults: [],
      operation_definition: POLICY_EXAMPLE.policy.operation_definition,
      trigger: { name: 'default', type: 'time', properties: { pattern: POLICY_EXAMPLE.policy.trigger.properties.pattern } },
    });
  });

  test('4.5.1 first example creates a server vault with resources, tags and a policy', async () => {
    const policy = (await emu.call('POST', `/v3/${PROJECT}/policies`, { body: POLICY_EXAMPLE })).body.policy;
    const res = await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: vaultExample1(policy.id) });
    expect(res.status).toBe(200);
    const vault = res.body.vault;
    expectVaultShape(vault, [...VAULT_FIELDS, ...VAULT_CREATE_EXTRA_FIELDS]);
    expect(vault).toMatchObject({
      name: 'vault_name',
      description: 'vault_description',
      provider_id: '0daac4c5-6707-4851-97ba-169e36266b66',
      enterprise_project_id: '0',
      auto_bind: false,
      tags: [{ key: 'key01', value: 'value01' }],
      billing: {
        spec_code: 'vault.backup.server.normal',
        size: 100,
        cloud_type: 'public',
        consistent_level: 'crash_consistent',
        charging_mode: 'post_paid',
        protect_type: 'backup',
        object_type: 'server',
      },
      resources: [{
        id: '23a320a5-3efd-4568-b1aa-8dd9183cc64c',
        type: 'OS::Nova::Server',
        protect_status: 'available',
        extra_info: { exclude_volumes: ['43a320a5-3efd-4568-b1aa-8dd9183cc64b'] },
        backup_count: 0,
        backup_size: 0,
      }],
    });
    // The policy now lists the vault.
    const shown = await emu.call('GET', `/v3/${PROJECT}/policies/${policy.id}`);
    expect(shown.body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
  });

  test('4.5.1 second example creates a 40 GB disk vault', async () => {
    const res = await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: VAULT_EXAMPLE_2 });
    expect(res.status).toBe(200);
    expectVaultShape(res.body.vault, [...VAULT_FIELDS, ...VAULT_CREATE_EXTRA_FIELDS]);
    expect(res.body.vault).toMatchObject({
      name: 'test',
      resources: [],
      tags: [],
      bind_rules: {},
      provider_id: 'd1603440-187d-4516-af25-121250c7cc97',
      billing: { size: 40, object_type: 'disk', spec_code: 'vault.backup.volume.normal', allocated: 0 },
      smn_notify: true,
      threshold: 80,
    });
  });

  test('4.5.2 shows the vault with exactly the Vault table fields', async () => {
    const created = (await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: VAULT_EXAMPLE_2 })).body.vault;
    const res = await emu.call('GET', `/v3/${PROJECT}/vaults/${created.id}`);
    expect(res.status).toBe(200);
    expectVaultShape(res.body.vault, VAULT_FIELDS);
    for (const field of VAULT_FIELDS) expect(res.body.vault[field]).toEqual(created[field]);
  });

  test('4.5.4 example changes capacity to 200 GB and the name to vault_name02', async () => {
    const created = (await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: VAULT_EXAMPLE_2 })).body.vault;
    const res = await emu.call('PUT', `/v3/${PROJECT}/vaults/${created.id}`, {
      body: { vault: { billing: { size: 200 }, name: 'vault_name02' } },
    });
    expect(res.status).toBe(200);
    expectVaultShape(res.body.vault, VAULT_FIELDS);
    expect(res.body.vault).toMatchObject({ id: created.id, name: 'vault_name02', billing: { size: 200, status: 'available' } });
  });

  test('4.8.4 example replaces retention by max_backups', async () => {
    const created = (await emu.call('POST', `/v3/${PROJECT}/policies`, { body: POLICY_EXAMPLE })).body.policy;
    const res = await emu.call('PUT', `/v3/${PROJECT}/policies/${created.id}`, {
      body: {
        policy: {
          enabled: true,
          name: 'policy001',
          operation_definition: {
            day_backups: 0,
            month_backups: 0,
            max_backups: 1,
            timezone: 'UTC+08:00',
            week_backups: 0,
            year_backups: 0,
          },
          trigger: {
            properties: {
              pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'],
            },
          },
        },
      },
    });
    expect(res.status).toBe(200);
    expectPolicyShape(res.body.policy);
    expect(res.body.policy.operation_definition).toEqual({
      max_backups: 1, year_backups: 0, day_backups: 0, month_backups: 0, week_backups: 0, timezone: 'UTC+08:00',
    });
    expect(res.body.policy.trigger.id).toBe(created.trigger.id);
    expect(res.body.policy.trigger.properties.start_time).toBe(created.trigger.properties.start_time);
  });

  test('4.5.3 and 4.8.3 list what was created, with count, limit and offset', async () => {
    await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: VAULT_EXAMPLE_2 });
    await emu.call('POST', `/v3/${PROJECT}/policies`, { body: POLICY_EXAMPLE });
    const vaults = await emu.call('GET', `/v3/${PROJECT}/vaults`);
    expect(vaults.status).toBe(200);
    expect(Object.keys(vaults.body).sort()).toEqual(['count', 'limit', 'offset', 'vaults']);
    expect(vaults.body).toMatchObject({ count: 1, limit: 1000, offset: 0 });
    expectVaultShape(vaults.body.vaults[0], VAULT_FIELDS);
    const policies = await emu.call('GET', `/v3/${PROJECT}/policies`);
    expect(policies.status).toBe(200);
    expect(Object.keys(policies.body).sort()).toEqual(['count', 'policies']);
    expect(policies.body.count).toBe(1);
    expectPolicyShape(policies.body.policies[0]);
  });

  test('4.5.5 and 4.8.5 delete with 204 and no body', async () => {
    const vault = (await emu.call('POST', `/v3/${PROJECT}/vaults`, { body: VAULT_EXAMPLE_2 })).body.vault;
    const policy = (await emu.call('POST', `/v3/${PROJECT}/policies`, { body: POLICY_EXAMPLE })).body.policy;
    const v = await emu.call('DELETE', `/v3/${PROJECT}/vaults/${vault.id}`);
    expect(v.status).toBe(204);
    expect(v.body).toBeUndefined();
    const p = await emu.call('DELETE', `/v3/${PROJECT}/policies/${policy.id}`);
    expect(p.status).toBe(204);
    expect((await emu.call('GET', `/v3/${PROJECT}/vaults/${vault.id}`)).status).toBe(404);
    expect((await emu.call('GET', `/v3/${PROJECT}/policies/${policy.id}`)).status).toBe(404);
  });

  test('every response carries an X-Request-Id, errors included', async () => {
    const ok = await emu.call('GET', `/v3/${PROJECT}/vaults`);
    const missing = await emu.call('GET', `/v3/${PROJECT}/vaults/00000000-0000-4000-8000-000000000000`);
    const unsigned = await fetch(`${emu.url}/v3/${PROJECT}/vaults`);
    for (const h of [ok.headers, missing.headers, unsigned.headers]) expect(h.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(ok.headers.get('x-request-id')).not.toBe(missing.headers.get('x-request-id'));
  });
});
